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
    /// The lead's id and when it was created, as the contacts have them.
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
/// Open means what `score` means by it: created before `asOf`, and not decided (won or lost) before `asOf`. The leads
/// are scored as `score` scores them, in chunks of a few thousand on every core: the chunk's events (from memory, not
/// a file) accumulated into point-in-time features, the feature table encoded by the model's frozen encoding, scored
/// by the ``HistoryLeadScorer``'s own ``LeadScorer``, and the rules counted from the same events. So a lead's
/// probability, score, band and rule points are what `score` writes for it from the files, and what `POST /v1/score`
/// (``HistoryLeadScorer``) answers for the lead ``LeadHistory`` holds (the server's tests hold those two together; this
/// one's tests hold the ranking to both). Scoring one lead at a time through ``HistoryLeadScorer`` would give the same
/// numbers at several times the cost.
///
/// Made from a history, a scorer and a moment; the history is only read, so when the model is reloaded a new
/// ranking is made from the same history without reading the files again. Immutable: share it between threads, and
/// replace it whole.
public final class LeadRanking: Sendable {
    /// The history the leads come from, shared with every other ranking made from it.
    public let history: LeadHistory
    /// The model (and rules) the leads are scored by: the one the server scores posted leads with.
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
    /// What a person should know, as `score` words it: rules that found nothing to look at, the history's reading
    /// notes, what the model could only approximate (levels it never saw, numbers far out of range, with how many
    /// leads), and event types the model never saw.
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
    /// The profile columns the model and the rules read, typed as `score` types them.
    private let scoringColumns: [ScoringColumn]

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
    public convenience init(history: LeadHistory, scorer: HistoryLeadScorer, asOf: Timestamp) throws(InputError) {
        try self.init(history: history, scorer: scorer, asOf: asOf, chunkSize: nil)
    }

    /// As ``init(history:scorer:asOf:)`` with leads scored `chunkSize` at a time (default: as many as fit a few tens
    /// of megabytes of accumulators), for tests.
    init(history: LeadHistory, scorer: HistoryLeadScorer, asOf: Timestamp, chunkSize: Int?) throws(InputError) {
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
        // Chunks small enough that the accumulators (event types x leads) stay within a few tens of megabytes.
        let stride = 3 + input.spec.windowsDays.count + max(1, scorer.rules?.eventWindowSeconds.count ?? 0)
        let chunk = chunkSize ?? max(256, min(8192, (32 << 20) / (4 * stride * max(1, history.eventNames.count))))
        let partitions = RowPartitions(rows: open.count, size: chunk, workers: ProcessInfo.processInfo.activeProcessorCount)
        let parts = partitions.map { range -> Result<ScoredPart, InputError> in
            do throws(InputError) {
                return .success(try Self.score(open[range], history: history, scorer: scorer, input: input, columns: columns, asOf: asOf,
                                               bands: bandNames, ruleBands: ruleBandNames))
            } catch {
                return .failure(error)
            }
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
        var notes = scored.unmatchedNotes + history.notes + scored.encodingNotes.notes
        var unused: [String: Int] = [:]
        for (code, n) in scored.eventTypeCounts.enumerated() where n > 0 {
            let name = history.eventNames[code]
            if input.vocabulary.group(of: name) == nil, input.vocabulary.counts[name] == nil, !input.spec.excludeEvents.contains(name),
               input.spec.events?.contains(name) ?? true {
                unused[name] = n
            }
        }
        notes += HistorySnapshot.newEventTypeNotes(unused)
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
        for column in scoringColumns {
            lead.profile[column.name] = column.values[Int(history.profileCodes(column: column.index)[c])]
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

    /// A profile column the model or the rules read, typed as `score` reads it: numbers (each code's, NaN for missing)
    /// or categories (the history's codes and levels); and each code as ``lead(_:)`` gives it.
    private struct ScoringColumn: Sendable {
        var index: Int
        var name: String
        var numbers: [Double]?
        var values: [ProfileValue]
    }

    /// What scoring some leads gave, column by column, and what the encoding and the rules noted.
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
        var encodingNotes = EncodingNotes()
        var unmatchedNotes: [String] = []

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
                unmatchedNotes = other.unmatchedNotes
            } else {
                for (code, n) in other.eventTypeCounts.enumerated() { eventTypeCounts[code] += n }
            }
            encodingNotes.merge(other.encodingNotes)
        }
    }

    /// Scores the contacts `leads` (a chunk, in file order) at `asOf` as `score` scores them (``HistorySnapshot``): their
    /// events accumulated into features and rule counts, the feature table encoded with the model's frozen encoding,
    /// and the rows scored.
    private static func score(_ leads: ArraySlice<Int32>, history: LeadHistory, scorer: HistoryLeadScorer, input: HistoryInput,
                              columns: [ScoringColumn], asOf: Timestamp, bands: [String], ruleBands: [String]) throws(InputError) -> ScoredPart {
        let all = history.contacts
        let n = leads.count
        var part = ScoredPart()
        part.eventTypeCounts = [Int](repeating: 0, count: history.eventNames.count)
        guard n > 0 else { return part }

        // The chunk's contacts, numbered 0..<n, with the profile columns typed as the model reads them.
        let profile = columns.map { column in
            let codes = history.profileCodes(column: column.index)
            if let numbers = column.numbers {
                return TableColumn(name: column.name, values: .numeric(leads.map { numbers[Int(codes[Int($0)])] }))
            }
            guard case .categorical(_, let levels) = all.profile[column.index].values else { preconditionFailure("profile columns are read as text") }
            return TableColumn(name: column.name, values: .categorical(codes: leads.map { codes[Int($0)] }, levels: levels))
        }
        let contacts = Contacts(path: all.path, ids: leads.map { all.ids[Int($0)] }, createdAt: leads.map { all.createdAt[Int($0)] },
                                profile: profile, rowLines: leads.map { all.rowLines[Int($0)] })

        // Their events before asOf, as one batch; and one more of the last event type at asOf itself, which counts for
        // nothing (only events strictly before the cutoff do) but makes room for every event type, as reading the whole
        // file does, so that rules and features see the same set of types whatever the chunk.
        var owners: [Int32] = [], times: [Timestamp] = [], codes: [Int32] = []
        for (r, c) in leads.enumerated() {
            let range = history.eventRange(of: Int(c), before: asOf)
            part.events.append(Int32(range.count))
            part.lastEvent.append(range.isEmpty ? noEvent : history.eventTime(range.upperBound - 1).seconds)
            for i in range {
                let code = history.eventCode(i)
                owners.append(Int32(r))
                times.append(history.eventTime(i))
                codes.append(Int32(code))
                part.eventTypeCounts[code] += 1
            }
        }
        if !history.eventNames.isEmpty {
            owners.append(0)
            times.append(asOf)
            codes.append(Int32(history.eventNames.count - 1))
        }
        let rows = (0..<Int32(n)).map { $0 }
        let cutoffs = [Timestamp](repeating: asOf, count: n)
        var ruleCounts = scorer.rules.map { HistoryRuleAccumulator(rules: $0, rows: rows, cutoffs: cutoffs, contacts: n) }
        let features = owners.withUnsafeBufferPointer { c in
            times.withUnsafeBufferPointer { t in
                codes.withUnsafeBufferPointer { e in
                    let batch = EventBatch(contacts: c, times: t, events: e)
                    ruleCounts?.add(batch)
                    return HistoryFeatures.accumulate(spec: input.spec, contacts: contacts, eventNames: history.eventNames, batch: batch,
                                                      rows: rows, cutoffs: cutoffs)
                }
            }
        }

        // Encoded and scored as `score` does it.
        let table = try features.table(vocabulary: input.vocabulary, labels: nil)
        let design = try scorer.model.encoding.design(for: table, labelled: false, notes: &part.encodingNotes)
        let signals = try ruleCounts?.signals(eventNames: history.eventNames, contacts: contacts)
        var probabilities: [Double] = []
        var scored: [ScoredLead] = []
        design.features.storage.withUnsafeBufferPointer { matrix in
            scorer.scorer.score(rows: matrix, count: n, ids: design.ids[...], reasons: 0, probabilities: &probabilities, into: &scored)
        }
        let points = signals?.points
        for (r, lead) in scored.enumerated() {
            part.probability.append(lead.probability)
            part.score.append(Int32(lead.score))
            part.band.append(Int32(bands.firstIndex(of: lead.band) ?? 0))
            if let rules = scorer.rules, let points {
                part.rulePoints.append(points[r])
                part.ruleBand.append(Int32(ruleBands.firstIndex(of: rules.band(points: points[r])) ?? 0))
            } else {
                part.rulePoints.append(.nan)
                part.ruleBand.append(0)
            }
        }
        part.unmatchedNotes = signals?.unmatchedNotes ?? []
        return part
    }

    /// The profile columns the model and the rules read that the history has, typed as `score` reads them: a field the
    /// model reads as numbers as numbers in the file's notation, a field it reads as categories as the text, a field
    /// only rules read as numbers when every value is one (as reading detects a numeric column); and the contacts whose
    /// value in a column the model reads as numbers is not a number (left out when skipping; otherwise the first of
    /// them, by line, stops).
    private static func scoringColumns(history: LeadHistory, scorer: HistoryLeadScorer, input: HistoryInput,
                                       skipped: inout SkippedRows) throws(InputError) -> ([ScoringColumn], Set<Int>) {
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
        var columns: [ScoringColumn] = []
        var bad: [(column: Int, messages: [String?])] = []
        for (j, column) in contacts.profile.enumerated() where read.contains(column.name) && !excluded.contains(column.name) {
            let text = history.profileValues(column: j)
            let numbers = column.levelsAsNumbers(format: format) ?? []
            let values = numbers.map { number -> Double in if case .value(let x) = number { x } else { .nan } }
            /// Each code as a posted lead's value, its number read in the file's notation.
            let numberValues = zip(values, text).map { x, value -> ProfileValue in
                if case .text = value, !x.isNaN { .number(x) } else { value }
            }
            switch roles[column.name] {
            case .numeric?:
                let messages = numbers.map { number -> String? in if case .bad(let message) = number { message } else { nil } }
                if messages.contains(where: { $0 != nil }) { bad.append((j, messages)) }
                columns.append(ScoringColumn(index: j, name: column.name, numbers: values, values: plain ? text : numberValues))
            case .categorical?:
                columns.append(ScoringColumn(index: j, name: column.name, numbers: nil, values: text))
            default:
                // A field only rules read (or one the model dropped): numbers when every value is one (and some value is
                // there), as reading detects a numeric column.
                let numeric = numbers.allSatisfy { if case .value = $0 { true } else { false } } && values.contains { !$0.isNaN }
                columns.append(ScoringColumn(index: j, name: column.name, numbers: numeric ? values : nil,
                                             values: plain || !numeric ? text : numberValues))
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
