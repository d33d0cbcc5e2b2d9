import Foundation
import Testing

/// Table mode end to end through the command line: train, export, explain, and agreement with scikit-learn.
@Suite struct TableModeCommandTests {
    let mixed = ["--table", CLI.fixture("mixed", "table.csv"), "--label", "converted", "--positive", "yes", "--id", "lead_id"]

    func reference(_ name: String) throws -> [String: Any] {
        try CLI.json(try Data(contentsOf: URL(fileURLWithPath: CLI.fixture(name, "reference.json"))))
    }

    @Test func trainExplainAgreesWithScikitLearn() throws {
        let folder = try CLI.temporaryFolder()
        let model = folder.appendingPathComponent("model.json").path
        let train = try CLI.run(["train"] + mixed + ["--l2", "2.5", "--out", model, "--format", "json"])
        #expect(train.status == 0, "\(train.stderr)")
        let summary = try CLI.json(train.stdoutData)
        #expect(summary["rows"] as? Int == 1300)
        #expect(summary["features"] as? Int == 19)
        #expect((summary["iterations"] as? Int ?? 0) > 0)
        #expect((summary["fit_seconds"] as? Double ?? -1) >= 0)

        let explain = try CLI.run(["explain", "--model", model, "--format", "json"])
        #expect(explain.status == 0, "\(explain.stderr)")
        let ours = try CLI.json(explain.stdoutData)
        #expect(ours["l2"] as? Double == 2.5)
        let sk = try reference("mixed")["sklearn_newton_cholesky"] as? [String: Any] ?? [:]
        let skWeights = sk["coefficients"] as? [String: Double] ?? [:]
        let ourWeights = ours["coefficients"] as? [String: Double] ?? [:]
        #expect(Set(ourWeights.keys) == Set(skWeights.keys))
        for (name, w) in skWeights {
            let mine = try #require(ourWeights[name])
            #expect(abs(mine - w) / max(abs(w), 1e-3) <= 1e-6, "\(name): \(mine) vs \(w)")
        }
        #expect(abs((ours["intercept"] as? Double ?? .nan) - (sk["intercept"] as? Double ?? .nan)) <= 1e-6)
    }

    @Test func featuresExportIsTheReferenceDesignMatrix() throws {
        let folder = try CLI.temporaryFolder()
        let out = folder.appendingPathComponent("X.csv").path
        let run = try CLI.run(["features"] + mixed + ["--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let ours = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        let expected = try String(contentsOfFile: CLI.fixture("mixed", "design.csv"), encoding: .utf8).split(separator: "\n")
        #expect(ours.first == expected.first)  // id, label, then the same feature names in the same order
        #expect(ours.count == expected.count)
        var worst = 0.0
        for (a, b) in zip(ours.dropFirst(), expected.dropFirst()) {
            let x = a.split(separator: ",", omittingEmptySubsequences: false), y = b.split(separator: ",", omittingEmptySubsequences: false)
            #expect(x.first == y.first)
            for (u, v) in zip(x.dropFirst(), y.dropFirst()) { worst = max(worst, abs(Double(u)! - Double(v)!)) }
        }
        #expect(worst <= 1e-12)
    }

    @Test func trainingTwiceWritesIdenticalBytes() throws {
        let folder = try CLI.temporaryFolder()
        let a = folder.appendingPathComponent("a.json").path, b = folder.appendingPathComponent("b.json").path
        #expect(try CLI.run(["train"] + mixed + ["--l2", "auto", "--out", a]).status == 0)
        #expect(try CLI.run(["train"] + mixed + ["--l2", "auto", "--out", b]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
    }

    @Test func l2AutoReportsItsCurveAndPicksTheLowestLoss() throws {
        let folder = try CLI.temporaryFolder()
        let run = try CLI.run(["train"] + mixed + ["--l2", "auto", "--out", folder.appendingPathComponent("m.json").path, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let search = try #require(try CLI.json(run.stdoutData)["l2_search"] as? [String: Any])
        let points = try #require(search["points"] as? [[String: Any]])
        #expect(points.count == 13)
        let best = points.min { ($0["log_loss"] as? Double ?? .infinity) < ($1["log_loss"] as? Double ?? .infinity) }
        #expect(best?["l2"] as? Double == search["chosen"] as? Double)
        #expect(try CLI.json(run.stdoutData)["l2"] as? Double == search["chosen"] as? Double)

        let text = try CLI.run(["train"] + mixed + ["--l2", "auto", "--out", folder.appendingPathComponent("t.json").path])
        #expect(text.stdout.contains("<- chosen"))
        #expect(text.stdout.contains("pooled into \"other\""))
        #expect(text.stdout.contains("flagged in \"time_on_site_min (missing)\""))
    }
}
