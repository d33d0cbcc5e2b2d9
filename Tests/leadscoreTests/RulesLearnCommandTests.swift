import Foundation
import Testing

/// `leadscore rules learn` on the shipped sample: a short card that ranks almost as well as the model and clearly
/// better than the seed points, written as a rules file the other commands take, the same bytes every run.
@Suite struct RulesLearnCommandTests {
    static let sample = ["--contacts", "datasets/sample/contacts.csv", "--events", "datasets/sample/events.csv",
                         "--outcomes", "datasets/sample/outcomes.csv"]

    /// The first number after `prefix` in `text`.
    func number(after prefix: String, in text: String) -> Double? {
        guard let range = text.range(of: prefix) else { return nil }
        return Double(text[range.upperBound...].prefix { "0123456789.".contains($0) })
    }

    @Test func theSampleCardRanksNearTheModelAndAboveTheRefittedSeedPoints() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let card = folder.appendingPathComponent("card.json").path
        let run = try CLI.run(["rules", "learn"] + Self.sample + ["--spec", "datasets/sample/spec.json", "--l2", "auto",
                              "--rules", "datasets/rules/seed.json", "--out", card,
                              "--markdown", folder.appendingPathComponent("card.md").path,
                              "--csv", folder.appendingPathComponent("card.csv").path])
        #expect(run.status == 0, "\(run.stderr)")
        let out = run.stdout
        #expect(out.contains("Points card \"card\": 8 rules"))
        // On the holdout: the card within 0.02 of the model, and above the seed rules with refitted points.
        let row = try #require(out.split(separator: "\n").first { $0.hasPrefix("  ROC AUC ") })
        let aucs = row.split(separator: " ").compactMap { Double($0) }
        #expect(aucs.count == 4, "\(row)")  // model, seed, seed (refitted), card
        #expect(aucs[3] >= aucs[0] - 0.02 && aucs[3] > aucs[2] + 0.02, "\(row)")
        // The file is a rules file like any other: compare gives its points the AUC the learner reported for them.
        let reported = try #require(number(after: "the card's ROC AUC is ", in: out))
        let compare = try CLI.run(["compare", "--model", "models/sample.json", "--rules", card, "--format", "json"] + Self.sample)
        #expect(compare.status == 0, "\(compare.stderr)")
        let auc = try #require((try CLI.json(compare.stdoutData)["rules"] as? [String: Any])?["auc"] as? Double)
        #expect(String(format: "%.3f", auc) == String(format: "%.3f", reported))
        let score = try CLI.run(["score", "--model", "models/sample.json", "--rules", card, "--as-of", "2026-06-24"] + Self.sample)
        #expect(score.status == 0, "\(score.stderr)")
        // The people's versions.
        let markdown = try String(contentsOfFile: folder.appendingPathComponent("card.md").path, encoding: .utf8)
        #expect(markdown.contains("| rule | points |") && markdown.contains("## In HubSpot") && markdown.contains("## In Mautic"))
        let csv = try String(contentsOfFile: folder.appendingPathComponent("card.csv").path, encoding: .utf8)
        #expect(csv.hasPrefix("kind,rule,points\n") && csv.contains("\nband,sales-ready,"))
    }

    @Test func theSameInputsGiveTheSameBytes() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [Data] = []
        for k in 0..<2 {
            let sub = folder.appendingPathComponent("\(k)")
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            let card = sub.appendingPathComponent("card.json").path
            let run = try CLI.run(["rules", "learn"] + Self.sample + ["--count", "4", "--holdout", "0", "--out", card])
            #expect(run.status == 0, "\(run.stderr)")
            files.append(try Data(contentsOf: URL(fileURLWithPath: card)))
        }
        #expect(files[0] == files[1])
        #expect(!files[0].isEmpty)
    }

    @Test func keptRulesStayOnTheCardWithRefittedPoints() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let card = folder.appendingPathComponent("card.json").path
        let run = try CLI.run(["rules", "learn"] + Self.sample + ["--keep", "datasets/rules/seed.json", "--count", "2",
                                                                   "--holdout", "0", "--out", card])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try CLI.json(try Data(contentsOf: URL(fileURLWithPath: card)))
        let events = (json["events"] as? [[String: Any]] ?? []).compactMap { $0["event"] as? String }
        // The seed's demo request and pricing page rules are kept (with the data's points, not 25 and 15).
        #expect(events.contains("demo_request") && events.contains("pricing_page_view"), "\(events)")
        let points = (json["events"] as? [[String: Any]] ?? []).first { $0["event"] as? String == "demo_request" && $0["window_days"] == nil }?["points"] as? Double
        #expect(points != nil && points != 25)
    }

    @Test func badOptionsAreClearErrors() throws {
        let out = ["--out", "/tmp/never-written-card.json"]
        for (args, message) in [(["--count", "0"], "at least 1 rule"), (["--points-per-doubling", "0"], "points per doubling"),
                                (["--min-support", "0"], "at least 1 decided contact")] {
            let run = try CLI.run(["rules", "learn"] + Self.sample + args + out)
            #expect(run.status == 64, "\(args)")
            #expect(run.stderr.contains(message), "\(run.stderr)")
        }
        let tooMany = try CLI.run(["rules", "learn"] + Self.sample + ["--min-support", "20000"] + out)
        #expect(tooMany.status == 1)
        #expect(tooMany.stderr.contains("--min-support 20000 is more than the 13640 decided contacts"), "\(tooMany.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written-card.json"))
    }

    /// A CRM export's source description names the inputs and maps their columns: the card speaks the CRM's names.
    @Test func aSourceDescriptionGetsACardInItsOwnNames() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let card = folder.appendingPathComponent("card.json").path
        let run = try CLI.run(["rules", "learn", "--source", "datasets/crm/hubspot/source.json", "--count", "3", "--holdout", "0", "--out", card])
        #expect(run.status == 0, "\(run.stderr)")
        let events = (try CLI.json(try Data(contentsOf: URL(fileURLWithPath: card)))["events"] as? [[String: Any]] ?? []).compactMap { $0["event"] as? String }
        #expect(events.contains("Page Viewed"), "\(events)")
    }

    /// In table mode a count column is an event, as a table's rules file reads it; the card scores the table with
    /// `compare` as the learner reported.
    @Test func aTableGetsACardOfItsColumns() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let card = folder.appendingPathComponent("card.json").path
        let table = ["--table", "datasets/table/leads.csv", "--label", "converted", "--positive", "won", "--id", "lead_id"]
        let run = try CLI.run(["rules", "learn"] + table + ["--count", "5", "--rules", "datasets/rules/table.json", "--out", card])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try CLI.json(try Data(contentsOf: URL(fileURLWithPath: card)))
        let events = json["events"] as? [[String: Any]] ?? []
        #expect(!events.isEmpty && events.allSatisfy { $0["window_days"] == nil }, "\(events)")
        #expect(json["inactivity"] == nil)
        let reported = try #require(number(after: "the card's ROC AUC is ", in: run.stdout))
        let compare = try CLI.run(["compare", "--model", "models/leads.json", "--rules", card, "--format", "json",
                                   "--table", "datasets/table/leads.csv"])
        #expect(compare.status == 0, "\(compare.stderr)")
        let auc = try #require((try CLI.json(compare.stdoutData)["rules"] as? [String: Any])?["auc"] as? Double)
        #expect(String(format: "%.3f", auc) == String(format: "%.3f", reported))
    }
}
