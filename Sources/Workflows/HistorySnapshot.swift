public import Features
import Foundation
public import LeadData
public import Rules
public import Scoring

/// Features of contacts as of one moment, encoded exactly as a history model expects: the model's spec, frozen event
/// vocabulary and standardisation. This is what scoring sees; only events strictly before `asOf` count.
public struct HistorySnapshot: Sendable {
    public var model: LeadModel
    /// The contacts and events (and, for ``labelled()``, outcomes), as the export has them.
    public var source: HistorySource
    public var asOf: Timestamp
    public var policy: BadRowPolicy
    /// Rules to score in the same pass over the events, with the same cutoffs.
    public var rules: RuleSet?
    /// Told how long steps go (reading events, the penalty search, scoring), for a progress line.
    public var progress: ProgressReport?
    /// With outcomes in the source: leave out the contacts already decided (won or lost) before `asOf`, so that only
    /// leads still open at that moment are scored.
    public var openOnly = false

    public init(model: LeadModel, contacts: String, events: String, asOf: Timestamp, policy: BadRowPolicy = .init(),
                rules: RuleSet? = nil) {
        self.init(model: model, source: HistorySource(contacts: contacts, events: events), asOf: asOf, policy: policy, rules: rules)
    }

    public init(model: LeadModel, source: HistorySource, asOf: Timestamp, policy: BadRowPolicy = .init(), rules: RuleSet? = nil) {
        self.model = model
        self.rules = rules
        self.source = source
        self.asOf = asOf
        self.policy = policy
    }

    /// What one pass over the events gave: the encoded features and, with rules, their signals.
    public struct Snapshot: Sendable {
        public var design: DesignMatrix
        public var ruleSignals: RuleSignals?
        public var skipped: SkippedRows
        /// What differs from the training data but is tolerated: profile levels the model never saw, values far out
        /// of range (event types it never saw are in ``newEventTypes``).
        public var notes: [String]
        /// The latest moment in the data: the last event, or the last contact created, whichever is later.
        public var dataEnd: Timestamp?
        /// With ``HistorySnapshot/openOnly``: contacts left out as decided before `asOf`.
        public var decided = 0
        /// Event types the model never saw, with how many of their events fell before the leads' cutoffs.
        public var newEventTypes: [String: Int] = [:]
        /// Event types the model has no features for (never seen, or dropped as too rare at training) that the spec
        /// does not leave out, with their counts as for ``newEventTypes``.
        public var unusedEventTypes: [String: Int] = [:]
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
        let created = (0..<contactList.count).filter { contactList.createdAt[$0] < asOf }
        var rows = created.map(Int32.init)
        if openOnly, let outcomes = try source.readOutcomes(contacts: contactList, policy: policy, skipped: &skipped) {
            let decidedBefore = outcomes.decided(before: asOf, contacts: contactList.count)
            rows = rows.filter { !decidedBefore[Int($0)] }
        }
        var snapshot = try encode(contactList, rows: rows, cutoffs: Array(repeating: asOf, count: rows.count), labels: nil,
                                  skipped: skipped)
        snapshot.decided = created.count - rows.count
        return (snapshot, contactList.count - created.count)
    }

    /// What `monitor` looks at, from one pass over the events: the leads open at `asOf` (created by then and not decided
    /// by then, counting the model's implicit losses as training did), and, with outcomes, the contacts decided after
    /// `since` and by `asOf`, each as of its `decided_at` minus the model's gap, with its outcome. The event types the
    /// model has no features for are counted on the open leads. With `endOfData`, `asOf` is instead the latest
    /// `created_at` or `decided_at` in the files (as training takes it), and returned.
    public func monitored(decidedAfter since: Timestamp, endOfData: Bool) throws(InputError) -> (open: Snapshot, decided: Snapshot?, decidedWon: [Bool], asOf: Timestamp) {
        guard let history = model.history else { throw tableModel() }
        var skipped = SkippedRows()
        let contactList = try readContacts(skipped: &skipped)
        let outcomes = try source.readOutcomes(contacts: contactList, policy: policy, skipped: &skipped)
        var moment = asOf
        if endOfData {
            moment = contactList.createdAt.max() ?? asOf
            if let latest = outcomes?.decidedAt.max(), latest > moment { moment = latest }
        }
        var decidedAt = [Timestamp?](repeating: nil, count: contactList.count)
        var won = [Bool](repeating: false, count: contactList.count)
        if let outcomes {
            for k in 0..<outcomes.count {
                decidedAt[Int(outcomes.contact[k])] = outcomes.decidedAt[k]
                won[Int(outcomes.contact[k])] = outcomes.won[k]
            }
        }
        // As training counts them: a contact still undecided `implicitLostAfter` after its creation is a loss, decided
        // then; with outcomes given, that is.
        if outcomes != nil, let span = history.implicitLostAfter {
            for c in 0..<contactList.count where decidedAt[c] == nil {
                let (due, overflow) = contactList.createdAt[c].seconds.addingReportingOverflow(span.seconds)
                if !overflow, due <= moment.seconds { decidedAt[c] = Timestamp(seconds: due) }
            }
        }
        // Open and decided as training tells them apart at the end of its data: created by the moment, decided by it.
        let open = (0..<contactList.count).filter { contactList.createdAt[$0] <= moment && !(decidedAt[$0].map { $0 <= moment } ?? false) }
        let decided = (0..<contactList.count).filter { c in decidedAt[c].map { $0 > since && $0 <= moment } ?? false }
        let rows = (open + decided).map(Int32.init)
        let cutoffs = Array(repeating: moment, count: open.count) + decided.map { Timestamp(seconds: decidedAt[$0]!.seconds - history.gap.seconds) }
        let all = try encode(contactList, rows: rows, cutoffs: cutoffs, labels: nil, skipped: skipped, countingEventsOf: Array(0..<open.count))
        func part(_ indices: Range<Int>) -> Snapshot {
            var snapshot = all
            snapshot.design = all.design.selectingRows(Array(indices))
            snapshot.ruleSignals = all.ruleSignals?.selectingRows(Array(indices))
            return snapshot
        }
        let openPart = part(0..<open.count)
        let decidedPart = outcomes == nil ? nil : part(open.count..<rows.count)
        return (openPart, decidedPart, decided.map { won[$0] }, moment)
    }

    /// Every decided contact of the source's outcomes, its features as of its `decided_at` minus the model's gap (as in
    /// training), with its outcome as the label: what `compare` measures on.
    public func labelled() throws(InputError) -> Snapshot {
        guard let history = model.history else { throw tableModel() }
        var skipped = SkippedRows()
        let contactList = try readContacts(skipped: &skipped)
        guard let outcomeList = try source.readOutcomes(contacts: contactList, policy: policy, skipped: &skipped) else {
            throw InputError(file: source.contacts.path, line: nil, message: "no outcomes to measure on")
        }
        let outcomes = outcomeList.path
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
        InputError(file: source.contacts.path, line: nil, message: "the model was trained in table mode: it scores a table (one row per lead), not contact history")
    }

    /// Contacts read as the model read them, so a category that looks numeric stays a category.
    private func readContacts(skipped: inout SkippedRows) throws(InputError) -> Contacts {
        guard let history = model.history else { throw tableModel() }
        let roles = Dictionary(model.encoding.recipes.map { (HistoryFeatures.profileField(ofColumn: $0.column, spec: history.spec).field, $0.role) },
                               uniquingKeysWith: { a, _ in a })
        let kinds = TableReadOptions(categorical: Set(roles.filter { $0.value == .categorical }.keys),
                                     numeric: Set(roles.filter { $0.value == .numeric }.keys),
                                     ignore: Set(history.spec.profile.exclude), kindsMayNameAbsentColumns: true)
        return try Contacts.read(file: source.contacts, options: kinds, policy: policy, skipped: &skipped)
    }

    /// One pass over the events for `rows` at their cutoffs, encoded with the model's frozen encoding.
    private func encode(_ contactList: Contacts, rows: [Int32], cutoffs: [Timestamp], labels: [Bool]?,
                        skipped: SkippedRows, countingEventsOf counted: [Int]? = nil) throws(InputError) -> Snapshot {
        guard let history = model.history else { throw tableModel() }
        var skipped = skipped
        let reader = try EventReader(file: source.events, early: source.earlyEvents)
        reader.progress = progress
        var ruleAccumulator = rules.map { HistoryRuleAccumulator(rules: $0, rows: rows, cutoffs: cutoffs, contacts: contactList.count) }
        var lastEvent = Int64.min
        let features = try HistoryFeatures.accumulate(spec: history.spec, contacts: contactList, events: reader, rows: rows,
                                                      cutoffs: cutoffs, policy: policy, skipped: &skipped,
                                                      observe: { batch in
                                                          ruleAccumulator?.add(batch)
                                                          for k in 0..<batch.count where batch.times[k].seconds > lastEvent { lastEvent = batch.times[k].seconds }
                                                      })
        let table = try features.table(vocabulary: history.vocabulary, labels: labels)
        var encodingNotes = EncodingNotes()
        let design = try model.encoding.design(for: table, labelled: labels != nil, notes: &encodingNotes)
        let lastCreated = contactList.createdAt.max()?.seconds ?? .min
        let end = max(lastEvent, lastCreated)
        let spec = history.spec
        let unused = features.eventCounts(rows: counted).filter { name, _ in
            history.vocabulary.group(of: name) == nil && !spec.excludeEvents.contains(name) && (spec.events?.contains(name) ?? true)
        }
        let newTypes = unused.filter { history.vocabulary.counts[$0.key] == nil }
        var snapshot = Snapshot(design: design, ruleSignals: try ruleAccumulator?.signals(eventNames: reader.eventNames, contacts: contactList),
                                skipped: skipped, notes: HistorySource.readingNotes(contacts: contactList, outcomes: nil, events: reader) + encodingNotes.notes,
                                dataEnd: end == .min ? nil : Timestamp(seconds: end))
        snapshot.newEventTypes = newTypes
        snapshot.unusedEventTypes = unused
        return snapshot
    }

    /// Event types the model never saw (ignored), reported once with counts.
    static func newEventTypeNotes(_ newTypes: [String: Int]) -> [String] {
        guard !newTypes.isEmpty else { return [] }
        return ["event types the model never saw are ignored: " + newTypes.sorted { $0.key < $1.key }.map { "\(Echo.quoted($0.key)) (\($0.value) before the cutoff)" }.joined(separator: ", ")]
    }
}
