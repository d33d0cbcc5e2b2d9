import Features
import Foundation
import LeadData
import Rules
import Scoring

/// Features of contacts as of one moment, encoded exactly as a history model expects: the model's spec, frozen event
/// vocabulary and standardisation. This is what scoring sees; only events strictly before `asOf` count.
public struct HistorySnapshot: Sendable {
    public var model: LeadModel
    public var contacts: String
    public var events: String
    public var asOf: Timestamp
    public var policy: BadRowPolicy
    /// Rules to score in the same pass over the events, with the same cutoffs.
    public var rules: RuleSet?

    public init(model: LeadModel, contacts: String, events: String, asOf: Timestamp, policy: BadRowPolicy = .init(),
                rules: RuleSet? = nil) {
        self.model = model
        self.rules = rules
        self.contacts = contacts
        self.events = events
        self.asOf = asOf
        self.policy = policy
    }

    /// What one pass over the events gave: the encoded features and, with rules, their signals.
    public struct Snapshot: Sendable {
        public var design: DesignMatrix
        public var ruleSignals: RuleSignals?
        public var skipped: SkippedRows
        /// What differs from the training data but is tolerated: event types and profile levels the model never saw.
        public var notes: [String]
    }

    /// The design matrix of every contact created before `asOf`, and how many were left out as not yet created.
    public func design() throws(InputError) -> (design: DesignMatrix, notYetCreated: Int, skipped: SkippedRows) {
        let (snapshot, notYetCreated) = try current()
        return (snapshot.design, notYetCreated, snapshot.skipped)
    }

    /// As ``design()``, with the rule signals too.
    public func current() throws(InputError) -> (snapshot: Snapshot, notYetCreated: Int) {
        var skipped = SkippedRows()
        let contactList = try readContacts(skipped: &skipped)
        let rows = (0..<contactList.count).filter { contactList.createdAt[$0] < asOf }.map(Int32.init)
        let snapshot = try encode(contactList, rows: rows, cutoffs: Array(repeating: asOf, count: rows.count), labels: nil,
                                  skipped: skipped)
        return (snapshot, contactList.count - rows.count)
    }

    /// Every decided contact of `outcomes`, its features as of its `decided_at` minus the model's gap (as in
    /// training), with its outcome as the label: what `compare` measures on.
    public func labelled(outcomes: String) throws(InputError) -> Snapshot {
        guard let history = model.history else { throw tableModel() }
        var skipped = SkippedRows()
        let contactList = try readContacts(skipped: &skipped)
        let outcomeList = try Outcomes.read(path: outcomes, contacts: contactList, policy: policy, skipped: &skipped)
        let byContact = outcomeList.byContact(count: contactList.count)
        var rows: [Int32] = [], cutoffs: [Timestamp] = [], labels: [Bool] = []
        for c in 0..<contactList.count where byContact[c] >= 0 {
            let k = Int(byContact[c])
            rows.append(Int32(c))
            cutoffs.append(Timestamp(seconds: outcomeList.decidedAt[k].seconds - history.gap.seconds))
            labels.append(outcomeList.won[k])
        }
        guard !rows.isEmpty else {
            throw InputError(file: outcomes, line: nil, message: "no decided contacts to measure on (the file has no outcome rows)")
        }
        return try encode(contactList, rows: rows, cutoffs: cutoffs, labels: labels, skipped: skipped)
    }

    private func tableModel() -> InputError {
        InputError(file: contacts, line: nil, message: "the model was trained in table mode: give it a --table, not contact history")
    }

    /// Contacts read as the model read them, so a category that looks numeric stays a category.
    private func readContacts(skipped: inout SkippedRows) throws(InputError) -> Contacts {
        guard let history = model.history else { throw tableModel() }
        let roles = Dictionary(model.encoding.recipes.map { (HistoryFeatures.profileField(ofColumn: $0.column, spec: history.spec).field, $0.role) },
                               uniquingKeysWith: { a, _ in a })
        let header = Set(try CSVReader(path: contacts).header)
        let kinds = TableReadOptions(categorical: Set(roles.filter { $0.value == .categorical }.keys).intersection(header),
                                     numeric: Set(roles.filter { $0.value == .numeric }.keys).intersection(header),
                                     ignore: Set(history.spec.profile.exclude).intersection(header))
        return try Contacts.read(path: contacts, options: kinds, policy: policy, skipped: &skipped)
    }

    /// One pass over the events for `rows` at their cutoffs, encoded with the model's frozen encoding.
    private func encode(_ contactList: Contacts, rows: [Int32], cutoffs: [Timestamp], labels: [Bool]?,
                        skipped: SkippedRows) throws(InputError) -> Snapshot {
        guard let history = model.history else { throw tableModel() }
        var skipped = skipped
        let reader = try EventReader(path: events)
        var ruleAccumulator = rules.map { HistoryRuleAccumulator(rules: $0, rows: rows, cutoffs: cutoffs, contacts: contactList.count) }
        let features = try HistoryFeatures.accumulate(spec: history.spec, contacts: contactList, events: reader, rows: rows,
                                                      cutoffs: cutoffs, policy: policy, skipped: &skipped,
                                                      observe: { ruleAccumulator?.add($0) })
        let table = try features.table(vocabulary: history.vocabulary, labels: labels)
        let design = try model.encoding.design(for: table, labelled: labels != nil)
        return Snapshot(design: design, ruleSignals: ruleAccumulator?.signals(eventNames: reader.eventNames, contacts: contactList),
                        skipped: skipped, notes: driftNotes(features, table))
    }

    /// Event types the model never saw (ignored), and profile levels it never saw (scored as `other` or the
    /// reference), each reported once with counts.
    private func driftNotes(_ features: HistoryFeatures, _ table: Table) -> [String] {
        guard let history = model.history else { return [] }
        var notes: [String] = []
        let newTypes = features.eventCounts().filter { history.vocabulary.counts[$0.key] == nil }.sorted { $0.key < $1.key }
        if !newTypes.isEmpty {
            notes.append("event types the model never saw are ignored: " + newTypes.map { "\"\($0.key)\" (\($0.value) before the cutoff)" }.joined(separator: ", "))
        }
        var unseen = EncodingNotes()
        for recipe in model.encoding.recipes where recipe.role == .categorical {
            guard case .categorical(let codes, let levels)? = table.column(named: recipe.column)?.values else { continue }
            let seen = Set([recipe.reference].compactMap { $0 } + (recipe.levels ?? []) + (recipe.pooled ?? []))
            let hasOther = model.encoding.features.contains { $0.column == recipe.column && $0.kind == .other }
            let fallback = hasOther ? "\"\(TableEncoding.otherLevel)\"" : "the reference level \"\(recipe.reference ?? "")\""
            let isNew = levels.map { !seen.contains($0.isEmpty ? TableEncoding.missingLevel : $0) }
            for code in codes where isNew[Int(code)] {
                let level = levels[Int(code)]
                unseen.record(column: recipe.column, fallback: fallback, level: level.isEmpty ? TableEncoding.missingLevel : level)
            }
        }
        return notes + unseen.notes
    }
}
