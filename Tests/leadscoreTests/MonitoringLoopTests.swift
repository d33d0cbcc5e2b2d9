import Foundation
import Testing

/// The monthly loop over data that change: `generate` changes the process on 2026-01-01 (pricing_page_view is written
/// as pricing_view, a new event type trial_signup predicts conversion, Organic Search leads double and convert less),
/// and six monthly turns of `monitor` then `retrain` run over it, each as of its month's first day.
@Suite struct MonitoringLoopTests {
    static let months = ["2025-11-01", "2025-12-01", "2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]

    @Test func sixMonthsOfRetrainingFlagTheChangeThenPublishBetterChallengersButNotABrokenOne() throws {
        let folder = try CLI.temporaryFolder()
        let data = folder.path
        let made = try CLI.run(["generate", "--contacts", "12000", "--seed", "4", "--out", data, "--change-at", "2026-01-01",
                                "--rename-event", "pricing_page_view=pricing_view", "--new-event", "trial_signup",
                                "--source-drop", "Organic Search"])
        #expect(made.status == 0, "\(made.stderr)")
        let history = ["--contacts", data + "/contacts.csv", "--events", data + "/events.csv", "--outcomes", data + "/outcomes.csv"]
        let registry = data + "/registry"
        let champion = data + "/champion.json"
        #expect(try CLI.run(["train"] + history + ["--as-of", "2025-10-01T00:00:00Z", "--rules", "datasets/rules/seed.json", "--out", champion, "--quiet"]).status == 0)
        #expect(try CLI.run(["models", "init", registry, "--model", champion]).status == 0)

        var decisions: [String] = []
        for month in Self.months {
            let asOf = month + "T00:00:00Z"
            let monitor = try CLI.run(["monitor", "--registry", registry] + history + ["--as-of", asOf, "--format", "json"])
            let report = try CLI.json(monitor.stdoutData)
            let verdict = try #require(report["verdict"] as? String, "\(monitor.stderr)")
            #expect(monitor.status == ["ok": 0, "warn": 4, "alert": 5][verdict])
            let features = try #require(report["features"] as? [[String: Any]])
            let pricingPSI = features.filter { ($0["name"] as? String)?.hasPrefix("pricing_page_view") == true }.compactMap { $0["psi"] as? Double }.max() ?? 0
            let scorePSI = try #require((report["score"] as? [String: Any])?["psi"] as? Double)
            if month < "2026-02-01" {
                // Stable months: nothing moved.
                #expect(verdict != "alert", "\(month): \(report["reasons"] ?? "")")
                #expect(pricingPSI < 0.1 && scorePSI < 0.1, "\(month)")
            } else if month == "2026-02-01" {
                // The month after the change: the renamed tracker empties the pricing features, and the new types show.
                #expect(verdict == "alert")
                #expect(pricingPSI > 0.25, "\(month): \(pricingPSI)")
                let newTypes = try #require(report["new_event_types"] as? [String: Int])
                #expect(newTypes["pricing_view", default: 0] > 100 && newTypes["trial_signup", default: 0] > 10)
                let decided = try #require(report["decided"] as? [String: Any])
                #expect(decided["leads"] as? Int ?? 0 > 100 && decided["auc"] is Double)
                // Industries the model never saw have a bin of their own, fuller now than at training.
                let industry = try #require(features.first { $0["name"] as? String == "industry" })
                let bins = try #require(industry["bins"] as? [String]), current = try #require(industry["current"] as? [Double])
                #expect(bins.last == "(not seen in training)" && current.last ?? 0 > (industry["reference"] as? [Double])?.last ?? 1)
            }

            if month == "2026-03-01" {
                // A broken export (no page_view at all) gives a challenger that is refused.
                let lines = try String(contentsOfFile: data + "/events.csv", encoding: .utf8).split(separator: "\n").filter { !$0.contains(",page_view,") }
                let broken = data + "/events-broken.csv"
                try (lines.joined(separator: "\n") + "\n").write(toFile: broken, atomically: true, encoding: .utf8)
                let refused = try CLI.run(["retrain", "--registry", registry, "--contacts", data + "/contacts.csv", "--events", broken,
                                           "--outcomes", data + "/outcomes.csv", "--as-of", asOf, "--window", "14d", "--format", "json"])
                #expect(refused.status == 4)
                #expect((try CLI.json(refused.stdoutData)["reason"] as? String)?.contains("\"page_view\"") == true, "\(refused.stdout)")
                decisions.append("kept")
            }
            let retrain = try CLI.run(["retrain", "--registry", registry] + history + ["--as-of", asOf, "--window", "14d", "--format", "json"])
            let result = try CLI.json(retrain.stdoutData)
            let decision = try #require(result["decision"] as? String, "\(retrain.stderr)")
            #expect(retrain.status == (decision == "published" ? 0 : 4))
            #expect((result["reason"] as? String)?.isEmpty == false)
            decisions.append(decision)
            // The retrain after the change is flagged publishes a challenger that has learned the renamed and the new
            // event types, which the champion, trained before the change, cannot: better by log loss at once, and a
            // month on, with more of the new leads learned, by ROC AUC as well.
            if month == "2026-02-01" || month == "2026-03-01" {
                let champion = try #require(result["champion"] as? [String: Any]), challenger = try #require(result["challenger"] as? [String: Any])
                #expect(decision == "published", "\(month)")
                #expect(challenger["log_loss"] as? Double ?? 1 < champion["log_loss"] as? Double ?? 0, "\(month)")
                if month == "2026-03-01" { #expect(challenger["auc"] as? Double ?? 0 > champion["auc"] as? Double ?? 1) }
            }
        }
        // Every decision is in the log, with its reason and both models' figures.
        let list = try CLI.json(try CLI.run(["models", "list", registry, "--format", "json"]).stdoutData)
        let records = try #require(list["records"] as? [[String: Any]]).compactMap { $0["record"] as? [String: Any] }
        #expect(records.compactMap { $0["decision"] as? String } == decisions)
        #expect(records.filter { $0["action"] as? String == "retrain" }.allSatisfy { ($0["contest"] as? [String: Any])?["delong"] != nil })
    }

    @Test func theShippedModelOnItsOwnDataIsOkAndTheReportIsWritten() throws {
        let folder = try CLI.temporaryFolder()
        let result = try CLI.run(["monitor", "--model", "models/sample.json", "--contacts", "datasets/sample/contacts.csv",
                                  "--events", "datasets/sample/events.csv", "--outcomes", "datasets/sample/outcomes.csv",
                                  "--report", folder.path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try CLI.json(result.stdoutData)
        #expect(report["verdict"] as? String == "ok")
        let score = try #require(report["score"] as? [String: Any])
        #expect(score["psi"] as? Double ?? 1 < 0.01)
        let features = try #require(report["features"] as? [[String: Any]])
        #expect(features.count > 20 && features.allSatisfy { $0["name"] is String && ($0["psi"] as? Double ?? 1) < 0.01 })
        #expect(report["rules"] is [[String: Any]])
        for name in ["monitor.md", "score.svg"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path))
        }
        let markdown = try String(contentsOf: folder.appendingPathComponent("monitor.md"), encoding: .utf8)
        #expect(markdown.hasPrefix("# Monitoring: ok\n") && markdown.contains("| lead_source |"))
        // Two months earlier, the open leads then look like the open leads at the end: nothing to act on.
        let sample = ["--contacts", "datasets/sample/contacts.csv", "--events", "datasets/sample/events.csv"]
        let earlier = try CLI.run(["monitor", "--model", "models/sample.json", "--outcomes", "datasets/sample/outcomes.csv",
                                   "--as-of", "2026-05-01T00:00:00Z", "--quiet"] + sample)
        #expect(earlier.status == 0, "\(earlier.stdout) \(earlier.stderr)")
        // Without outcomes, decided contacts count as open too, unlike the reference: the population moved, and a note says why.
        let blind = try CLI.run(["monitor", "--model", "models/sample.json", "--as-of", "2026-05-01T00:00:00Z"] + sample)
        #expect(blind.status == 5 && blind.stdout.contains("note: without outcomes every contact"), "\(blind.stdout)")
    }

    /// Trained counting contacts undecided for 180 days as lost, the model's open leads leave those out; so does
    /// monitor, or every old contact would look like a change.
    @Test func implicitLossesAreNotOpenLeadsForMonitorEither() throws {
        let folder = try CLI.temporaryFolder()
        let model = folder.appendingPathComponent("m.json").path
        let sample = ["--contacts", "datasets/sample/contacts.csv", "--events", "datasets/sample/events.csv", "--outcomes", "datasets/sample/outcomes.csv"]
        #expect(try CLI.run(["train"] + sample + ["--implicit-lost-after", "180d", "--out", model, "--quiet"]).status == 0)
        let result = try CLI.run(["monitor", "--model", model, "--format", "json"] + sample)
        let report = try CLI.json(result.stdoutData)
        #expect(result.status == 0 && report["verdict"] as? String == "ok", "\(report["reasons"] ?? result.stderr)")
        #expect((report["score"] as? [String: Any])?["psi"] as? Double ?? 1 < 0.01)
    }

    @Test func badMonitorInputsGetOneClearLine() throws {
        let folder = try CLI.temporaryFolder()
        var model = try CLI.json(try Data(contentsOf: CLI.root.appendingPathComponent("models/sample.json")))
        model["reference"] = nil
        let old = folder.appendingPathComponent("old.json").path
        try JSONSerialization.data(withJSONObject: model).write(to: URL(fileURLWithPath: old))
        var damagedModel = try CLI.json(try Data(contentsOf: CLI.root.appendingPathComponent("models/sample.json")))
        var reference = try #require(damagedModel["reference"] as? [String: Any])
        var columns = try #require(reference["columns"] as? [[String: Any]])
        columns[0]["shares"] = ((columns[0]["shares"] as? [Double]) ?? []) + [0.5]
        reference["columns"] = columns
        damagedModel["reference"] = reference
        let damaged = folder.appendingPathComponent("damaged.json").path
        try JSONSerialization.data(withJSONObject: damagedModel).write(to: URL(fileURLWithPath: damaged))
        let sample = ["--contacts", "datasets/sample/contacts.csv", "--events", "datasets/sample/events.csv"]
        for (args, status, words) in [
            (["monitor", "--model", damaged] + sample, Int32(1), "the model file is damaged: \"reference.columns[0].shares\" has"),
            (["monitor", "--model", old] + sample, 1, "no reference distributions"),
            (["monitor", "--model", "models/leads.json"] + sample, 1, "table mode"),
            (["monitor", "--model", "models/sample.json", "--table", "datasets/table/leads.csv"], 64, "not on a table"),
            (["monitor", "--model", "models/sample.json", "--registry", folder.path] + sample, 64, "not both"),
            (["monitor", "--model", "models/sample.json", "--look", "0.3", "--act", "0.2"] + sample, 64, "0 < look < act"),
            (["monitor", "--model", "models/sample.json", "--as-of", "1999-01-01T00:00:00Z"] + sample, 1, "no lead is open"),
        ] {
            let result = try CLI.run(args)
            #expect(result.status == status && result.stderr.contains(words), "\(args): \(result.status) \(result.stderr)")
            if status == 1 { #expect(result.stderr.split(separator: "\n").count == 1) }
        }
    }
}
