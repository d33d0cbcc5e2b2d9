import Foundation
public import LeadData

/// Point-in-time features from contact history: one row per selected contact, each computed only from events
/// strictly before that contact's own cutoff, so nothing from after the decision leaks in.
///
/// Events are streamed once, in file order, unsorted; memory grows with rows x event types x windows, never with
/// the number of events. The result is a `Table` (numeric history columns, the contact's profile columns, and the
/// label when there is one) that `TableEncoding` turns into a standardised design matrix, exactly as in table mode.
public struct HistoryFeatures: Sendable {
    public let spec: HistoryFeatureSpec
    public let contacts: Contacts
    /// Contact index of each row.
    public let rows: [Int32]
    /// Event names by the reader's codes.
    public let eventNames: [String]
    /// Event rows read (all of them, also those after a cutoff or of unselected contacts).
    public let eventsRead: Int
    /// Bytes of the events file read.
    public let bytesRead: Int
    private let accumulator: Accumulator

    /// The name of the id column in `table`.
    public static let idColumn = "contact_id"
    /// The name of the label column in `table` (chosen so that it cannot clash with a profile column).
    public static let labelColumn = "__outcome__"

    /// Streams `events` once and accumulates, for each of `rows` (contact indices), what happened before its cutoff.
    ///
    /// `observe` sees every batch too, so that another consumer (the rule scorer) shares the single pass.
    public static func accumulate(spec: HistoryFeatureSpec, contacts: Contacts, events: EventReader, rows: [Int32],
                                  cutoffs: [Timestamp], policy: BadRowPolicy = .init(), skipped: inout SkippedRows,
                                  observe: (EventBatch) -> Void = { _ in }) throws(InputError) -> HistoryFeatures {
        precondition(rows.count == cutoffs.count, "one cutoff per row")
        var accumulator = Accumulator(rows: rows, cutoffs: cutoffs, contacts: contacts.count, windowsDays: spec.windowsDays)
        try events.forEachBatch(contacts: contacts, policy: policy, skipped: &skipped) { batch in
            accumulator.add(batch)
            observe(batch)
        }
        return HistoryFeatures(spec: spec, contacts: contacts, rows: rows, eventNames: events.eventNames,
                               eventsRead: events.rowsRead, bytesRead: events.bytesRead, accumulator: accumulator)
    }

    /// As ``accumulate(spec:contacts:events:rows:cutoffs:policy:skipped:observe:)`` for events already in memory and
    /// checked (one lead posted to the HTTP server, say): one batch, whose event codes index `eventNames`.
    ///
    /// The same accumulation as from a file, so a lead gets the same features whichever way its history arrives.
    public static func accumulate(spec: HistoryFeatureSpec, contacts: Contacts, eventNames: [String], batch: EventBatch,
                                  rows: [Int32], cutoffs: [Timestamp]) -> HistoryFeatures {
        precondition(rows.count == cutoffs.count, "one cutoff per row")
        var accumulator = Accumulator(rows: rows, cutoffs: cutoffs, contacts: contacts.count, windowsDays: spec.windowsDays)
        accumulator.add(batch)
        return HistoryFeatures(spec: spec, contacts: contacts, rows: rows, eventNames: eventNames,
                               eventsRead: batch.count, bytesRead: 0, accumulator: accumulator)
    }

    /// As ``accumulate(spec:contacts:events:rows:cutoffs:policy:skipped:observe:)`` from what a database computed per
    /// contact and event type (`--pushdown`) for these rows and cutoffs: the same state, so the same features.
    public static func accumulate(spec: HistoryFeatureSpec, contacts: Contacts, aggregates: EventAggregates, rows: [Int32],
                                  cutoffs: [Timestamp]) -> HistoryFeatures {
        var builder = Builder(spec: spec, contacts: contacts, rows: rows, cutoffs: cutoffs)
        builder.add(aggregates)
        return HistoryFeatures(spec: spec, contacts: contacts, rows: rows, eventNames: aggregates.eventNames, eventsRead: aggregates.events,
                               bytesRead: aggregates.bytes, accumulator: builder.accumulator)
    }

    /// The event windows, in seconds, that features of `spec` count in: what a database must aggregate for them.
    public static func windowSeconds(spec: HistoryFeatureSpec) -> [Int64] {
        spec.windowsDays.map { Int64(Int32(clamping: Int64($0) * Accumulator.day)) }
    }

    /// Accumulates the features of some rows from batches another pass over the events hands over (through
    /// `observe`), so that a second set of rows, with cutoffs of its own, costs no second read of the file.
    public struct Builder: Sendable {
        private let spec: HistoryFeatureSpec
        private let contacts: Contacts
        private let rows: [Int32]
        fileprivate var accumulator: Accumulator

        public init(spec: HistoryFeatureSpec, contacts: Contacts, rows: [Int32], cutoffs: [Timestamp]) {
            precondition(rows.count == cutoffs.count, "one cutoff per row")
            self.spec = spec
            self.contacts = contacts
            self.rows = rows
            accumulator = Accumulator(rows: rows, cutoffs: cutoffs, contacts: contacts.count, windowsDays: spec.windowsDays)
        }

        public mutating func add(_ batch: EventBatch) {
            accumulator.add(batch)
        }

        /// Takes what a database aggregated for (at least) these rows at their cutoffs.
        public mutating func add(_ aggregates: EventAggregates) {
            accumulator.add(aggregates)
        }

        /// The features, once every batch was added; `eventNames` by the codes the batches used.
        public func finished(eventNames: [String]) -> HistoryFeatures {
            HistoryFeatures(spec: spec, contacts: contacts, rows: rows, eventNames: eventNames, eventsRead: 0, bytesRead: 0,
                            accumulator: accumulator)
        }
    }

    /// The names of the history columns a model's spec and vocabulary make, in the order of ``table(vocabulary:labels:)``
    /// (after `contact_id`, before the profile columns): the same for every contact, so worked out once per model.
    public static func historyColumnNames(spec: HistoryFeatureSpec, vocabulary: EventVocabulary) -> [String] {
        historyColumns(spec: spec, vocabulary: vocabulary).map(\.name)
    }

    /// The history columns a model's spec and vocabulary make, with what each measures, in the order of
    /// ``historyColumnNames(spec:vocabulary:)``.
    public static func historyColumns(spec: HistoryFeatureSpec, vocabulary: EventVocabulary) -> [HistoryColumn] {
        var columns: [HistoryColumn] = []
        for group in vocabulary.groupNames {
            if spec.perEvent.countAllTime { columns.append(HistoryColumn(name: "\(group), count, all time", event: group, kind: .count(windowDays: nil))) }
            if spec.perEvent.countWindows {
                for length in spec.windowsDays {
                    columns.append(HistoryColumn(name: "\(group), count, last \(length) days", event: group, kind: .count(windowDays: length)))
                }
            }
            if spec.perEvent.daysSinceLast {
                columns.append(HistoryColumn(name: "\(group), days since last (capped at \(spec.recencyCapDays))", event: group,
                                             kind: .daysSinceLast(cap: spec.recencyCapDays)))
                columns.append(HistoryColumn(name: "\(group), never seen", event: group, kind: .neverSeen))
            }
        }
        if spec.overall.daysSinceCreated { columns.append(HistoryColumn(name: "days since created", event: nil, kind: .daysSinceCreated)) }
        if spec.overall.daysSinceLastActivity {
            columns.append(HistoryColumn(name: "days since last activity (capped at \(spec.recencyCapDays))", event: nil,
                                         kind: .daysSinceLastActivity(cap: spec.recencyCapDays)))
        }
        if spec.overall.activeDaysLast30 { columns.append(HistoryColumn(name: "active days, last 30 days", event: nil, kind: .activeDaysLast30)) }
        if spec.overall.distinctEventTypes { columns.append(HistoryColumn(name: "distinct event types", event: nil, kind: .distinctEventTypes)) }
        return columns
    }

    /// These features as they would be with one more event of type `name` one second before each row's cutoff: what
    /// "one more of this, just now" does to every lead, for the check that more of a good thing never hurts.
    ///
    /// An event type the rows never had gets a code of its own, as it would when read from a file.
    public func addingOneEventNow(of name: String) -> HistoryFeatures {
        var names = eventNames
        let code = names.firstIndex(of: name) ?? { names.append(name); return names.count - 1 }()
        var added = accumulator
        let times = added.cutoff.map { Timestamp(seconds: $0 - 1) }
        let events = [Int32](repeating: Int32(code), count: rows.count)
        rows.withUnsafeBufferPointer { c in
            times.withUnsafeBufferPointer { t in
                events.withUnsafeBufferPointer { e in added.add(EventBatch(contacts: c, times: t, events: e)) }
            }
        }
        return HistoryFeatures(spec: spec, contacts: contacts, rows: rows, eventNames: names,
                               eventsRead: eventsRead, bytesRead: bytesRead, accumulator: added)
    }

    /// The history column values of one contact created at `createdAt`, from its events (one checked batch whose
    /// codes index `eventNames`, contact index 0) strictly before `cutoff`, in the order of ``historyColumnNames(spec:vocabulary:)``:
    /// what ``table(vocabulary:labels:)`` puts in that contact's row, without building a table (the HTTP server's path).
    public static func historyValues(spec: HistoryFeatureSpec, vocabulary: EventVocabulary, eventNames: [String], batch: EventBatch,
                                     createdAt: Timestamp, cutoff: Timestamp) -> [Double] {
        var accumulator = Accumulator(rows: [0], cutoffs: [cutoff], contacts: 1, windowsDays: spec.windowsDays)
        accumulator.add(batch)
        var row: [Double] = []
        accumulator.forEachColumn(spec: spec, vocabulary: vocabulary, eventNames: eventNames, createdAt: [createdAt]) { value in
            row.append(value(0))
        }
        return row
    }

    /// Occurrences of each event type before the cutoffs, over the rows in `subset` (all rows when nil).
    ///
    /// Only occurrences before the cutoffs count: a type seen only afterwards does not even enter the vocabulary.
    public func eventCounts(rows subset: [Int]? = nil) -> [String: Int] {
        var counts: [String: Int] = [:]
        for (code, name) in eventNames.enumerated() where code < accumulator.types {
            let n = accumulator.occurrences(code: code, rows: subset)
            if n > 0 { counts[name] = n }
        }
        return counts
    }

    /// The vocabulary learned from the rows in `subset` (all rows when nil), following the spec.
    public func learnVocabulary(rows subset: [Int]? = nil) -> EventVocabulary {
        EventVocabulary.learn(counts: eventCounts(rows: subset), spec: spec)
    }

    /// The features as a table: `contact_id`, history columns, profile columns, and `labelColumn` when `labels` are given.
    ///
    /// Column names must be unique: a profile column named like a history feature, `contact_id` or `__outcome__`,
    /// or an event type named `rare events` next to the pooled group, is an error that names it.
    public func table(vocabulary: EventVocabulary, labels: [Bool]? = nil) throws(InputError) -> Table {
        precondition((labels?.count ?? rows.count) == rows.count, "one label per row")
        var columns = [TableColumn(name: Self.idColumn, values: .categorical(codes: rows.indices.map(Int32.init),
                                                                             levels: rows.map { contacts.ids[Int($0)] }))]
        columns += accumulator.columns(spec: spec, vocabulary: vocabulary, eventNames: eventNames, contacts: contacts)
        columns += profileColumns()
        if let labels {
            columns.append(TableColumn(name: Self.labelColumn, values: .categorical(codes: labels.map { $0 ? 1 : 0 }, levels: ["0", "1"])))
        }
        var seen = Set<String>()
        for column in columns where !seen.insert(column.name).inserted {
            let profile = contacts.profile.contains { $0.name == column.name }
            throw InputError(file: contacts.path, line: 1, message: profile
                ? "profile column \(Echo.quoted(column.name)) has the name of a feature leadscore computes (or of its reserved contact_id / __outcome__ columns): rename it, or leave it out with \"profile\": {\"exclude\": [...]} in the spec"
                : "two features would both be named \(Echo.quoted(column.name)) (an event type named like the pooled \"\(HistoryFeatureSpec.rareEventsName)\" group?): rename the event type, or set \"rare_events\": \"drop\"")
        }
        return Table(path: contacts.path, columns: columns, rowLines: rows.map { contacts.rowLines[Int($0)] })
    }

    /// Why ``table(vocabulary:labels:)`` has no feature column under this spec, in the spec's own keys.
    public func whyNoFeatures(vocabulary: EventVocabulary) -> String {
        let perEvent = spec.perEvent, overall = spec.overall
        var reasons: [String] = []
        if !(overall.daysSinceCreated || overall.daysSinceLastActivity || overall.activeDaysLast30 || overall.distinctEventTypes) {
            reasons.append("every \"overall\" feature is off")
        }
        if !(perEvent.countAllTime || perEvent.countWindows || perEvent.daysSinceLast) {
            reasons.append("every \"per_event\" feature is off")
        } else if vocabulary.groupNames.isEmpty {
            reasons.append("\"events\", \"exclude_events\" and \"min_event_count\" leave no event type")
        }
        let file = URL(fileURLWithPath: contacts.path).lastPathComponent
        // Excluded profile columns are not even read, so an empty profile with exclusions means they took every column.
        reasons.append(spec.profile.exclude.isEmpty ? "\(file) has no profile columns" : "\"profile.exclude\" leaves out every profile column")
        return reasons.joined(separator: ", ")
    }

    /// A profile number as the spec's `log1p` takes it: `log1p(max(0, x))`, missing (NaN) kept missing.
    public static func log1pValue(_ x: Double) -> Double {
        x.isNaN ? x : Foundation.log1p(max(0, x))
    }

    /// The feature-table name of a profile column taken as `log1p`: the one place the suffix is spelled.
    public static func log1pName(_ column: String) -> String {
        column + log1pSuffix
    }

    private static let log1pSuffix = " (log1p)"

    /// The profile field of a column named by ``log1pName(_:)``: `company_size (log1p)` gives `company_size`.
    public static func field(ofLog1pColumn column: String) -> String {
        column.hasSuffix(log1pSuffix) ? String(column.dropLast(log1pSuffix.count)) : column
    }

    /// The profile field behind a feature-table column of a model with `spec`, and whether the column holds its
    /// `log1p` (`company_size (log1p)` comes from `company_size` when the spec takes its log).
    public static func profileField(ofColumn column: String, spec: HistoryFeatureSpec) -> (field: String, log1p: Bool) {
        if column.hasSuffix(log1pSuffix), case let field = String(column.dropLast(log1pSuffix.count)), spec.profile.log1p.contains(field) {
            return (field, true)
        }
        return (column, false)
    }

    /// The feature-table columns that hold `log1p` of a profile field.
    public static func log1pColumns(spec: HistoryFeatureSpec) -> Set<String> {
        Set(spec.profile.log1p.map(log1pName))
    }

    /// The profile columns of the selected contacts, minus exclusions, with `log1p` applied where the spec asks.
    private func profileColumns() -> [TableColumn] {
        contacts.profile.compactMap { column -> TableColumn? in
            guard !spec.profile.exclude.contains(column.name) else { return nil }
            switch column.values {
            case .numeric(let values):
                let selected = rows.map { values[Int($0)] }
                if spec.profile.log1p.contains(column.name) {
                    return TableColumn(name: Self.log1pName(column.name), values: .numeric(selected.map(Self.log1pValue)))
                }
                return TableColumn(name: column.name, values: .numeric(selected))
            case .categorical(let codes, let levels):
                return TableColumn(name: column.name, values: .categorical(codes: rows.map { codes[Int($0)] }, levels: levels))
            }
        }
    }
}

/// Running sums per (event type, row), filled a batch of events at a time.
///
/// Laid out for the cache: each event touches its row's cutoff and one contiguous record of `Int32`s for its
/// (type, row): `[count, age of the most recent occurrence in seconds, active-days bits, count in each window...]`.
/// Ages are measured back from the row's cutoff, so they fit 32 bits (68 years) and "most recent" is the smallest.
/// Overall recency and activity are combined from the records of the types the vocabulary keeps, so an excluded or
/// unknown event type cannot move them.
private struct Accumulator: Sendable {
    let rowCount: Int
    let rows: [Int32]           // row -> contact index
    let rowOf: [Int32]          // contact index -> row, or -1
    let windows: [Int32]        // window lengths in seconds
    let stride: Int             // Int32s per (type, row) record
    let cutoff: [Int64]
    var types = 0
    var records: [Int32] = []   // [type][row][stride]
    private var batchRows: [Int32] = []

    static let day: Int64 = 86_400
    static let never = Int32.max

    init(rows: [Int32], cutoffs: [Timestamp], contacts: Int, windowsDays: [Int]) {
        rowCount = rows.count
        self.rows = rows
        var rowOf = [Int32](repeating: -1, count: contacts)
        for (r, c) in rows.enumerated() { rowOf[Int(c)] = Int32(r) }
        self.rowOf = rowOf
        windows = windowsDays.map { Int32(clamping: Int64($0) * Self.day) }
        stride = 3 + windowsDays.count
        cutoff = cutoffs.map(\.seconds)
    }

    mutating func add(_ batch: EventBatch) {
        // New event types first, so that the loop below can hold raw pointers into storage that will not move.
        var highest = -1
        for k in 0..<batch.count { highest = max(highest, Int(batch.events[k])) }
        while highest >= types { grow() }
        // Then the row of every event: independent loads whose cache misses overlap.
        if batchRows.count < batch.count { batchRows = [Int32](repeating: -1, count: batch.count) }
        for k in 0..<batch.count { batchRows[k] = rowOf[Int(batch.contacts[k])] }
        let rowCount = self.rowCount, stride = self.stride, windows = self.windows
        batchRows.withUnsafeBufferPointer { rowsOfBatch in
            records.withUnsafeMutableBufferPointer { p in
                cutoff.withUnsafeBufferPointer { cutoffs in
                    for k in 0..<batch.count {
                        let r = Int(rowsOfBatch[k])
                        guard r >= 0 else { continue }
                        let t = batch.times[k].seconds, cut = cutoffs[r]
                        guard t < cut else { continue }  // strictly before the cutoff: the point-in-time rule
                        let age = Int32(clamping: min(cut - t, Int64(Self.never) - 1))  // never collides with "never seen"
                        let base = (Int(batch.events[k]) * rowCount + r) * stride
                        p[base] += 1
                        if age < p[base + 1] { p[base + 1] = age }
                        for w in 0..<windows.count where age <= windows[w] { p[base + 3 + w] += 1 }
                        let daysBack = (cut - 1 - t) / Self.day
                        if daysBack < 30 { p[base + 2] |= Int32(bitPattern: 1 << UInt32(daysBack)) }
                    }
                }
            }
        }
    }

    /// Sets, for each (contact, type) entry of `aggregates` whose contact is one of the rows, the record the events
    /// themselves would have left: the same sums, minimum and bits, in any order.
    mutating func add(_ aggregates: EventAggregates) {
        while let highest = aggregates.types.max(), Int(highest) >= types { grow() }
        let windowIndex = windows.map { aggregates.windowIndex(Int64($0)) }
        let w = aggregates.windows.count
        for k in 0..<aggregates.count {
            let r = Int(rowOf[Int(aggregates.contacts[k])])
            guard r >= 0 else { continue }
            let base = (Int(aggregates.types[k]) * rowCount + r) * stride
            records[base] += aggregates.counts[k]
            let age = Int32(clamping: min(aggregates.minimumAges[k], Int64(Self.never) - 1))
            if age < records[base + 1] { records[base + 1] = age }
            records[base + 2] |= Int32(bitPattern: aggregates.dayMasks[k])
            for (j, index) in windowIndex.enumerated() { records[base + 3 + j] += aggregates.windowCounts[k * w + index] }
        }
    }

    private mutating func grow() {
        // Every new record starts as [0, never, 0, 0...]: fill with zeros, then set each age slot.
        let start = records.count
        records.append(contentsOf: repeatElement(0, count: rowCount * stride))
        records.withUnsafeMutableBufferPointer { p in
            for r in 0..<rowCount { p[start + r * stride + 1] = Self.never }
        }
        types += 1
    }

    private func count(_ code: Int, _ r: Int) -> Int32 { records[(code * rowCount + r) * stride] }

    /// Occurrences of type `code` before the cutoffs, over `subset` rows (all when nil).
    func occurrences(code: Int, rows subset: [Int]?) -> Int {
        guard let subset else { return (0..<rowCount).reduce(0) { $0 + Int(count(code, $1)) } }
        return subset.reduce(0) { $0 + Int(count(code, $1)) }
    }

    /// The history columns, named for people, in a fixed order: per event group, then overall.
    func columns(spec: HistoryFeatureSpec, vocabulary: EventVocabulary, eventNames: [String], contacts: Contacts) -> [TableColumn] {
        var values: [[Double]] = []
        forEachColumn(spec: spec, vocabulary: vocabulary, eventNames: eventNames, createdAt: rows.map { contacts.createdAt[Int($0)] }) { value in
            values.append((0..<rowCount).map(value))
        }
        return zip(HistoryFeatures.historyColumnNames(spec: spec, vocabulary: vocabulary), values).map { TableColumn(name: $0, values: .numeric($1)) }
    }

    /// The history columns' values, in the order of ``HistoryFeatures/historyColumnNames(spec:vocabulary:)``: `column` is handed each column
    /// in turn as a function from row to value, to keep whole (a table) or one row of (a lead posted to the server),
    /// so neither pays for the other's layout. `createdAt` is each row's contact's creation time.
    func forEachColumn(spec: HistoryFeatureSpec, vocabulary: EventVocabulary, eventNames: [String], createdAt: [Timestamp],
                       _ column: ((Int) -> Double) -> Void) {
        let groups = vocabulary.groupNames
        var members = [[Int]](repeating: [], count: groups.count)
        for (code, name) in eventNames.enumerated() where code < types {
            if let g = vocabulary.group(of: name) { members[g].append(code) }
        }
        let cap = Double(spec.recencyCapDays)
        func days(_ age: Int32) -> Double { age == Self.never ? cap : min(cap, Double(age) / Double(Self.day)) }
        /// The smallest age (most recent occurrence) over `codes` for row r.
        func lastAge(_ codes: [Int], _ r: Int) -> Int32 {
            codes.reduce(Self.never) { min($0, records[($1 * rowCount + r) * stride + 1]) }
        }
        for g in groups.indices {
            let codes = members[g]
            func total(_ field: Int, _ r: Int) -> Double {
                Double(codes.reduce(0) { $0 + Int(records[($1 * rowCount + r) * stride + field]) })
            }
            if spec.perEvent.countAllTime {
                column { total(0, $0) }
            }
            if spec.perEvent.countWindows {
                for w in spec.windowsDays.indices {
                    column { total(3 + w, $0) }
                }
            }
            if spec.perEvent.daysSinceLast {
                column { days(lastAge(codes, $0)) }
                column { lastAge(codes, $0) == Self.never ? 1 : 0 }
            }
        }
        let used = members.flatMap { $0 }
        if spec.overall.daysSinceCreated {
            column { r in max(0, Double(cutoff[r] - createdAt[r].seconds) / Double(Self.day)) }
        }
        if spec.overall.daysSinceLastActivity {
            column { days(lastAge(used, $0)) }
        }
        if spec.overall.activeDaysLast30 {
            column { r in
                Double(used.reduce(UInt32(0)) { $0 | UInt32(bitPattern: records[($1 * rowCount + r) * stride + 2]) }.nonzeroBitCount)
            }
        }
        if spec.overall.distinctEventTypes {
            column { r in Double(used.reduce(0) { $0 + (count($1, r) > 0 ? 1 : 0) }) }
        }
    }
}
