import Features
import Training
import Foundation
import LeadData
import LinearAlgebra
import Scoring
import Testing
import _TestSupport
import Workflows

/// History mode: features as of a moment, so events at or after it never change a score.
@Suite struct HistoryScoringTests {
    static let day: Int64 = 86_400
    static let start: Int64 = 1_735_689_600  // 2025-01-01T00:00:00Z
    static let asOf = Timestamp(seconds: start + 120 * day)

    static let history = SyntheticHistory(count: 400, seed: 11)

    /// The history's files, with events at and after the as-of time (one of a type never seen in training) when
    /// `withLater`.
    static func write(withLater: Bool) -> (contacts: String, events: String, outcomes: String) {
        try! history.write(to: ScoringFixtures.folder(), events: withLater ? history.withEventsFrom(asOf: asOf.seconds) : nil)
    }

    static let model: LeadModel = {
        let f = write(withLater: false)
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
        let (plain, summary) = try score(Self.write(withLater: false))
        let (withLater, _) = try score(Self.write(withLater: true), chunkSize: 7)
        #expect(plain.count > 200)
        #expect(plain == withLater)
        // Contacts created at or after the as-of time have no history yet and are left out, and said to be.
        #expect(summary.notYetCreated > 0)
        #expect(summary.scored + summary.notYetCreated == 400)
        #expect(plain.allSatisfy { $0.id.hasPrefix("C") })
    }

    @Test func historyReasonsAreOnePerEventTypeAndProfileColumn() throws {
        let (leads, _) = try score(Self.write(withLater: false))
        let texts = leads.flatMap { ($0.reasonsUp + $0.reasonsDown).map(\.description) }
        #expect(texts.contains { $0.hasPrefix("pricing_page_view: ") && $0.contains(" ago, ") })
        #expect(texts.contains { $0.hasPrefix("demo_request: never, ") })
        #expect(!texts.contains { $0.contains(", count, ") || $0.contains("never seen") })
        #expect(texts.contains { $0.hasPrefix("job_title: ") && $0.contains("(typical ") })
        #expect(leads.allSatisfy { $0.reasonsUp.count <= 3 && $0.reasonsDown.count <= 3 })
    }

    /// Grouped (one per event type and profile column) or not, a lead's reasons and the intercept add up to its
    /// log-odds; the groups are sums of the detailed reasons.
    @Test func groupedAndDetailedReasonsBothAddUpToTheLogOdds() throws {
        let model = Self.model, f = Self.write(withLater: false)
        let design = try HistorySnapshot(model: model, contacts: f.contacts, events: f.events, asOf: Self.asOf).current().snapshot.design
        let grouped = LeadExplainer(model: model), detailed = LeadExplainer(model: model, detail: true)
        let p = model.fit.probabilities(for: design.features)
        let d = design.features.columns
        var worst = 0.0
        for i in 0..<design.features.rows {
            let row = Array(design.features.storage[(i * d)..<((i + 1) * d)])
            let g = grouped.explain(row), e = detailed.explain(row)
            let logOdds = log(p[i] / (1 - p[i]))
            worst = max(worst, abs(g.logOdds - logOdds), abs(e.logOdds - logOdds))
            // Five event types plus the overall and profile columns, against a reason per feature column.
            #expect(g.reasons.count < e.reasons.count)
            let pricing = e.reasons.filter { $0.column.hasPrefix("pricing_page_view, ") }.reduce(0) { $0 + $1.contribution }
            #expect(abs((g.reasons.first { $0.column == "pricing_page_view" }?.contribution ?? .nan) - pricing) < 1e-12)
        }
        #expect(worst < 1e-9, "largest gap between the reasons' sum and the log-odds: \(worst)")
    }

    @Test func aColumnTakenAsLogsIsShownInRawUnits() throws {
        let f = Self.write(withLater: false)
        var spec = HistoryFeatureSpec()
        spec.profile.log1p = ["company_size"]
        var training = HistoryTraining(contacts: f.contacts, events: f.events, outcomes: f.outcomes, spec: spec)
        training.holdoutFraction = 0
        let model = try training.run().model
        #expect(model.encoding.features.contains { $0.name == "company_size (log1p)" })
        var leads: [ScoredLead] = []
        _ = try HistoryScoring(model: model, contacts: f.contacts, events: f.events, asOf: Self.asOf, scale: model.scoreScale,
                               bands: model.bands, reasons: 50).run { leads += $0 }
        let sizes = Dictionary(uniqueKeysWithValues: Self.history.contacts.dropFirst().map { line in
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
        let f = Self.write(withLater: false)
        let table = ScoringFixtures.tableModel
        #expect(throws: InputError.self) {
            _ = try HistoryScoring(model: table, contacts: f.contacts, events: f.events, asOf: Self.asOf, scale: table.scoreScale,
                                   bands: table.bands).run { _ in }
        }
    }
}
