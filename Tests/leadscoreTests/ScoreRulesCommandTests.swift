import Foundation
import Testing

/// `leadscore score --rules`: the rules' points and band next to the model's, the same points the demo and `compare`
/// give the same leads, and no change at all without `--rules`.
@Suite struct ScoreRulesCommandTests {
    static let sample = ["--model", "models/sample.json", "--contacts", "datasets/sample/contacts.csv",
                         "--events", "datasets/sample/events.csv"]
    static let table = ["--model", "models/leads.json", "--table", "datasets/table/leads.csv"]

    /// The moment the demo scores its open leads at: the end of the data the shipped model was trained on.
    static func sampleEndOfData() throws -> String {
        let model = try CLI.json(Data(contentsOf: CLI.root.appendingPathComponent("models/sample.json")))
        let history = try #require(model["history"] as? [String: Any])
        return try #require(history["end_of_data"] as? String)
    }

    /// CSV rows (no quoted commas in the first columns) by their id.
    static func rows(_ csv: String) -> [String: [Substring]] {
        Dictionary(csv.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return (String(fields[0]), fields)
        }, uniquingKeysWith: { a, _ in a })
    }

    @Test func historyRulePointsAreTheDemosForTheSameLeadsAsOfTheSameMoment() throws {
        let asOf = try Self.sampleEndOfData()
        let scored = try CLI.run(["score"] + Self.sample + ["--as-of", asOf, "--rules", "datasets/rules/seed.json"])
        #expect(scored.status == 0, "\(scored.stderr)")
        #expect(scored.stdout.hasPrefix("contact_id,probability,score,band,rule_points,rule_band\n"))
        let byId = Self.rows(scored.stdout)

        let demo = try CLI.run(["demo", "--top", "3"])
        #expect(demo.status == 0, "\(demo.stderr)")
        // "  1  C018197  1.000  100  sales-ready  547  sales-ready"
        let top = demo.stdout.split(separator: "\n").map { $0.split(separator: " ") }
            .filter { $0.count == 7 && $0[1].hasPrefix("C") && Int($0[0]) != nil }
        #expect(top.count == 3)
        for row in top {
            let lead = try #require(byId[String(row[1])], "\(row[1]) is not in the score output")
            #expect(lead[3] == row[4], "\(row[1]): model band")
            #expect(lead[4] == row[5], "\(row[1]): rule points")
            #expect(lead[5] == row[6], "\(row[1]): rules band")
        }
    }

    @Test func rulesAddTwoColumnsAndChangeNothingElse() throws {
        let args = ["score"] + Self.sample + ["--as-of", "2026-06-24", "--explain", "1"]
        let plain = try CLI.run(args)
        let ruled = try CLI.run(args + ["--rules", "datasets/rules/seed.json"])
        #expect(plain.status == 0 && ruled.status == 0, "\(plain.stderr)\(ruled.stderr)")
        #expect(plain.stdout.hasPrefix("contact_id,probability,score,band,reason_up_1,reason_down_1\n"))
        #expect(ruled.stdout.hasPrefix("contact_id,probability,score,band,rule_points,rule_band,reason_up_1,reason_down_1\n"))
        let plainLines = plain.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let ruledLines = ruled.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(plainLines.count == ruledLines.count)
        let bands: Set<Substring> = ["sales-ready", "MQL", "early-stage"]
        for (a, b) in zip(plainLines, ruledLines).dropFirst() where !a.isEmpty {
            var fields = b.split(separator: ",", maxSplits: 6, omittingEmptySubsequences: false)
            let points = try #require(Double(fields[4]), "\(b)")
            if points == points.rounded() { #expect(!fields[4].contains("."), "\(b)") }  // whole points print as whole numbers
            #expect(bands.contains(fields[5]))
            #expect(fields[5] == (points >= 80 ? "sales-ready" : points >= 50 ? "MQL" : "early-stage"))
            fields.removeSubrange(4...5)
            #expect(fields.joined(separator: ",") == a)
        }
        // JSON Lines: the same keys, right after "band".
        let json = try CLI.run(["score"] + Self.sample + ["--as-of", "2026-06-24", "--format", "json", "--rules", "datasets/rules/seed.json"])
        #expect(json.status == 0, "\(json.stderr)")
        let first = try #require(json.stdout.split(separator: "\n").first)
        #expect(first.range(of: #","band":"[^"]+","rule_points":-?[0-9.]+,"rule_band":"[^"]+"\}$"#, options: .regularExpression) != nil, "\(first)")
        let object = try CLI.json(Data(first.utf8))
        #expect(object["rule_points"] is NSNumber)
        #expect(object["rule_band"] as? String != nil)
    }

    @Test func tableRulePointsAreTheRulesAppliedToEachRowsFields() throws {
        let run = try CLI.run(["score"] + Self.table + ["--rules", "datasets/rules/table.json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)
        #expect(run.stdout.hasPrefix("lead_id,probability,score,band,rule_points,rule_band\n"))
        let scored = Self.rows(run.stdout)

        // datasets/rules/table.json, worked out by hand from each row's fields.
        let csv = try String(contentsOfFile: CLI.root.appendingPathComponent("datasets/table/leads.csv").path, encoding: .utf8)
        let lines = csv.split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        var checked = 0
        for line in lines.dropFirst().prefix(500) {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            func number(_ name: String) -> Double { Double(f[column(name)]) ?? 0 }
            var points = 0.0
            points += number("demo_requested") > 0 ? 25 : 0
            points += 15 * number("pricing_page_views_30d")
            points += 20 * number("webinars_attended")
            points += 5 * number("page_views_30d")
            points += 2 * number("email_opens_30d")
            points += number("unsubscribed") > 0 ? -10 : 0
            points += ["VP", "C-level"].contains(f[column("job_level")]) ? 10 : 0
            points += number("days_since_last_activity") >= 30 ? -5 : 0
            let lead = try #require(scored[String(f[column("lead_id")])])
            #expect(Double(lead[4]) == points, "\(line)")
            #expect(lead[5] == (points >= 80 ? "sales-ready" : points >= 50 ? "MQL" : "early-stage"), "\(line)")
            checked += 1
        }
        #expect(checked == 500)
        #expect(Set(scored.values.map { $0[4] }).count > 20)
    }

    @Test func withoutRulesTheOutputIsAsBefore() throws {
        let table = try CLI.run(["score"] + Self.table)
        #expect(table.stdout.hasPrefix("lead_id,probability,score,band\nL-000003,"))
        let history = try CLI.run(["score"] + Self.sample + ["--as-of", "2026-06-24"])
        #expect(history.stdout.hasPrefix("contact_id,probability,score,band\nC000001,"))
        let json = try CLI.run(["score"] + Self.table + ["--format", "json"])
        #expect(!json.stdout.contains("rule_"))
    }

    @Test func aRuleWithoutItsColumnGivesNoPointsAndANoteAndTheSummaryCountsRulesBands() throws {
        let folder = try CLI.temporaryFolder()
        let rules = folder.appendingPathComponent("rules.json").path
        try #"{"name": "mine", "events": [{"event": "demo_requested", "points": 60, "per": "once"}, {"event": "chats", "points": 3}]}"#
            .write(toFile: rules, atomically: true, encoding: .utf8)
        let run = try CLI.run(["score"] + Self.table + ["--rules", rules])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr == "Note: rules events[1] never applies: no column \"chats\" in datasets/table/leads.csv\n")
        #expect(Set(Self.rows(run.stdout).values.map { $0[4] }) == ["0", "60"])

        let out = folder.appendingPathComponent("scores.csv").path
        let toFile = try CLI.run(["score"] + Self.table + ["--rules", rules, "--out", out])
        #expect(toFile.status == 0, "\(toFile.stderr)")
        let demos = Self.rows(try String(contentsOfFile: out, encoding: .utf8)).values.filter { $0[4] == "60" }.count
        #expect(demos > 100)
        #expect(toFile.stdout == """
            Note: rules events[1] never applies: no column "chats" in datasets/table/leads.csv
            Scored 6,000 leads to \(out) (sales-ready 600, MQL 1200, early-stage 4200; by the mine rules: sales-ready 0, MQL \(demos), early-stage \(6_000 - demos))

            """)
    }

    @Test func historyRulesInTableModeAreRefusedWithTheKeyToAdd() throws {
        let run = try CLI.run(["score"] + Self.table + ["--rules", "datasets/rules/seed.json"])
        #expect(run.status == 1)
        #expect(run.stderr == "leadscore: error: datasets/rules/seed.json: \"inactivity.column\" is missing: in table mode name the column that holds days since the last activity\n")
        #expect(run.stdout.isEmpty)
    }

    @Test func helpShowsRulesWithAnExample() throws {
        let run = try CLI.run(["score", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("--rules <rules.json>"))
        #expect(run.stdout.contains("--rules datasets/rules/seed.json --out scores.csv"))
    }
}
