import Features
import Foundation
import LeadData
import Scoring
import Testing
import _TestSupport
import Workflows

/// History mode: features as of a moment, so events at or after it never change a score.
@Suite struct HistoryScoringTests {
    static let day: Int64 = 86_400
    static let start: Int64 = 1_735_689_600  // 2025-01-01T00:00:00Z
    static let asOf = Timestamp(seconds: start + 120 * day)

    /// A seeded history: contacts created over 150 days, events over the 200 days after each, outcomes for most.
    struct Files {
        var contacts = ["contact_id,created_at,job_title,company_size"]
        var events = ["contact_id,timestamp,event"]
        var outcomes = ["contact_id,outcome,decided_at"]
        var later: [String] = []

        init(count: Int) {
            var generator = SeededGenerator(seed: 11)
            func u() -> Double { generator.nextDouble() }
            let titles = ["VP", "Manager", "Engineer", "Director"]
            let kinds = ["page_view", "pricing_page_view", "email_open", "webinar_attended", "demo_request"]
            for i in 0..<count {
                let id = "C\(i)"
                let created = start + Int64(u() * 150) * day + Int64(u() * 86_000)
                contacts.append("\(id),\(Timestamp(seconds: created).iso8601),\(titles[Int(u() * 4)]),\(u() < 0.1 ? "" : String(Int(10 + u() * 5000)))")
                var pricing = 0
                for _ in 0..<Int(u() * 25) {
                    let kind = kinds[min(4, Int(u() * u() * 5.5))]
                    if kind == "pricing_page_view" { pricing += 1 }
                    events.append("\(id),\(Timestamp(seconds: created + Int64(u() * 200 * Double(day))).iso8601),\(kind)")
                }
                if u() < 0.75 {
                    outcomes.append("\(id),\(u() < 0.1 + 0.1 * Double(pricing) ? "won" : "lost"),\(Timestamp(seconds: created + (30 + Int64(u() * 200)) * day).iso8601)")
                }
                // Events at and after the as-of time, one of a type never seen in training.
                guard created < HistoryScoringTests.asOf.seconds else { continue }
                later.append("\(id),\(HistoryScoringTests.asOf.iso8601),demo_request")
                later.append("\(id),\(Timestamp(seconds: HistoryScoringTests.asOf.seconds + Int64(i % 30) * day + 1).iso8601),pricing_page_view")
                later.append("\(id),\(Timestamp(seconds: HistoryScoringTests.asOf.seconds + 3600).iso8601),post_sale_login")
            }
        }

        func write(withLater: Bool) -> (contacts: String, events: String, outcomes: String) {
            let folder = ScoringFixtures.folder()
            func put(_ name: String, _ lines: [String]) -> String {
                let path = folder.appendingPathComponent(name).path
                try! (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
                return path
            }
            // Unsorted, as exports are: the later events first.
            let events = withLater ? [self.events[0]] + later + self.events.dropFirst() : self.events
            return (put("contacts.csv", contacts), put("events.csv", events), put("outcomes.csv", outcomes))
        }
    }

    static let files = Files(count: 400)
    static let model: LeadModel = {
        let f = files.write(withLater: false)
        var training = HistoryTraining(contacts: f.contacts, events: f.events, outcomes: f.outcomes)
        training.holdoutFraction = 0
        return try! training.run().model
    }()

    func score(_ f: (contacts: String, events: String, outcomes: String), chunkSize: Int = 64) throws -> ([ScoredLead], ScoringSummary) {
        let model = Self.model
        var leads: [ScoredLead] = []
        let summary = try HistoryScoring(model: model, contacts: f.contacts, events: f.events, asOf: Self.asOf, scale: model.scoreScale,
                                         bands: model.bands, reasons: 3, chunkSize: chunkSize).run { leads += $0 }
        return (leads, summary)
    }

    @Test func eventsAtOrAfterAsOfChangeNothing() throws {
        let (plain, summary) = try score(Self.files.write(withLater: false))
        let (withLater, _) = try score(Self.files.write(withLater: true), chunkSize: 7)
        #expect(plain.count > 200)
        #expect(plain == withLater)
        // Contacts created at or after the as-of time have no history yet and are left out, and said to be.
        #expect(summary.notYetCreated > 0)
        #expect(summary.scored + summary.notYetCreated == 400)
        #expect(plain.allSatisfy { $0.id.hasPrefix("C") })
    }

    @Test func historyReasonsReadLikeTheFeatureNames() throws {
        let (leads, _) = try score(Self.files.write(withLater: false))
        let texts = leads.flatMap { ($0.reasonsUp + $0.reasonsDown).map(\.description) }
        #expect(texts.contains { $0.hasPrefix("pricing_page_view, count, ") })
        #expect(texts.contains { $0.hasPrefix("job_title: ") && $0.contains("(typical ") })
        #expect(leads.allSatisfy { $0.reasonsUp.count <= 3 && $0.reasonsDown.count <= 3 })
    }

    @Test func aColumnTakenAsLogsIsShownInRawUnits() throws {
        let f = Self.files.write(withLater: false)
        var spec = HistoryFeatureSpec()
        spec.profile.log1p = ["company_size"]
        var training = HistoryTraining(contacts: f.contacts, events: f.events, outcomes: f.outcomes, spec: spec)
        training.holdoutFraction = 0
        let model = try training.run().model
        #expect(model.encoding.features.contains { $0.name == "company_size (log1p)" })
        var leads: [ScoredLead] = []
        _ = try HistoryScoring(model: model, contacts: f.contacts, events: f.events, asOf: Self.asOf, scale: model.scoreScale,
                               bands: model.bands, reasons: 50).run { leads += $0 }
        let sizes = Dictionary(uniqueKeysWithValues: Self.files.contacts.dropFirst().map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return (String(fields[0]), String(fields[3]))
        })
        var checked = 0
        for lead in leads {
            guard let reason = (lead.reasonsUp + lead.reasonsDown).first(where: { $0.column == "company_size" }) else { continue }
            let raw = sizes[lead.id]!
            #expect(reason.value == (raw.isEmpty ? "missing" : raw), "\(lead.id)")
            if !raw.isEmpty { #expect(reason.typical?.hasSuffix(" on a log scale") == true) }
            checked += 1
        }
        #expect(checked > 100)
    }

    @Test func aHistoryModelRefusesATableAndATableModelRefusesHistory() throws {
        let model = Self.model
        #expect(throws: InputError.self) {
            _ = try TableScoring(model: model, table: ScoringFixtures.leadsCSV, scale: model.scoreScale, bands: model.bands).run { _ in }
        }
        let f = Self.files.write(withLater: false)
        let table = ScoringFixtures.tableModel
        #expect(throws: InputError.self) {
            _ = try HistoryScoring(model: table, contacts: f.contacts, events: f.events, asOf: Self.asOf, scale: table.scoreScale,
                                   bands: table.bands).run { _ in }
        }
    }
}
