import Features
import Foundation
import LeadData
import Rules
@testable import Scoring
import Testing
import _TestSupport
import Workflows

/// `score --rules`: every lead also gets its rule points and rules band, the same points `compare` gives the same
/// leads, whatever the chunk size, and as of the same moment as the model's features.
@Suite struct RulePointsScoringTests {
    let model = ScoringFixtures.tableModel
    static let tableRulesPath = ScoringFixtures.root.appendingPathComponent("datasets/rules/table.json").path

    /// Streams the shipped table with rules and collects every lead.
    func streamed(rules: RuleSet, chunkSize: Int, table: String = ScoringFixtures.leadsCSV) throws -> ([ScoredLead], ScoringSummary) {
        var all: [ScoredLead] = []
        let summary = try TableScoring(model: model, table: table, scale: model.scoreScale, bands: model.bands, reasons: 1,
                                       chunkSize: chunkSize, rules: rules, rulesPath: "rules.json").run { all += $0 }
        return (all, summary)
    }

    @Test func tableRulePointsDoNotDependOnTheChunkSizeAndEqualTheWholeTablePoints() throws {
        let rules = try RuleSetFile.load(path: Self.tableRulesPath)
        // The whole table read at once, as `compare` reads it.
        let table = try Table.read(path: ScoringFixtures.leadsCSV, options: ScoringFixtures.readOptions(model.encoding))
        let whole = try RuleSignals.table(table, rules: rules, rulesPath: Self.tableRulesPath)
        #expect(whole.unmatched.isEmpty)
        let plain = try ScoringFixtures.streamed(model, table: ScoringFixtures.leadsCSV, chunkSize: 4096, reasons: 1)
        for chunk in [1, 7, 4096] {
            let (leads, summary) = try streamed(rules: rules, chunkSize: chunk)
            #expect(leads.count == 6_000)
            #expect(leads.map { $0.rulePoints! } == whole.points, "chunk \(chunk)")
            #expect(leads.map { $0.ruleBand! } == whole.bands, "chunk \(chunk)")
            // The model's side of every lead is untouched by the rules.
            #expect(leads.map { var lead = $0; lead.rulePoints = nil; lead.ruleBand = nil; return lead } == plain, "chunk \(chunk)")
            #expect(summary.ruleBandCounts.map(\.band) == ["sales-ready", "MQL", "early-stage"])
            #expect(summary.ruleBandCounts.map(\.leads) == ["sales-ready", "MQL", "early-stage"].map { band in whole.bands.filter { $0 == band }.count })
            #expect(summary.notes.isEmpty)
        }
        #expect(Set(whole.points).count > 20)  // the points really vary
    }

    @Test func withoutRulesLeadsCarryNoRulePoints() throws {
        let leads = try ScoringFixtures.streamed(model, table: ScoringFixtures.leadsCSV, chunkSize: 100)
        #expect(leads.allSatisfy { $0.rulePoints == nil && $0.ruleBand == nil })
        let run = try TableScoring(model: model, table: ScoringFixtures.leadsCSV, scale: model.scoreScale, bands: model.bands).run { _ in }
        #expect(run.ruleBandCounts.isEmpty && run.notes.isEmpty)
    }

    @Test func aRuleWithoutItsColumnGivesNoPointsAndANote() throws {
        let rules = RuleSet(events: [EventRule(event: "demo_requested", points: 25, per: .once), EventRule(event: "chats", points: 3)],
                            profile: [ProfileRule(field: "industry", points: 10, equals: "Software")])
        let (leads, summary) = try streamed(rules: rules, chunkSize: 500)
        #expect(summary.notes == ["rules events[1] never applies: no column \"chats\" in \(ScoringFixtures.leadsCSV)"])
        let lines = ScoringFixtures.leadsLines(6_000).dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let expected = lines.map { f in (Double(f[12])! > 0 ? 25.0 : 0) + (f[1] == "Software" ? 10 : 0) }
        #expect(leads.map { $0.rulePoints! } == expected)
    }

    @Test func aCountThatIsNotANumberStopsAtItsLine() throws {
        var lines = ScoringFixtures.leadsLines(3)
        lines[0] += ",chats"
        for i in 1..<lines.count { lines[i] += ",\(i == 3 ? "many" : "1")" }
        let path = ScoringFixtures.write(lines)
        let rules = RuleSet(events: [EventRule(event: "chats", points: 3)])
        #expect(throws: InputError(file: path, line: 4, message: "column \"chats\": \"many\" is not a number, but rule \"events[0]\" of rules.json reads a count of events from it")) {
            _ = try streamed(rules: rules, chunkSize: 10, table: path)
        }
    }

    @Test func historyRulePointsAreTheSnapshotsAsOfTheSameMomentWhateverLaterEventsAndChunks() throws {
        let history = HistoryScoringTests.self
        let model = history.model
        let rules = RuleSet(events: [EventRule(event: "demo_request", points: 25), EventRule(event: "pricing_page_view", points: 15, windowDays: 30),
                                     EventRule(event: "email_open", points: 2, cap: 10)],
                            profile: [ProfileRule(field: "job_title", points: 10, equals: "VP")],
                            inactivity: InactivityRule(days: 30, points: -5))
        let f = history.write(withLater: false), g = history.write(withLater: true)
        let snapshot = try HistorySnapshot(model: model, contacts: f.contacts, events: f.events, asOf: history.asOf, rules: rules).current().snapshot
        let expected = try #require(snapshot.ruleSignals).points
        var runs: [[ScoredLead]] = []
        for (files, chunk) in [(f, 64), (g, 7)] {
            var leads: [ScoredLead] = []
            let summary = try HistoryScoring(model: model, contacts: files.contacts, events: files.events, asOf: history.asOf,
                                             scale: model.scoreScale, bands: model.bands, chunkSize: chunk, rules: rules).run { leads += $0 }
            #expect(leads.map(\.id) == snapshot.design.ids)
            #expect(leads.map { $0.rulePoints! } == expected)
            #expect(leads.map { $0.ruleBand! } == expected.map(rules.band(points:)))
            #expect(summary.ruleBandCounts.map(\.leads).reduce(0, +) == leads.count)
            runs.append(leads)
        }
        #expect(runs[0] == runs[1])
        #expect(Set(expected).count > 10)
    }

    @Test func csvAndJSONLinesCarryRulePointsAfterTheBand() throws {
        let leads = [ScoredLead(id: "a", probability: 0.25, score: 80, band: "MQL", rulePoints: 55, ruleBand: "MQL"),
                     ScoredLead(id: "b", probability: 0.01, score: 3, band: "early-stage", rulePoints: -12.5, ruleBand: "early-stage")]
        var csv = ScoredLeadFormatter(format: .csv, idColumn: "lead_id", reasons: 1, rules: true)
        var bytes: [UInt8] = []
        try csv.append(leads, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == """
            lead_id,probability,score,band,rule_points,rule_band,reason_up_1,reason_down_1
            a,0.25,80,MQL,55,MQL,,
            b,0.01,3,early-stage,-12.5,early-stage,,

            """)
        var json = ScoredLeadFormatter(format: .json, idColumn: "lead_id", reasons: 0, rules: true)
        bytes = []
        try json.append(leads, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"""
            {"lead_id":"a","probability":0.25,"score":80,"band":"MQL","rule_points":55,"rule_band":"MQL"}
            {"lead_id":"b","probability":0.01,"score":3,"band":"early-stage","rule_points":-12.5,"rule_band":"early-stage"}

            """#)
    }
}
