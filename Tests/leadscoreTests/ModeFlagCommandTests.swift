import Foundation
import Testing
import _TestSupport

/// No flag does nothing: a flag of the other mode is a usage error that says where it belongs, and the column flags
/// that make sense for contacts.csv (`--ignore`, `--categorical`, `--numeric`, `--min-level-count`) work in history
/// mode too.
@Suite struct ModeFlagCommandTests {
    static let table = ["--table", "datasets/table/leads.csv", "--label", "converted", "--positive", "won"]

    @Test(arguments: [
        (["--gap", "14d"], "--gap applies to contact history"),
        (["--spec", "datasets/sample/spec.json"], "--spec applies to contact history"),
        (["--implicit-lost-after", "180d"], "--implicit-lost-after applies to contact history"),
        (["--skip-bad-rows"], "--skip-bad-rows applies to history input"),
    ])
    func historyFlagsOnATableAreUsageErrors(extra: [String], message: String) throws {
        for command in ["train", "features"] {
            let run = try CLI.run([command] + Self.table + extra + ["--out", "/tmp/never-written.json"])
            #expect(run.status == 64, "\(command) \(extra)")
            #expect(run.stderr.contains(message), "\(command): \(run.stderr)")
        }
    }

    @Test(arguments: [["--label", "converted"], ["--positive", "won"], ["--id", "lead_id"], ["--weight", "w"]])
    func tableFlagsOnHistoryAreUsageErrors(extra: [String]) throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try SyntheticHistory(count: 60, gapDays: 0, seed: 3).write(to: folder)
        let run = try CLI.run(["train", "--contacts", files.contacts, "--events", files.events, "--outcomes", files.outcomes]
                              + extra + ["--out", folder.appendingPathComponent("m.json").path])
        #expect(run.status == 64)
        #expect(run.stderr.contains("\(extra[0]) applies to a table (--table), not to contact history"), "\(run.stderr)")
    }

    /// `--ignore` leaves a profile column of contacts.csv out, as the spec's "profile.exclude" does.
    @Test func ignoreLeavesAProfileColumnOutInHistoryMode() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try SyntheticHistory(count: 80, gapDays: 0, seed: 5).write(to: folder)
        let out = folder.appendingPathComponent("X.csv").path
        let with = try CLI.run(["features", "--contacts", files.contacts, "--events", files.events, "--outcomes", files.outcomes,
                                "--min-level-count", "1", "--out", out])
        #expect(with.status == 0, "\(with.stderr)")
        let header = try String(contentsOfFile: out, encoding: .utf8).prefix { $0 != "\n" }
        #expect(header.contains("job_title="))
        let without = try CLI.run(["features", "--contacts", files.contacts, "--events", files.events, "--outcomes", files.outcomes,
                                   "--min-level-count", "1", "--ignore", "job_title", "--out", out])
        #expect(without.status == 0, "\(without.stderr)")
        let after = try String(contentsOfFile: out, encoding: .utf8).prefix { $0 != "\n" }
        #expect(!after.contains("job_title"))
        #expect(after.contains("company_size"))
    }

    /// Features as of a moment, with a model, have no use for outcomes (`score` has: it scores only the open leads).
    @Test func outcomesWhereTheyDoNothingAreUsageErrors() throws {
        let run = try CLI.run(["features", "--model", "models/sample.json", "--contacts", "datasets/sample/contacts.csv",
                               "--events", "datasets/sample/events.csv", "--outcomes", "datasets/sample/outcomes.csv", "--out", "/tmp/never-written.csv"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--outcomes does nothing here"))
    }
}

/// An output that would overwrite one of the command's inputs is a usage error, before any work: the input is safe.
@Suite struct OutputOverInputCommandTests {
    @Test func anOutputNamingAnInputIsRefused() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let table = folder.appendingPathComponent("leads.csv")
        try FileManager.default.copyItem(at: CLI.root.appendingPathComponent("datasets/table/leads.csv"), to: table)
        let before = try Data(contentsOf: table)
        // The same file by another spelling of its path.
        let other = folder.appendingPathComponent(".").appendingPathComponent("leads.csv").path
        for args in [["train", "--table", table.path, "--label", "converted", "--positive", "won", "--out", other],
                     ["features", "--table", table.path, "--label", "converted", "--positive", "won", "--out", table.path],
                     ["score", "--model", "models/leads.json", "--table", table.path, "--out", other]] {
            let run = try CLI.run(args)
            #expect(run.status == 64, "\(args[0])")
            #expect(run.stderr.contains("one of this command's inputs"), "\(args[0]): \(run.stderr)")
        }
        #expect(try Data(contentsOf: table) == before)
    }

    /// `--gap -3d` is read as a negative gap (not as a missing value followed by an unknown option) and refused.
    @Test func aNegativeGapSaysAGapCannotBeNegative() throws {
        let run = try CLI.run(["train", "--contacts", "datasets/sample/contacts.csv", "--events", "datasets/sample/events.csv",
                               "--outcomes", "datasets/sample/outcomes.csv", "--gap", "-3d", "--out", "/tmp/never-written.json"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("a gap cannot be negative, not \"-3d\""), "\(run.stderr)")
    }

    /// A model trained without rules is not said to have been "trained with other rules".
    @Test func compareWithAModelTrainedWithoutRulesSaysSo() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("m.json").path
        #expect(try CLI.run(["train", "--table", "datasets/table/leads.csv", "--label", "converted", "--positive", "won", "--id", "lead_id",
                             "--quiet", "--out", model]).status == 0)
        let run = try CLI.run(["compare", "--model", model, "--rules", "datasets/rules/table.json", "--table", "datasets/table/leads.csv"])
        #expect(run.status == 0, "\(run.stderr)")
        let all = run.stdout + run.stderr
        #expect(all.contains("no calibration for the table seed rules: the model was trained without rules (train --rules fits one)"), "\(all)")
        #expect(!all.contains("trained with other rules"))
    }
}
