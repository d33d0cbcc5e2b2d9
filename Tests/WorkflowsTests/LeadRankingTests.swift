import Foundation
import LeadData
import Rules
import Scoring
import Testing
import _TestSupport
@testable import Workflows

/// The open leads of a history held in memory (``LeadHistory``), ranked (``LeadRanking``): each lead scored as
/// `POST /v1/score` scores it, the order and values those `score` writes for the same files, pages that add up to the
/// whole order, and reading errors as `score` reports them.
@Suite struct LeadRankingTests {
    static let sample = ScoringFixtures.root.appendingPathComponent("datasets/sample")
    static let contactsPath = sample.appendingPathComponent("contacts.csv").path
    static let eventsPath = sample.appendingPathComponent("events.csv").path
    static let outcomesPath = sample.appendingPathComponent("outcomes.csv").path
    static let source = HistorySource(contacts: contactsPath, events: eventsPath, outcomes: outcomesPath)
    /// The end of the sample's data, and a moment well inside it (more leads not yet created, fewer decided).
    static let end = Timestamp.parse("2026-06-24")!
    static let middle = Timestamp.parse("2026-01-15T12:00:00Z")!

    static let model = try! LeadModel.load(path: ScoringFixtures.root.appendingPathComponent("models/sample.json").path)
    static let rules = try! RuleSetFile.load(path: ScoringFixtures.root.appendingPathComponent("datasets/rules/seed.json").path)
    static let scorer = try! HistoryLeadScorer(model: model, rules: rules)
    static let history = try! LeadHistory(source: source)
    static let ranking = try! LeadRanking(history: history, scorer: scorer, asOf: end)

    // MARK: The history

    /// Every contact of the sample, read here with a plain CSV reader, as a webhook would post it: profile values as
    /// the file spells them (empty: missing), events oldest first, ties by name.
    static let posted: [String: HistoryLead] = {
        func rows(_ path: String) -> [[String]] {
            let reader = try! CSVReader(path: path)
            var rows = [reader.header]
            while try! reader.next() { rows.append((0..<reader.record.count).map { try! reader.record.string(at: $0) }) }
            return rows
        }
        let contacts = rows(contactsPath)
        var leads: [String: HistoryLead] = [:]
        for row in contacts.dropFirst() {
            var profile: [String: ProfileValue] = [:]
            for (name, value) in zip(contacts[0], row).dropFirst(2) { profile[name] = value.isEmpty ? .missing : .text(value) }
            leads[row[0]] = HistoryLead(contactID: row[0], createdAt: Timestamp.parse(row[1])!, profile: profile)
        }
        for row in rows(eventsPath).dropFirst() {
            leads[row[0]]!.events.append(LeadEvent(time: Timestamp.parse(row[1])!, name: row[2]))
        }
        for id in leads.keys {
            leads[id]!.events.sort { $0.time != $1.time ? $0.time < $1.time : $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        }
        return leads
    }()

    @Test func everyContactIsTheLeadAWebhookWouldPost() {
        let history = Self.history
        #expect(history.count == 20_000)
        #expect(history.eventCount == 111_211)
        #expect(history.eventNames == history.eventNames.sorted())
        for (id, lead) in Self.posted {
            #expect(history.lead(id) == lead, "\(id)")
        }
        #expect(history.lead("C999999") == nil)
        #expect(history.outcome(of: "C000001")?.won == false)
        #expect(history.outcome(of: "C000001")?.decidedAt == Timestamp.parse("2025-06-19T20:02:22Z"))
    }

    /// Events in any order, and stored in chunks small enough that many contacts' events straddle two: the same leads.
    @Test func shuffledEventsInSmallChunksGiveTheSameLeads() throws {
        let folder = ScoringFixtures.folder()
        let lines = try String(contentsOfFile: Self.eventsPath, encoding: .utf8).split(separator: "\n").map(String.init)
        var rows = Array(lines.dropFirst())
        var generator = SeededGenerator(seed: 7)
        generator.shuffle(&rows)
        let shuffled = folder.appendingPathComponent("events.csv").path
        try (([lines[0]] + rows).joined(separator: "\n") + "\n").write(toFile: shuffled, atomically: true, encoding: .utf8)
        let history = try LeadHistory(source: HistorySource(contacts: Self.contactsPath, events: shuffled, outcomes: Self.outcomesPath),
                                      excluded: [], policy: .init(), progress: nil, chunkShift: 6)
        for c in 0..<history.count {
            #expect(history.lead(at: c) == Self.history.lead(at: c))
        }
        let ranking = try LeadRanking(history: history, scorer: Self.scorer, asOf: Self.end)
        #expect(ranking.page(order: .model, offset: 0, limit: .max) == Self.ranking.page(order: .model, offset: 0, limit: .max))
    }

    // MARK: Scores

    /// Every lead of the ranking has what the server's scorer gives the lead the history holds, at the same moment.
    @Test(arguments: [end, middle])
    func aRankedLeadIsWhatTheServerGivesIt(asOf: Timestamp) throws {
        let ranking = try LeadRanking(history: Self.history, scorer: Self.scorer, asOf: asOf)
        try Self.expectServerScores(ranking, history: Self.history, scorer: Self.scorer, asOf: asOf)
    }

    /// Each ranked lead against ``HistoryLeadScorer`` on ``LeadHistory/lead(_:)``, and its counts of events.
    static func expectServerScores(_ ranking: LeadRanking, history: LeadHistory, scorer: HistoryLeadScorer, asOf: Timestamp,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        let all = ranking.page(order: .model, offset: 0, limit: .max)
        #expect(all.count > 0, sourceLocation: sourceLocation)
        for (k, ranked) in all.enumerated() {
            let lead = try #require(history.lead(ranked.contactID), sourceLocation: sourceLocation)
            let scored = try scorer.score(lead, asOf: asOf, reasons: 3, keepingEarlyEvents: true)
            #expect(scored.probability == ranked.probability && scored.score == ranked.score && scored.band == ranked.band,
                    "\(ranked.contactID): \(scored.probability) \(scored.score) \(scored.band) against \(ranked)", sourceLocation: sourceLocation)
            #expect(scored.rulePoints == ranked.rulePoints && scored.ruleBand == ranked.ruleBand,
                    "\(ranked.contactID): \(String(describing: scored.rulePoints)) against \(ranked)", sourceLocation: sourceLocation)
            let before = lead.events.filter { $0.time < asOf }
            #expect(ranked.events == before.count && ranked.lastEvent == before.map(\.time).max(), sourceLocation: sourceLocation)
            #expect(ranked.createdAt == lead.createdAt, sourceLocation: sourceLocation)
            if k % 97 == 0 {
                // A lead's page: the same lead, with its reasons.
                #expect(try ranking.scored(ranked.contactID, reasons: 3) == scored, sourceLocation: sourceLocation)
                #expect(ranking.lead(ranked.contactID) == lead, sourceLocation: sourceLocation)
            }
        }
    }

    /// Leads scored a few at a time, or one at a time, rank and note exactly what one chunk does.
    @Test(arguments: [1, 7, 500])
    func theChunkSizeChangesNothing(chunkSize: Int) throws {
        let chunked = try LeadRanking(history: Self.history, scorer: Self.scorer, asOf: Self.middle, chunkSize: chunkSize)
        let whole = try LeadRanking(history: Self.history, scorer: Self.scorer, asOf: Self.middle, chunkSize: 1_000_000)
        #expect(chunked.page(order: .model, offset: 0, limit: .max) == whole.page(order: .model, offset: 0, limit: .max))
        #expect(chunked.page(order: .rules, offset: 0, limit: .max) == whole.page(order: .rules, offset: 0, limit: .max))
        #expect(chunked.notes == whole.notes)
    }

    /// The ranking holds the leads `score` writes for the same files at the same moment (the open ones), with the same
    /// values, in probability order; and, by the rules, in points order.
    @Test(arguments: [end, middle])
    func theRankingIsWhatScoreWrites(asOf: Timestamp) throws {
        let ranking = try LeadRanking(history: Self.history, scorer: Self.scorer, asOf: asOf)
        let written = try Self.expectWhatScoreWrites(ranking, source: Self.source, rules: Self.rules, asOf: asOf)
        #expect(written > 2000)
    }

    /// `score` (``HistoryScoring``, open leads only) on `source` at `asOf`, against `ranking`: the same leads, values,
    /// orders, counts and notes. Returns how many leads `score` wrote.
    @discardableResult
    static func expectWhatScoreWrites(_ ranking: LeadRanking, source: HistorySource, model: LeadModel = LeadRankingTests.model, rules: RuleSet?,
                                      asOf: Timestamp, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        var scoring = HistoryScoring(model: model, source: source, asOf: asOf, scale: model.scoreScale, bands: model.bands, rules: rules)
        scoring.openOnly = true
        var written: [ScoredLead] = []
        let summary = try scoring.run { written += $0 }
        #expect(ranking.count == written.count, sourceLocation: sourceLocation)
        #expect(ranking.notYetCreated == summary.notYetCreated, sourceLocation: sourceLocation)
        #expect(ranking.decided == summary.alreadyDecided, sourceLocation: sourceLocation)
        #expect(ranking.count + ranking.notYetCreated + ranking.decided == ranking.history.count, sourceLocation: sourceLocation)
        #expect(ranking.bandCounts(order: .model).map(\.leads) == summary.bandCounts.map(\.leads), sourceLocation: sourceLocation)
        #expect(ranking.bandCounts(order: .model).map(\.band) == model.bands.names, sourceLocation: sourceLocation)
        #expect(ranking.bandCounts(order: .rules).map(\.leads) == summary.ruleBandCounts.map(\.leads), sourceLocation: sourceLocation)
        #expect(ranking.notes == summary.notes, sourceLocation: sourceLocation)

        func byID(_ a: ScoredLead, _ b: ScoredLead) -> Bool { a.id.utf8.lexicographicallyPrecedes(b.id.utf8) }
        let byModel = written.sorted { $0.probability != $1.probability ? $0.probability > $1.probability : byID($0, $1) }
        let model = ranking.page(order: .model, offset: 0, limit: .max)
        #expect(model.map(\.contactID) == byModel.map(\.id), sourceLocation: sourceLocation)
        for (ranked, lead) in zip(model, byModel) {
            #expect(ranked.probability == lead.probability && ranked.score == lead.score && ranked.band == lead.band, "\(lead.id)",
                    sourceLocation: sourceLocation)
            #expect(ranked.rulePoints == lead.rulePoints && ranked.ruleBand == lead.ruleBand, "\(lead.id)", sourceLocation: sourceLocation)
        }
        #expect(model.enumerated().allSatisfy { $0.element.modelRank == $0.offset + 1 }, sourceLocation: sourceLocation)
        if rules != nil {
            let byRules = written.sorted {
                $0.rulePoints != $1.rulePoints ? $0.rulePoints! > $1.rulePoints!
                    : $0.probability != $1.probability ? $0.probability > $1.probability : byID($0, $1)
            }
            let ranked = ranking.page(order: .rules, offset: 0, limit: .max)
            #expect(ranked.map(\.contactID) == byRules.map(\.id), sourceLocation: sourceLocation)
            #expect(ranked.enumerated().allSatisfy { $0.element.rulesRank == $0.offset + 1 }, sourceLocation: sourceLocation)
        }
        return written.count
    }

    /// What the sample lacks: levels and event types the model never saw, a padded number, missing values, events at
    /// the moment itself and before their contact was created, a contact created a second before the moment and one at
    /// it, a profile field only the rules read, and rules of every kind.
    @Test(arguments: [end, middle])
    func awkwardLeadsToo(asOf: Timestamp) throws {
        let folder = ScoringFixtures.folder()
        let sampleContacts = try String(contentsOfFile: Self.contactsPath, encoding: .utf8).split(separator: "\n").map(String.init)
        // Every 40th contact of the sample, with a budget for some.
        let kept = stride(from: 1, to: sampleContacts.count, by: 40).map { sampleContacts[$0] }
        let ids = Set(kept.map { String($0.prefix { $0 != "," }) })
        let contacts = [sampleContacts[0] + ",budget"] + kept.enumerated().map { k, line in line + "," + (k % 3 == 0 ? "" : String(k * 7 % 50)) } + [
            "X1,2026-01-10T08:00:00Z,Chief Llama Officer, 300 ,Software,ZZ,Carrier Pigeon,5000",
            "X2,2026-06-23T23:59:59Z,,,,,,",
            "X3,2025-06-01,\"VP, Marketing\",0,Retail,US,Webinar,",
            "X4,2026-03-01T00:00:00Z,Head of Growth,120,Software,US,Paid Search,12.5",
            "X5,2026-06-24T00:00:00Z,Analyst,10,Software,US,Webinar,1",
        ]
        let sampleEvents = try String(contentsOfFile: Self.eventsPath, encoding: .utf8).split(separator: "\n").map(String.init)
        let events = [sampleEvents[0]] + sampleEvents.dropFirst().filter { ids.contains(String($0.prefix { $0 != "," })) } + [
            "X1,2026-06-20T10:00:00Z,pricing_page_view,",
            "X1,2026-06-21T10:00:00Z,quantum_teleport,",
            "X1,2026-06-24T00:00:00Z,demo_request,",
            "X1,2026-06-23T23:59:59Z,demo_request,",
            "X1,2026-01-15T12:00:00Z,demo_request,",
            "X3,2025-06-01,webinar_attended,",
            "X3,2026-06-01T12:00:00+02:00,email_open,",
            "X4,2026-02-20T09:00:00Z,pricing_page_view,",
            "X4,2026-01-02T09:00:00Z,demo_request,",
            "X4,2026-03-05T09:00:00Z,webinar_attended,",
        ]
        let sampleOutcomes = try String(contentsOfFile: Self.outcomesPath, encoding: .utf8).split(separator: "\n").map(String.init)
        let outcomes = [sampleOutcomes[0]] + sampleOutcomes.dropFirst().filter { ids.contains(String($0.prefix { $0 != "," })) }
        var paths: [String] = []
        for (name, lines) in [("contacts.csv", contacts), ("events.csv", events), ("outcomes.csv", outcomes), ("rules.json", [Self.richRules])] {
            let path = folder.appendingPathComponent(name).path
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let source = HistorySource(contacts: paths[0], events: paths[1], outcomes: paths[2])
        let rules = try RuleSetFile.load(path: paths[3])
        let scorer = try HistoryLeadScorer(model: Self.model, rules: rules)
        let history = try LeadHistory(source: source)
        let ranking = try LeadRanking(history: history, scorer: scorer, asOf: asOf, chunkSize: 16)
        try Self.expectServerScores(ranking, history: history, scorer: scorer, asOf: asOf)
        try Self.expectWhatScoreWrites(ranking, source: source, rules: rules, asOf: asOf)
        #expect(ranking.find(id: "X5") == nil)
        #expect(ranking.find(id: "X1") != nil)
        #expect(!ranking.notes.isEmpty)
    }

    /// Rules of every kind the seed rules lack (as the server's agreement tests have them), and a profile rule on a
    /// field only they read.
    static let richRules = """
        {"name": "rich",
         "events": [
           {"event": "demo_request", "points": 25, "per": "once"},
           {"event": "pricing_page_view", "points": 15, "cap": 45},
           {"event": "pricing_page_view", "points": 10, "window_days": 7},
           {"event": "email_open", "points": 2.5, "window_days": 30, "cap": 6},
           {"event": "quantum_teleport", "points": 3},
           {"event": "never_logged", "points": 100},
           {"event": "unsubscribe", "points": -12}
         ],
         "profile": [
           {"field": "job_title", "equals": "VP, Marketing", "points": 10},
           {"field": "industry", "one_of": ["Software", "Retail"], "points": 5},
           {"field": "company_size", "min": 200, "max": 1000, "points": 8},
           {"field": "country", "equals": "US", "points": 4},
           {"field": "lead_source", "one_of": ["Webinar", "Carrier Pigeon"], "points": -3},
           {"field": "budget", "min": 20, "points": 7}
         ],
         "inactivity": {"days": 14, "points": -6}}
        """

    // MARK: Lists

    @Test func pagesAddUpToTheWholeOrder() {
        let ranking = Self.ranking
        for order in RankingOrder.allCases {
            let all = ranking.page(order: order, offset: 0, limit: .max)
            #expect(all.count == ranking.count && ranking.count(order: order) == ranking.count)
            var pages: [RankedLead] = []
            var offset = 0
            while true {
                let page = ranking.page(order: order, offset: offset, limit: 37)
                if page.isEmpty { break }
                #expect(page.count <= 37)
                pages += page
                offset += page.count
            }
            #expect(pages == all)
            #expect(ranking.page(order: order, offset: all.count, limit: 10).isEmpty)
            #expect(ranking.page(order: order, offset: -1, limit: 10).isEmpty)
            #expect(ranking.page(order: order, offset: 0, limit: 0).isEmpty)

            // A band: the leads of that band, in the same order.
            let names = order == .model ? ranking.bands : ranking.ruleBands
            #expect(ranking.bandCounts(order: order).map(\.band) == names)
            #expect(ranking.bandCounts(order: order).map(\.leads).reduce(0, +) == ranking.count)
            for name in names {
                let inBand = all.filter { (order == .model ? $0.band : $0.ruleBand) == name }
                #expect(ranking.page(order: order, band: name, offset: 0, limit: .max) == inBand)
                #expect(ranking.count(order: order, band: name) == inBand.count)
                #expect(ranking.page(order: order, band: name, offset: 3, limit: 5) == Array(inBand.dropFirst(3).prefix(5)))
            }
            #expect(ranking.page(order: order, band: "no such band", offset: 0, limit: 10).isEmpty)
            #expect(ranking.count(order: order, band: "no such band") == 0)
        }
        // Every lead of the top band comes before every lead of the next.
        let model = ranking.page(order: .model, offset: 0, limit: .max)
        let bandOrder = model.map { ranking.bands.firstIndex(of: $0.band)! }
        #expect(bandOrder == bandOrder.sorted())
    }

    @Test func rulesListsAreEmptyWithoutRules() throws {
        let ranking = try LeadRanking(history: Self.history, scorer: HistoryLeadScorer(model: Self.model), asOf: Self.end)
        #expect(ranking.count == Self.ranking.count)
        #expect(ranking.page(order: .rules, offset: 0, limit: 10).isEmpty)
        #expect(ranking.count(order: .rules) == 0)
        #expect(ranking.bandCounts(order: .rules).isEmpty)
        let top = ranking.page(order: .model, offset: 0, limit: 5)
        #expect(top.allSatisfy { $0.rulePoints == nil && $0.ruleBand == nil && $0.rulesRank == nil })
        #expect(top.map(\.contactID) == Self.ranking.page(order: .model, offset: 0, limit: 5).map(\.contactID))
    }

    @Test func findAndSearch() {
        let ranking = Self.ranking
        let all = ranking.page(order: .model, offset: 0, limit: .max)
        for lead in all.prefix(50) + all.suffix(50) {
            #expect(ranking.find(id: lead.contactID) == lead)
        }
        #expect(ranking.find(id: "C999999") == nil)
        #expect(ranking.find(id: "") == nil)

        let sortedIDs = all.map(\.contactID).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for prefix in ["C0001", "C01999", "C02", "C", "", "C000001", "X", "c0001"] {
            let expected = sortedIDs.filter { $0.hasPrefix(prefix) }
            #expect(ranking.search(prefix: prefix, limit: .max).map(\.contactID) == expected, "\(prefix)")
            #expect(ranking.search(prefix: prefix, limit: 7).map(\.contactID) == Array(expected.prefix(7)), "\(prefix)")
        }
        #expect(ranking.search(prefix: "C", limit: 0).isEmpty)
        let hit = ranking.search(prefix: all[10].contactID, limit: 3)
        #expect(hit.first == all[10])
    }

    // MARK: Who is open

    @Test func decidedAndNotYetCreatedLeadsAreLeftOut() throws {
        let asOf = Self.middle
        let ranking = try LeadRanking(history: Self.history, scorer: Self.scorer, asOf: asOf)
        var decidedBefore = 0, decidedAfter = 0, notYet = 0
        for (id, lead) in Self.posted {
            let outcome = Self.history.outcome(of: id)
            let found = ranking.find(id: id)
            if lead.createdAt >= asOf {
                notYet += 1
                #expect(found == nil, "\(id) created after the moment")
            } else if let outcome, outcome.decidedAt < asOf {
                decidedBefore += 1
                #expect(found == nil, "\(id) decided before the moment")
            } else {
                if outcome != nil { decidedAfter += 1 }
                #expect(found != nil, "\(id) open at the moment")
            }
        }
        #expect(decidedBefore > 1000 && decidedAfter > 100 && notYet > 1000)
        #expect(ranking.decided == decidedBefore)
        #expect(ranking.notYetCreated == notYet)
        // A contact created exactly at the moment is not yet a lead.
        let first = try #require(Self.posted.values.min { $0.createdAt < $1.createdAt })
        #expect(try LeadRanking(history: Self.history, scorer: Self.scorer, asOf: first.createdAt).find(id: first.contactID) == nil)
    }

    /// Without outcomes, every contact created before the moment is open.
    @Test func withoutOutcomesEveryCreatedContactIsOpen() throws {
        let history = try LeadHistory(source: HistorySource(contacts: Self.contactsPath, events: Self.eventsPath))
        #expect(!history.hasOutcomes)
        let ranking = try LeadRanking(history: history, scorer: Self.scorer, asOf: Self.middle)
        #expect(ranking.decided == 0)
        #expect(ranking.count + ranking.notYetCreated == history.count)
    }

    // MARK: Bad rows

    /// A copy of the sample with `line` (1-based) of `file` replaced.
    static func sampleWith(_ file: String, line: Int, replacedBy text: String) throws -> HistorySource {
        let folder = ScoringFixtures.folder()
        var paths: [String: String] = [:]
        for name in ["contacts.csv", "events.csv", "outcomes.csv"] {
            var lines = try String(contentsOfFile: sample.appendingPathComponent(name).path, encoding: .utf8).split(separator: "\n").map(String.init)
            if name == file { lines[line - 1] = text }
            let path = folder.appendingPathComponent(name).path
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            paths[name] = path
        }
        return HistorySource(contacts: paths["contacts.csv"]!, events: paths["events.csv"]!, outcomes: paths["outcomes.csv"]!)
    }

    /// What `score` stops with on `source`, or what it skips.
    static func scoreError(_ source: HistorySource, policy: BadRowPolicy = .init()) -> (error: InputError?, summary: ScoringSummary?) {
        var scoring = HistoryScoring(model: model, source: source, asOf: end, policy: policy, scale: model.scoreScale, bands: model.bands, rules: rules)
        scoring.openOnly = true
        do { return (nil, try scoring.run { _ in }) } catch { return (error as? InputError, nil) }
    }

    @Test(arguments: [
        ("events.csv", 5000, "C000900,2026-13-01,page_view,"),
        ("events.csv", 777, "C000140,2026-01-01T00:00:00Z,,"),
        ("events.csv", 123, "C777777,2026-01-01T00:00:00Z,page_view,"),
        ("events.csv", 50_000, "C009000,2026-01-01T00:00:00Z,page_view"),
        ("contacts.csv", 300, "C000299,yesterday,Analyst,31,Software,DE,Trade Show"),
        ("outcomes.csv", 40, "C000040,maybe,2025-06-19T20:02:22Z"),
    ])
    func aBadRowIsRefusedAsScoreRefusesIt(file: String, line: Int, text: String) throws {
        let source = try Self.sampleWith(file, line: line, replacedBy: text)
        let expected = try #require(Self.scoreError(source).error)
        #expect(expected.line == line)
        #expect(throws: expected) { try LeadHistory(source: source) }

        // Skipped and counted as `score` skips and counts it; the ranking is then what `score` writes.
        let skipped = try #require(Self.scoreError(source, policy: .skipBadRows).summary)
        let history = try LeadHistory(source: source, policy: .skipBadRows)
        let ranking = try LeadRanking(history: history, scorer: Self.scorer, asOf: Self.end)
        #expect(ranking.skipped == skipped.skipped)
        #expect(ranking.count == skipped.scored)
        #expect(ranking.skipped.total >= 1)
    }

    /// A value that is not a number in a column the model reads as numbers: the history keeps it as text, and the
    /// ranking stops on it as `score` does (or skips its contact).
    @Test func aProfileValueThatIsNotANumberIsRefusedAsScoreRefusesIt() throws {
        let source = try Self.sampleWith("contacts.csv", line: 1234, replacedBy: "C001233,2025-02-11T10:00:00Z,Analyst,lots,Software,DE,Trade Show")
        let expected = try #require(Self.scoreError(source).error)
        #expect(expected.line == 1234)
        #expect(expected.message.contains("\"lots\" is not a number"))
        let history = try LeadHistory(source: source)
        #expect(history.lead("C001233")?.profile["company_size"] == .text("lots"))
        #expect(throws: expected) { try LeadRanking(history: history, scorer: Self.scorer, asOf: Self.end) }

        let skipping = try LeadHistory(source: source, policy: .skipBadRows)
        let ranking = try LeadRanking(history: skipping, scorer: Self.scorer, asOf: Self.end)
        #expect(ranking.skipped.total == 1)
        #expect(ranking.find(id: "C001233") == nil)
        #expect(ranking.skipped.lines.first?.contains("bad number") ?? false)
    }
}
