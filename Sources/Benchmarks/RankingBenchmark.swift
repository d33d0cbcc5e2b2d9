import Foundation
import LeadData
import Rules
import Scoring
import SyntheticLeads
import Workflows

/// Times what `leadscore serve` does to list the open leads of a history: reading the history into memory
/// (``LeadHistory``), scoring and ranking the leads open at the end of the data (``LeadRanking``), and the calls a web
/// page makes (a page of 50, a lead by id, a search by id prefix); beside it, `score` on the same files (open leads
/// only, output discarded), the one-shot way to the same scores.
///
/// On a synthetic history it writes itself, with a model trained on it and rules like the seed rules.
package struct RankingBenchmark: Sendable {
    package var contacts: Int
    /// The generator's event-volume multiplier (1 gives about 5.5 events per contact).
    package var activity: Double
    package var seed: UInt64
    /// Calls of each kind timed (page, find, search); their mean is reported.
    package var calls: Int

    package init(contacts: Int, activity: Double = 1, seed: UInt64 = 7, calls: Int = 2_000) {
        self.contacts = contacts
        self.activity = activity
        self.seed = seed
        self.calls = calls
    }

    /// What the history and the ranking took.
    package struct Timing: Codable, Sendable {
        package var contacts: Int
        package var events: Int
        /// Leads open at the moment ranked.
        package var openLeads: Int
        /// `score` on the same files: open leads scored, with rules, output discarded.
        package var scoreSeconds: Double
        /// Reading the history into memory, and scoring and ranking its open leads.
        package var loadSeconds: Double
        package var rankSeconds: Double
        /// The mean of one call: a page of 50 leads (model order, rules order, one band), one lead by id, and a
        /// search of 20 by an id prefix.
        package var pageMicroseconds: Double
        package var findMicroseconds: Double
        package var searchMicroseconds: Double
        /// Writing the synthetic files and training the model (not part of ranking; for context).
        package var generateSeconds: Double
        package var trainSeconds: Double
    }

    /// Rules in the spirit of `datasets/rules/seed.json`, for the generator's event names.
    static let rules = RuleSet(name: "bench", events: [EventRule(event: "demo_request", points: 25), EventRule(event: "pricing_page_view", points: 15),
                                                       EventRule(event: "webinar_attended", points: 20), EventRule(event: "page_view", points: 5),
                                                       EventRule(event: "email_open", points: 2), EventRule(event: "unsubscribe", points: -10)],
                               inactivity: InactivityRule(days: 30, points: -5))

    /// Generates the history into `folder` (which must exist), trains a model on it, and times `score`, the history and
    /// the ranking as of the day before the data end.
    package func run(in folder: String) throws -> Timing {
        let clock = ContinuousClock()
        var start = clock.now
        let options = GeneratorOptions(contacts: contacts, seed: seed, activity: activity)
        _ = try LeadHistoryGenerator(options: options).write(to: folder)
        let generateSeconds = (clock.now - start).seconds
        let path = { (name: String) in URL(fileURLWithPath: folder).appendingPathComponent(name).path }
        let source = HistorySource(contacts: path("contacts.csv"), events: path("events.csv"), outcomes: path("outcomes.csv"))

        start = clock.now
        var training = HistoryTraining(contacts: source.contacts.path, events: source.events.path, outcomes: source.outcomes!.path)
        training.holdoutFraction = 0
        let model = try training.run().model
        let trainSeconds = (clock.now - start).seconds
        let asOf = Timestamp(seconds: options.end - 86_400)

        start = clock.now
        var scoring = HistoryScoring(model: model, source: source, asOf: asOf, scale: model.scoreScale, bands: model.bands, rules: Self.rules)
        scoring.openOnly = true
        var checksum = 0.0
        let summary = try scoring.run { leads in for lead in leads { checksum += lead.probability } }
        let scoreSeconds = (clock.now - start).seconds

        start = clock.now
        let history = try LeadHistory(source: source)
        let loadSeconds = (clock.now - start).seconds
        start = clock.now
        let ranking = try LeadRanking(history: history, scorer: HistoryLeadScorer(model: model, rules: Self.rules), asOf: asOf)
        let rankSeconds = (clock.now - start).seconds
        precondition(ranking.count == summary.scored, "the ranking holds the leads score scores")

        // Calls spread over the whole list, in a fixed order.
        var generator = SeededGenerator(seed: seed)
        let n = max(1, ranking.count)
        let band = ranking.bandCounts(order: .model).max { $0.leads < $1.leads }?.band
        let ids = (0..<calls).map { _ in ranking.page(order: .model, offset: Int(generator.next() % UInt64(n)), limit: 1).first?.contactID ?? "" }
        let offsets = (0..<calls).map { _ in Int(generator.next() % UInt64(n)) }
        var sink = 0
        start = clock.now
        for (k, offset) in offsets.enumerated() {
            switch k % 3 {
            case 0: sink &+= ranking.page(order: .model, offset: offset, limit: 50).count
            case 1: sink &+= ranking.page(order: .rules, offset: offset, limit: 50).count
            default: sink &+= ranking.page(order: .model, band: band, offset: offset / 4, limit: 50).count
            }
        }
        let pageSeconds = (clock.now - start).seconds
        start = clock.now
        for id in ids { sink &+= ranking.find(id: id)?.events ?? 0 }
        let findSeconds = (clock.now - start).seconds
        start = clock.now
        for id in ids { sink &+= ranking.search(prefix: String(id.prefix(max(1, id.count - 2))), limit: 20).count }
        let searchSeconds = (clock.now - start).seconds
        precondition(checksum.isFinite && sink >= 0, "results are used")

        let perCall = { (seconds: Double) in seconds / Double(max(1, calls)) * 1e6 }
        return Timing(contacts: contacts, events: history.eventCount, openLeads: ranking.count, scoreSeconds: scoreSeconds,
                      loadSeconds: loadSeconds, rankSeconds: rankSeconds, pageMicroseconds: perCall(pageSeconds),
                      findMicroseconds: perCall(findSeconds), searchMicroseconds: perCall(searchSeconds),
                      generateSeconds: generateSeconds, trainSeconds: trainSeconds)
    }
}
