import Evaluation
import Features
import Foundation
public import LeadData
import LinearAlgebra
import Rules
public import Scoring

/// One open lead as a ``LeadRanking`` ranks it: the model's view (probability, score, band) and, with rules, the
/// rules' view (points, band), its places in both orders, and how active it has been.
public struct RankedLead: Sendable, Equatable {
    public var contactID: String
    public var createdAt: Timestamp
    /// The probability of conversion, score 0-100 and band, as `POST /v1/score` gives them for this lead at the
    /// ranking's moment.
    public var probability: Double
    public var score: Int
    public var band: String
    /// The rules' points and band; nil without rules.
    public var rulePoints: Double?
    public var ruleBand: String?
    /// The lead's place in the model's order (1 = the highest probability).
    public var modelRank: Int
    /// Its place in the rules' order (1 = the most points); nil without rules.
    public var rulesRank: Int?
    /// Its events before the ranking's moment, and when the last of them happened (nil when there is none).
    public var events: Int
    public var lastEvent: Timestamp?

    public init(contactID: String, createdAt: Timestamp, probability: Double, score: Int, band: String, rulePoints: Double? = nil,
                ruleBand: String? = nil, modelRank: Int, rulesRank: Int? = nil, events: Int, lastEvent: Timestamp? = nil) {
        self.contactID = contactID
        self.createdAt = createdAt
        self.probability = probability
        self.score = score
        self.band = band
        self.rulePoints = rulePoints
        self.ruleBand = ruleBand
        self.modelRank = modelRank
        self.rulesRank = rulesRank
        self.events = events
        self.lastEvent = lastEvent
    }
}

/// Which view of the leads to list them by.
public enum RankingOrder: String, Sendable, Equatable, CaseIterable {
    /// By the model: probability, highest first; ties by contact id.
    case model
    /// By the rules: points, most first; ties by probability, highest first, then by contact id.
    case rules
}

/// Every lead open at one moment, scored by one model (and rules) and ranked, for a list that pages through a million
/// leads: pages, band filters, counts, and lookups by id or id prefix each cost what they return, not what the
/// ranking holds.
///
/// Open means what `score` means by it: created before `asOf`, and not decided (won or lost) before `asOf`. Each lead
/// is scored by ``HistoryLeadScorer`` — the path `POST /v1/score` takes — from the lead ``LeadHistory`` holds, with the
/// events before `asOf`, so its probability, score, band and rule points are those the server gives for the same
/// lead at the same moment, and those `score` writes for it from the files (tests hold all three together).
///
/// Made from a history, a scorer and a moment; the history is only read, so when the model is reloaded a new
/// ranking is made from the same history without reading the files again. Immutable: share it between threads, and
/// replace it whole.
public final class LeadRanking: Sendable {
    public let history: LeadHistory
    public let scorer: HistoryLeadScorer
    /// The moment the leads are scored at: only events strictly before it count.
    public let asOf: Timestamp
    /// The leads ranked: open at `asOf` (and with profile values the model can read; see ``skipped``).
    public let count: Int
    /// Contacts created at or after `asOf`, left out.
    public let notYetCreated: Int
    /// Contacts decided (won or lost) before `asOf`, left out.
    public let decided: Int
    /// The history's skipped rows, and the contacts left out under a skipping policy because a profile value the model
    /// reads as a number is not one.
    public let skipped: SkippedRows
    /// What a person should know: the history's reading notes, event types the model never saw, and what the model
    /// could only approximate for some leads (a level it never saw, a number far out of range), with how many leads.
    public let notes: [String]
    /// What makes the ranking doubtful: `asOf` long after the data end, so that every lead looks inactive.
    public let warnings: [String]
    /// The model's bands, highest first; and the rules' bands (empty without rules).
    public let bands: [String]
    public let ruleBands: [String]

    // Per ranked lead `k` (in contacts-file order): what it is and how it scored.
    private let contact: [Int32]
    private let probability: [Double]
    private let score: [Int32]
    private let band: [Int32]
    private let rulePoints: [Double]
    private let ruleBand: [Int32]
    private let eventCounts: [Int32]
    private let lastEvent: [Int64]
    /// Each contact's `k`, or -1 when it is not ranked.
    private let rankedIndex: [Int32]
    /// The leads in the model's order and in the rules' order (empty without rules), and each lead's place in them.
    private let modelOrder: [Int32]
    private let modelPlace: [Int32]
    private let rulesOrder: [Int32]
    private let rulesPlace: [Int32]
    /// Per band, its leads in that order.
    private let modelBandLists: [[Int32]]
    private let rulesBandLists: [[Int32]]
    /// The leads in the order of their ids' UTF-8 bytes, for prefix search.
    private let byID: [Int32]
    /// For each profile column the scorer reads (by its index in the history), each code's value as the scorer takes it.
    private let scoringColumns: [(index: Int, values: [ProfileValue])]

    private static let noEvent = Int64.min

    /// How far the ranked leads' probabilities have moved from those of the leads the model was trained for: the
    /// population stability index over the model file's reference bins (``ReferenceDistributions``), as `monitor`
    /// measures the score; nil for a model file without reference distributions, or without leads.
    public var scoreDrift: (psi: Double, level: Monitoring.Verdict)? {
        guard count > 0, let reference = scorer.model.reference?.probability else { return nil }
        let psi = PopulationStability.index(expected: reference.shares,
                                            actual: ReferenceDistributions.shares(probability, edges: reference.edges ?? []))
        return (psi, psi >= Monitoring.standardAct ? .alert : psi >= Monitoring.standardLook ? .warn : .ok)
    }

    /// Scores and ranks the leads of `history` open at `asOf` with `scorer`'s model and rules.
    ///
    /// A profile column the model reads as numbers is checked first, every contact of it (as `score` checks it when it
    /// reads the contacts): a value that is not a number stops with `contacts.csv:line: column "...": "..." is not a
    /// number (the column was declared numeric)`, or under the history's skipping policy leaves its contact out,
    /// counted in ``skipped``. Scoring runs on every core.
    public init(history: LeadHistory, scorer: HistoryLeadScorer, asOf: Timestamp) throws(InputError) {
        self.history = history
        self.scorer = scorer
        self.asOf = asOf
        let contacts = history.contacts
        let model = scorer.model
        guard let input = model.history else {
            throw InputError(file: contacts.path, line: nil, message: "the model was trained in table mode: it scores a table (one row per lead), not contact history")
        }

        // Profile columns as the model reads them.
        var skipped = history.skipped
        let (columns, unreadable) = try Self.scoringColumns(history: history, scorer: scorer, input: input, skipped: &skipped)
        scoringColumns = columns
        self.skipped = skipped

        // Open: created before asOf and not decided before it (`score`'s rule, from the same function).
        let decidedBefore = history.decided(before: asOf)
        var open: [Int32] = []
        var created = 0
        for c in 0..<contacts.count where contacts.createdAt[c] < asOf {
            created += 1
            if !decidedBefore[c] && !unreadable.contains(c) { open.append(Int32(c)) }
        }
        notYetCreated = contacts.count - created
        decided = (0..<contacts.count).reduce(0) { $0 + (contacts.createdAt[$1] < asOf && decidedBefore[$1] ? 1 : 0) }

        // Score every open lead as the server would, in parallel.
        let bandNames = model.bands.names
        let ruleBandNames = scorer.rules.map { rules in rules.bands.map(\.name) } ?? []
        let partitions = RowPartitions(rows: open.count, size: 4096, workers: ProcessInfo.processInfo.activeProcessorCount)
        let parts = partitions.map { range -> Result<ScoredPart, InputError> in
            Self.score(open[range], history: history, scorer: scorer, columns: columns, asOf: asOf, bands: bandNames, ruleBands: ruleBandNames)
        }
        var scored = ScoredPart()
        for part in parts {
            switch part {
            case .success(let piece): scored.append(piece)
            case .failure(let error): throw error
            }
        }
        count = open.count
        contact = open
        probability = scored.probability
        score = scored.score
        band = scored.band
        rulePoints = scored.rulePoints
        ruleBand = scored.ruleBand
        eventCounts = scored.events
        lastEvent = scored.lastEvent
        bands = bandNames
        ruleBands = ruleBandNames

        var rankedIndex = [Int32](repeating: -1, count: contacts.count)
        for (k, c) in open.enumerated() { rankedIndex[Int(c)] = Int32(k) }
        self.rankedIndex = rankedIndex

        // The orders: by probability (NaN last), then id; by points, then probability, then id.
        let idRank = history.idRank
        let p = scored.probability.map { $0.isNaN ? -Double.infinity : $0 }
        let idOf = open.map { idRank[Int($0)] }
        var modelOrder = (0..<Int32(open.count)).map { $0 }
        modelOrder.sort { a, b in
            let pa = p[Int(a)], pb = p[Int(b)]
            return pa != pb ? pa > pb : idOf[Int(a)] < idOf[Int(b)]
        }
        self.modelOrder = modelOrder
        modelPlace = Self.places(modelOrder)
        modelBandLists = Self.bandLists(modelOrder, band: scored.band, bands: bandNames.count)
        if scorer.rules != nil {
            let points = scored.rulePoints.map { $0.isNaN ? -Double.infinity : $0 }
            var rulesOrder = (0..<Int32(open.count)).map { $0 }
            rulesOrder.sort { a, b in
                let xa = points[Int(a)], xb = points[Int(b)]
                if xa != xb { return xa > xb }
                let pa = p[Int(a)], pb = p[Int(b)]
                return pa != pb ? pa > pb : idOf[Int(a)] < idOf[Int(b)]
            }
            self.rulesOrder = rulesOrder
            rulesPlace = Self.places(rulesOrder)
            rulesBandLists = Self.bandLists(rulesOrder, band: scored.ruleBand, bands: ruleBandNames.count)
        } else {
            rulesOrder = []
            rulesPlace = []
            rulesBandLists = []
        }
        byID = history.idOrder.compactMap { c in rankedIndex[Int(c)] >= 0 ? rankedIndex[Int(c)] : nil }

        // Notes, as `score` gives them.
        var notes = history.notes
        var unused: [String: Int] = [:]
        for (code, n) in scored.eventTypeCounts.enumerated() where n > 0 {
            let name = history.eventNames[code]
            if input.vocabulary.group(of: name) == nil, input.vocabulary.counts[name] == nil, !input.spec.excludeEvents.contains(name),
               input.spec.events?.contains(name) ?? true {
                unused[name] = n
            }
        }
        notes += HistorySnapshot.newEventTypeNotes(unused)
        for (warning, leads) in scored.warnings.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }).prefix(20) {
            notes.append("\(leads) lead\(leads == 1 ? "" : "s"): \(warning)")
        }
        self.notes = notes
        var warnings: [String] = []
        if let end = history.dataEnd, asOf.seconds - end.seconds > HistoryScoring.staleAfter.seconds {
            let days = (asOf.seconds - end.seconds) / 86_400
            warnings.append("the data end at \(end.iso8601), \(days) days before the moment scored (\(asOf.iso8601)): every lead looks \(days) days inactive and every recency feature is stale")
        }
        self.warnings = warnings
    }

    // MARK: Lists

    /// The leads of `order` from place `offset` (0-based), at most `limit` of them; only those of `band` when given
    /// (a model band for `.model`, a rules band for `.rules`). Empty past the end, for an unknown band, and for
    /// `.rules` without rules. Costs what it returns.
    public func page(order: RankingOrder, band: String? = nil, offset: Int, limit: Int) -> [RankedLead] {
        guard let list = list(order, band), offset >= 0, limit > 0, offset < list.count else { return [] }
        return list[offset..<min(list.count, offset + min(limit, list.count - offset))].map { ranked(Int($0)) }
    }

    /// How many leads ``page(order:band:offset:limit:)`` pages through.
    public func count(order: RankingOrder, band: String? = nil) -> Int {
        list(order, band)?.count ?? 0
    }

    /// The leads in each band of `order`, in band order (highest first); empty for `.rules` without rules.
    public func bandCounts(order: RankingOrder) -> [(band: String, leads: Int)] {
        switch order {
        case .model: return zip(bands, modelBandLists).map { ($0, $1.count) }
        case .rules: return zip(ruleBands, rulesBandLists).map { ($0, $1.count) }
        }
    }

    /// The ranked lead with this id (O(1)); nil when no contact has it or it is not open at ``asOf``.
    public func find(id: String) -> RankedLead? {
        guard let c = history.contacts.index(of: id), rankedIndex[Int(c)] >= 0 else { return nil }
        return ranked(Int(rankedIndex[Int(c)]))
    }

    /// Ranked leads whose id starts with `prefix` (byte for byte, so case counts), in the order of their ids' bytes, at
    /// most `limit`: what a search box lists as the user types. A binary search, then what it returns.
    public func search(prefix: String, limit: Int) -> [RankedLead] {
        guard limit > 0 else { return [] }
        let ids = history.contacts.ids
        let wanted = Array(prefix.utf8)
        func id(_ position: Int) -> String { ids[Int(contact[Int(byID[position])])] }
        // The first id not before the prefix.
        var lo = 0, hi = byID.count
        wanted.withUnsafeBufferPointer { p in
            while lo < hi {
                let mid = (lo + hi) / 2
                var text = id(mid)
                if text.withUTF8({ LeadHistory.precedes($0, p) }) { lo = mid + 1 } else { hi = mid }
            }
        }
        var found: [RankedLead] = []
        var position = lo
        while position < byID.count, found.count < limit, id(position).utf8.starts(with: wanted) {
            found.append(ranked(Int(byID[position])))
            position += 1
        }
        return found
    }

    // MARK: One lead

    /// Lead `id` as this ranking scored it (see ``LeadHistory/lead(_:)``): every event, with the profile values a file
    /// writes with a thousands separator or a decimal comma read as numbers where the model reads numbers; nil when no
    /// contact has the id.
    public func lead(_ id: String) -> HistoryLead? {
        guard let c = history.index(of: id) else { return nil }
        var lead = history.lead(at: c)
        for (j, values) in scoringColumns {
            lead.profile[history.contacts.profile[j].name] = values[Int(history.profileCodes(column: j)[c])]
        }
        return lead
    }

    /// Lead `id` scored at ``asOf`` with `reasons` reasons each way, as `POST /v1/score` (and `GET /v1/leads/{id}`)
    /// answer for it: for a lead's page. Nil when the lead is not ranked.
    public func scored(_ id: String, reasons: Int) throws(LeadInputError) -> ScoredLead? {
        guard find(id: id) != nil, let lead = lead(id) else { return nil }
        return try scorer.score(lead, asOf: asOf, reasons: reasons, keepingEarlyEvents: true)
    }

    // MARK: Private

    private func list(_ order: RankingOrder, _ band: String?) -> ArraySlice<Int32>? {
        switch order {
        case .model:
            guard let band else { return modelOrder[...] }
            return bands.firstIndex(of: band).map { modelBandLists[$0][...] }
        case .rules:
            guard scorer.rules != nil else { return nil }
            guard let band else { return rulesOrder[...] }
            return ruleBands.firstIndex(of: band).map { rulesBandLists[$0][...] }
        }
    }

    private func ranked(_ k: Int) -> RankedLead {
        let c = Int(contact[k])
        let hasRules = scorer.rules != nil
        return RankedLead(contactID: history.contacts.ids[c], createdAt: history.contacts.createdAt[c], probability: probability[k],
                          score: Int(score[k]), band: bands[Int(band[k])],
                          rulePoints: hasRules ? rulePoints[k] : nil, ruleBand: hasRules ? ruleBands[Int(ruleBand[k])] : nil,
                          modelRank: Int(modelPlace[k]) + 1, rulesRank: hasRules ? Int(rulesPlace[k]) + 1 : nil,
                          events: Int(eventCounts[k]), lastEvent: lastEvent[k] == Self.noEvent ? nil : Timestamp(seconds: lastEvent[k]))
    }

    private static func places(_ order: [Int32]) -> [Int32] {
        var place = [Int32](repeating: 0, count: order.count)
        for (position, k) in order.enumerated() { place[Int(k)] = Int32(position) }
        return place
    }

    private static func bandLists(_ order: [Int32], band: [Int32], bands: Int) -> [[Int32]] {
        var lists = [[Int32]](repeating: [], count: bands)
        for k in order { lists[Int(band[Int(k)])].append(k) }
        return lists
    }

    /// What scoring some leads gave, column by column.
    private struct ScoredPart {
        var probability: [Double] = []
        var score: [Int32] = []
        var band: [Int32] = []
        var rulePoints: [Double] = []
        var ruleBand: [Int32] = []
        var events: [Int32] = []
        var lastEvent: [Int64] = []
        /// Events before `asOf` by event code.
        var eventTypeCounts: [Int] = []
        /// Each lead warning, with how many leads have it.
        var warnings: [String: Int] = [:]

        mutating func append(_ other: ScoredPart) {
            probability += other.probability
            score += other.score
            band += other.band
            rulePoints += other.rulePoints
            ruleBand += other.ruleBand
            events += other.events
            lastEvent += other.lastEvent
            if eventTypeCounts.isEmpty {
                eventTypeCounts = other.eventTypeCounts
            } else {
                for (code, n) in other.eventTypeCounts.enumerated() { eventTypeCounts[code] += n }
            }
            warnings.merge(other.warnings, uniquingKeysWith: +)
        }
    }

    /// Scores the contacts `leads` as the server scores a posted lead.
    private static func score(_ leads: ArraySlice<Int32>, history: LeadHistory, scorer: HistoryLeadScorer,
                              columns: [(index: Int, values: [ProfileValue])], asOf: Timestamp,
                              bands: [String], ruleBands: [String]) -> Result<ScoredPart, InputError> {
        var part = ScoredPart()
        part.eventTypeCounts = [Int](repeating: 0, count: history.eventNames.count)
        let contacts = history.contacts
        for c32 in leads {
            let c = Int(c32)
            let lead = history.lead(at: c, columns: columns, before: asOf)
            let scored: ScoredLead
            do {
                scored = try scorer.score(lead, asOf: asOf, reasons: 0, keepingEarlyEvents: true)
            } catch {
                return .failure(InputError(file: contacts.path, line: Int(contacts.rowLines[c]), message: "\(error.field): \(error.message)"))
            }
            part.probability.append(scored.probability)
            part.score.append(Int32(scored.score))
            part.band.append(Int32(bands.firstIndex(of: scored.band) ?? 0))
            part.rulePoints.append(scored.rulePoints ?? .nan)
            part.ruleBand.append(Int32(scored.ruleBand.flatMap { ruleBands.firstIndex(of: $0) } ?? 0))
            let range = history.eventRange(of: c, before: asOf)
            part.events.append(Int32(range.count))
            part.lastEvent.append(range.isEmpty ? noEvent : history.eventTime(range.upperBound - 1).seconds)
            for i in range { part.eventTypeCounts[history.eventCode(i)] += 1 }
            for warning in scored.warnings { part.warnings[warning, default: 0] += 1 }
        }
        return .success(part)
    }

    /// The profile columns `scorer` reads that the history has, each with its values by code as the scorer is to take
    /// them; and the contacts whose value in a column the model reads as numbers is not a number (left out when
    /// skipping; otherwise the first of them, by line, stops).
    private static func scoringColumns(history: LeadHistory, scorer: HistoryLeadScorer, input: HistoryInput,
                                       skipped: inout SkippedRows) throws(InputError) -> ([(index: Int, values: [ProfileValue])], Set<Int>) {
        let contacts = history.contacts
        let format = history.source.contacts.format
        let plain = format.thousands == nil && format.decimal == UInt8(ascii: ".")
        // The model's role for each profile field, as `score` reads the contacts for it (spec exclusions not read).
        var roles: [String: ColumnRecipe.Role] = [:]
        for recipe in scorer.model.encoding.recipes {
            let field = HistoryFeatures.profileField(ofColumn: recipe.column, spec: input.spec).field
            if roles[field] == nil { roles[field] = recipe.role }
        }
        let excluded = Set(input.spec.profile.exclude)
        let read = Set(scorer.profileFields)
        var columns: [(index: Int, values: [ProfileValue])] = []
        var bad: [(column: Int, levels: [String?])] = []
        for (j, column) in contacts.profile.enumerated() where read.contains(column.name) && !excluded.contains(column.name) {
            let text = history.profileValues(column: j)
            let numbers = column.levelsAsNumbers(format: format) ?? []
            switch roles[column.name] {
            case .numeric?:
                let messages = numbers.map { number -> String? in if case .bad(let message) = number { message } else { nil } }
                if messages.contains(where: { $0 != nil }) { bad.append((j, messages)) }
                columns.append((j, plain ? text : zip(numbers, text).map { number, value in
                    if case .value(let x) = number { x.isNaN ? .missing : .number(x) } else { value }
                }))
            case nil where !plain && numbers.allSatisfy({ if case .value = $0 { true } else { false } }):
                // A field only rules read, all numbers in the file's notation: `score` finds the column numeric.
                columns.append((j, numbers.map { number in if case .value(let x) = number, !x.isNaN { .number(x) } else { .missing } }))
            default:
                columns.append((j, text))
            }
        }
        guard !bad.isEmpty else { return (columns, []) }
        var unreadable = Set<Int>()
        for c in 0..<contacts.count {
            for (j, messages) in bad {
                guard let message = messages[Int(history.profileCodes(column: j)[c])] else { continue }
                let error = InputError(file: contacts.path, line: Int(contacts.rowLines[c]), message: message)
                guard history.policy.skip else { throw error }
                skipped.record(error, reason: "bad number")
                unreadable.insert(c)
                break
            }
        }
        try history.policy.checkLimit(skipped, path: contacts.path, rows: contacts.count + history.skipped.count(inFile: contacts.path))
        return (columns, unreadable)
    }
}
