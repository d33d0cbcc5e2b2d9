import Foundation
import Testing
import _TestSupport

/// History mode through the command line: point-in-time features, specs, bad rows, training.
@Suite struct HistoryModeCommandTests {
    @Test func eventsAtOrAfterEachCutoffLeaveTheDesignMatrixUnchanged() throws {
        let history = SyntheticHistory(count: 300, gapDays: 14, seed: 5)
        let plain = try CLI.temporaryFolder(), leaky = try CLI.temporaryFolder()
        let a = try history.write(to: plain)
        let b = try history.write(to: leaky, events: history.withFutureEvents())
        for (files, folder) in [(a, plain), (b, leaky)] {
            let run = try CLI.run(["features", "--contacts", files.contacts, "--events", files.events, "--outcomes", files.outcomes,
                                   "--gap", "14d", "--out", folder.appendingPathComponent("X.csv").path])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let x = try Data(contentsOf: plain.appendingPathComponent("X.csv"))
        let y = try Data(contentsOf: leaky.appendingPathComponent("X.csv"))
        #expect(x.count > 1000)
        #expect(x == y, "events at or after a cutoff changed the exported design matrix")
        // And the future events really were there to leak: without the gap, some fall before the cutoff.
        let noGap = try CLI.run(["features", "--contacts", b.contacts, "--events", b.events, "--outcomes", b.outcomes,
                                 "--out", leaky.appendingPathComponent("Y.csv").path])
        #expect(noGap.status == 0)
        #expect(try Data(contentsOf: leaky.appendingPathComponent("Y.csv")) != x)
    }

    @Test func trainsAndReportsEventTypesAndTheCutoffRule() throws {
        let history = SyntheticHistory(count: 400, gapDays: 7, seed: 9)
        let folder = try CLI.temporaryFolder()
        let f = try history.write(to: folder)
        let model = folder.appendingPathComponent("m.json").path
        let run = try CLI.run(["train", "--contacts", f.contacts, "--events", f.events, "--outcomes", f.outcomes,
                               "--gap", "7d", "--l2", "auto", "--out", model])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("before its decided_at minus 7d"))
        #expect(run.stdout.contains("pricing_page_view, count, last 30 days"))
        #expect(run.stdout.contains("job_title"))
        let explainRun = try CLI.run(["explain", "--model", model, "--format", "json"])
        #expect(explainRun.status == 0, "the history model must load again: \(explainRun.stderr)")
        let explain = try CLI.json(explainRun.stdoutData)
        let weights = try #require(explain["coefficients"] as? [String: Double])
        // The history was generated so that pricing views drive wins.
        #expect((weights["pricing_page_view, count, all time"] ?? 0) > 0)
    }

    @Test func defaultSpecRoundTripsAndUnknownKeysAreNamed() throws {
        let folder = try CLI.temporaryFolder()
        let initRun = try CLI.run(["features", "--init"])
        #expect(initRun.status == 0)
        #expect(initRun.stdout.contains("\"windows_days\""))
        let history = SyntheticHistory(count: 120, gapDays: 0, seed: 2)
        let f = try history.write(to: folder)
        let spec = folder.appendingPathComponent("spec.json").path
        try #"{"windows_days": [14], "per_event": {"count_all_time": false}, "profile": {"exclude": ["job_title"]}}"#
            .write(toFile: spec, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("X.csv").path
        let run = try CLI.run(["features", "--contacts", f.contacts, "--events", f.events, "--outcomes", f.outcomes,
                               "--spec", spec, "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let header = try String(contentsOfFile: out, encoding: .utf8).prefix { $0 != "\n" }
        #expect(header.contains("page_view, count, last 14 days"))
        #expect(!header.contains("page_view, count, last 30 days"))
        #expect(!header.contains("all time"))
        #expect(!header.contains("job_title"))

        try #"{"windows": [14]}"#.write(toFile: spec, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["features", "--contacts", f.contacts, "--events", f.events, "--outcomes", f.outcomes,
                               "--spec", spec, "--out", out])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("unknown key \"windows\""), "\(bad.stderr)")
    }

    @Test func unknownContactInEventsStopsOrIsSkippedAndCounted() throws {
        var history = SyntheticHistory(count: 100, gapDays: 0, seed: 3)
        history.events.insert("NOBODY,2025-03-01T00:00:00Z,page_view,", at: 5)
        let folder = try CLI.temporaryFolder()
        let f = try history.write(to: folder)
        let args = ["features", "--contacts", f.contacts, "--events", f.events, "--outcomes", f.outcomes,
                    "--out", folder.appendingPathComponent("X.csv").path]
        let stop = try CLI.run(args)
        #expect(stop.status == 1)
        #expect(stop.stderr.contains("\(f.events):6: unknown contact_id \"NOBODY\""), "\(stop.stderr)")
        let skip = try CLI.run(args + ["--skip-bad-rows"])
        #expect(skip.status == 0, "\(skip.stderr)")
        #expect(skip.stdout.contains("Skipped 1 bad row"))
    }

    @Test func featuresAsOfACutoffEqualTheTrainingRowOfThatContact() throws {
        let history = SyntheticHistory(count: 250, gapDays: 0, seed: 8)
        let folder = try CLI.temporaryFolder()
        let f = try history.write(to: folder)
        let model = folder.appendingPathComponent("m.json").path, training = folder.appendingPathComponent("X.csv").path
        #expect(try CLI.run(["train", "--contacts", f.contacts, "--events", f.events, "--outcomes", f.outcomes,
                             "--out", model]).status == 0)
        #expect(try CLI.run(["features", "--contacts", f.contacts, "--events", f.events, "--outcomes", f.outcomes,
                             "--out", training]).status == 0)
        let trainingRows = try String(contentsOfFile: training, encoding: .utf8).split(separator: "\n")
        for (id, cutoff) in history.cutoffs.prefix(3) {
            let snapshot = folder.appendingPathComponent("as-of-\(id).csv").path
            let run = try CLI.run(["features", "--model", model, "--contacts", f.contacts, "--events", f.events,
                                   "--as-of", SyntheticHistory.iso(cutoff), "--out", snapshot])
            #expect(run.status == 0, "\(run.stderr)")
            let rows = try String(contentsOfFile: snapshot, encoding: .utf8).split(separator: "\n")
            #expect(rows.first == trainingRows.first)  // same columns, same order
            let scored = try #require(rows.first { $0.hasPrefix("\(id),") })
            let trained = try #require(trainingRows.first { $0.hasPrefix("\(id),") })
            // Identical features; only the label column (empty when scoring) differs.
            let a = scored.split(separator: ",", omittingEmptySubsequences: false), b = trained.split(separator: ",", omittingEmptySubsequences: false)
            #expect(a[0] == b[0] && a[1] == "" && Array(a.dropFirst(2)) == Array(b.dropFirst(2)))
        }
        let missing = try CLI.run(["features", "--model", model, "--contacts", f.contacts, "--events", f.events,
                                   "--as-of", "tomorrow", "--out", folder.appendingPathComponent("z.csv").path])
        #expect(missing.status == 64 && missing.stderr.contains("--as-of takes an ISO 8601 time"))
    }

    @Test func implicitLossesAddTheLongUndecidedContactsOnly() throws {
        let history = SyntheticHistory(count: 300, gapDays: 0, seed: 4)
        let folder = try CLI.temporaryFolder()
        let f = try history.write(to: folder)
        // Expected: undecided contacts created at least 60 days before the end of the data (latest created or decided).
        func seconds(_ iso: Substring) -> Int64 {
            let d = iso.split { "-T:Z".contains($0) }.map { Int64($0)! }
            var days: Int64 = 0
            for year in 1970..<d[0] { days += (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 366 : 365 }
            let months: [Int64] = [31, (d[0] % 4 == 0 && (d[0] % 100 != 0 || d[0] % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            days += months.prefix(Int(d[1]) - 1).reduce(0, +) + d[2] - 1
            return days * 86_400 + d[3] * 3600 + d[4] * 60 + d[5]
        }
        let decidedIDs = Set(history.outcomes.dropFirst().map { $0.split(separator: ",")[0] })
        let created = history.contacts.dropFirst().map { line -> (Substring, Int64) in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return (f[0], seconds(f[1]))
        }
        let end = max(created.map(\.1).max()!, history.outcomes.dropFirst().map { seconds($0.split(separator: ",")[2]) }.max()!)
        let expected = created.filter { !decidedIDs.contains($0.0) && $0.1 + 60 * 86_400 <= end }.count
        #expect(expected > 0)

        func rows(_ extra: [String]) throws -> Int {
            let run = try CLI.run(["train", "--contacts", f.contacts, "--events", f.events, "--outcomes", f.outcomes, "--holdout", "0",
                                   "--out", folder.appendingPathComponent("m.json").path, "--format", "json"] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            return try CLI.json(run.stdoutData)["rows"] as? Int ?? -1
        }
        let plain = try rows([])
        #expect(plain == decidedIDs.count)
        #expect(try rows(["--implicit-lost-after", "60d"]) == plain + expected)
    }

    @Test func anExcludedEventTypeMovesNoFeatureAtAll() throws {
        // A "contract_signed" event logged an hour before each won decision must leave every feature as it was.
        let history = SyntheticHistory(count: 150, gapDays: 0, seed: 12)
        var leaky = history
        for line in history.outcomes.dropFirst() where line.contains(",won,") {
            let f = line.split(separator: ",")
            leaky.events.append("\(f[0]),\(f[2].replacingOccurrences(of: "Z", with: "").dropLast(8))00:00:00Z,contract_signed,")
        }
        let folder = try CLI.temporaryFolder()
        let spec = folder.appendingPathComponent("spec.json").path
        try #"{"exclude_events": ["contract_signed"]}"#.write(toFile: spec, atomically: true, encoding: .utf8)
        var exports: [Data] = []
        for (name, files) in [("plain", history), ("leaky", leaky)] {
            let sub = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            let f = try files.write(to: sub)
            let out = sub.appendingPathComponent("X.csv").path
            let run = try CLI.run(["features", "--contacts", f.contacts, "--events", f.events, "--outcomes", f.outcomes,
                                   "--spec", spec, "--out", out])
            #expect(run.status == 0, "\(run.stderr)")
            exports.append(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
        #expect(exports[0] == exports[1], "an excluded event type changed the design matrix")
    }

    @Test func specAndNameClashesAreErrorsNotCrashes() throws {
        let history = SyntheticHistory(count: 80, gapDays: 0, seed: 6)
        let folder = try CLI.temporaryFolder()
        let f = try history.write(to: folder)
        let spec = folder.appendingPathComponent("spec.json").path
        let args = ["features", "--contacts", f.contacts, "--events", f.events, "--outcomes", f.outcomes, "--spec", spec,
                    "--out", folder.appendingPathComponent("X.csv").path]
        for (text, message) in [(#"{"windows_days": [30, 30]}"#, "lists a window twice"),
                                (#"{"windows_days": [200000000000000]}"#, "from 1 to 36500")] {
            try text.write(toFile: spec, atomically: true, encoding: .utf8)
            let run = try CLI.run(args)
            #expect(run.status == 1 && run.stderr.contains(message), "\(run.stderr)")
        }
        // A profile column that takes the label's reserved name.
        var clash = history
        clash.contacts = clash.contacts.enumerated().map { i, line in i == 0 ? line + ",__outcome__" : line + ",1" }
        let g = try clash.write(to: folder)
        try "{}".write(toFile: spec, atomically: true, encoding: .utf8)
        let run = try CLI.run(["features", "--contacts", g.contacts, "--events", g.events, "--outcomes", g.outcomes,
                               "--out", folder.appendingPathComponent("Y.csv").path])
        #expect(run.status == 1 && run.stderr.contains("profile column \"__outcome__\""), "\(run.stderr)")
        let zero = try CLI.run(["train", "--contacts", f.contacts, "--events", f.events, "--outcomes", f.outcomes,
                                "--implicit-lost-after", "0d", "--out", folder.appendingPathComponent("m.json").path])
        #expect(zero.status == 64)
    }
}
