import Foundation
import LeadData

/// Point-in-time features from contact history: one row per selected contact, each computed only from events
/// strictly before that contact's own cutoff, so nothing from after the decision leaks in.
///
/// Events are streamed once, in file order, unsorted; memory grows with rows x event types x windows, never with
/// the number of events. The result is a `Table` (numeric history columns, the contact's profile columns, and the
/// label when there is one) that `TableEncoding` turns into a standardised design matrix, exactly as in table mode.
public struct HistoryFeatures: Sendable {
    /// The features as a table: `contact_id`, history columns, profile columns, and `labelColumn` when labelled.
    public let table: Table
    /// The event types as frozen (learned here, or passed in from a model).
    public let vocabulary: EventVocabulary
    /// Event rows read (all of them, also those after a cutoff or of unselected contacts).
    public let eventsRead: Int
    /// Bytes of the events file read.
    public let bytesRead: Int

    /// The name of the id column in `table`.
    public static let idColumn = "contact_id"
    /// The name of the label column in `table` (chosen so that it cannot clash with a profile column).
    public static let labelColumn = "__outcome__"

    /// Streams `events` and builds the features of `rows` (contact indices) as of `cutoffs`.
    ///
    /// With `vocabulary` nil the event types are learned from the events before the cutoffs (training); with a frozen
    /// vocabulary, types it does not know are ignored (scoring). `labels` (1 won, 0 lost), when given, become the
    /// label column.
    public static func build(spec: HistoryFeatureSpec, contacts: Contacts, events: EventReader, rows: [Int32],
                             cutoffs: [Timestamp], labels: [Bool]? = nil, vocabulary frozen: EventVocabulary? = nil,
                             policy: BadRowPolicy = .init(), skipped: inout SkippedRows) throws(InputError) -> HistoryFeatures {
        precondition(rows.count == cutoffs.count && (labels?.count ?? rows.count) == rows.count, "one cutoff and label per row")
        var accumulator = Accumulator(rows: rows, cutoffs: cutoffs, contacts: contacts.count, windowsDays: spec.windowsDays)
        try events.forEach(contacts: contacts, policy: policy, skipped: &skipped) { contact, time, code in
            accumulator.add(contact: contact, time: time.seconds, code: Int(code))
        }
        let names = events.eventNames
        var counts: [String: Int] = [:]
        // Only occurrences before the cutoffs count: a type seen only afterwards must not even enter the vocabulary.
        for (code, name) in names.enumerated() where code < accumulator.typeTotals.count && accumulator.typeTotals[code] > 0 {
            counts[name] = accumulator.typeTotals[code]
        }
        let vocabulary = frozen ?? EventVocabulary.learn(counts: counts, spec: spec)
        var columns = [idColumn(contacts: contacts, rows: rows)]
        columns += accumulator.columns(spec: spec, vocabulary: vocabulary, eventNames: names, contacts: contacts)
        columns += profileColumns(spec: spec, contacts: contacts, rows: rows)
        if let labels {
            columns.append(TableColumn(name: labelColumn, values: .categorical(codes: labels.map { $0 ? 1 : 0 }, levels: ["0", "1"])))
        }
        let table = Table(path: contacts.path, columns: columns, rowLines: rows.map { contacts.rowLines[Int($0)] })
        return HistoryFeatures(table: table, vocabulary: vocabulary, eventsRead: events.rowsRead, bytesRead: events.bytesRead)
    }

    private static func idColumn(contacts: Contacts, rows: [Int32]) -> TableColumn {
        TableColumn(name: idColumn, values: .categorical(codes: rows.indices.map(Int32.init), levels: rows.map { contacts.ids[Int($0)] }))
    }

    /// The profile columns of the selected contacts, minus exclusions, with `log1p` applied where the spec asks.
    private static func profileColumns(spec: HistoryFeatureSpec, contacts: Contacts, rows: [Int32]) -> [TableColumn] {
        contacts.profile.compactMap { column -> TableColumn? in
            guard !spec.profile.exclude.contains(column.name) else { return nil }
            switch column.values {
            case .numeric(let values):
                let selected = rows.map { values[Int($0)] }
                if spec.profile.log1p.contains(column.name) {
                    return TableColumn(name: "\(column.name) (log1p)", values: .numeric(selected.map { $0.isNaN ? $0 : Foundation.log1p(max(0, $0)) }))
                }
                return TableColumn(name: column.name, values: .numeric(selected))
            case .categorical(let codes, let levels):
                return TableColumn(name: column.name, values: .categorical(codes: rows.map { codes[Int($0)] }, levels: levels))
            }
        }
    }
}

/// Running sums per (event type, row), filled one event at a time.
private struct Accumulator {
    let rowCount: Int
    let rows: [Int32]           // row -> contact index
    let rowOf: [Int32]          // contact index -> row, or -1
    let cutoff: [Int64]         // per row
    let windows: [Int64]        // window lengths in seconds
    var types = 0
    var count: [Int32] = []     // [type][row]
    var inWindow: [Int32] = []  // [type][window][row]
    var last: [Int64] = []      // [type][row], Int64.min when never seen
    var lastAny: [Int64]
    var activeDays: [UInt32]    // bit k: some event in the 24 hours that end k days before the cutoff (k < 30)
    var typeTotals: [Int] = []  // per type, events before the cutoffs

    static let never = Int64.min
    static let day: Int64 = 86_400

    init(rows: [Int32], cutoffs: [Timestamp], contacts: Int, windowsDays: [Int]) {
        rowCount = rows.count
        self.rows = rows
        var rowOf = [Int32](repeating: -1, count: contacts)
        for (r, c) in rows.enumerated() { rowOf[Int(c)] = Int32(r) }
        self.rowOf = rowOf
        cutoff = cutoffs.map(\.seconds)
        windows = windowsDays.map { Int64($0) * Self.day }
        lastAny = [Int64](repeating: Self.never, count: rows.count)
        activeDays = [UInt32](repeating: 0, count: rows.count)
    }

    mutating func add(contact: Int32, time t: Int64, code: Int) {
        let r = Int(rowOf[Int(contact)])
        guard r >= 0 else { return }
        let cut = cutoff[r]
        guard t < cut else { return }  // strictly before the cutoff: the point-in-time rule
        while code >= types { grow() }
        let slot = code * rowCount + r
        count[slot] += 1
        for (w, length) in windows.enumerated() where t >= cut - length {
            inWindow[(code * windows.count + w) * rowCount + r] += 1
        }
        if t > last[slot] { last[slot] = t }
        if t > lastAny[r] { lastAny[r] = t }
        let daysBack = (cut - 1 - t) / Self.day
        if daysBack < 30 { activeDays[r] |= 1 << UInt32(daysBack) }
        typeTotals[code] += 1
    }

    private mutating func grow() {
        count += [Int32](repeating: 0, count: rowCount)
        inWindow += [Int32](repeating: 0, count: rowCount * windows.count)
        last += [Int64](repeating: Self.never, count: rowCount)
        typeTotals.append(0)
        types += 1
    }

    /// The history columns, named for people, in a fixed order: per event group, then overall.
    func columns(spec: HistoryFeatureSpec, vocabulary: EventVocabulary, eventNames: [String], contacts: Contacts) -> [TableColumn] {
        let groups = vocabulary.groupNames
        var members = [[Int]](repeating: [], count: groups.count)
        for (code, name) in eventNames.enumerated() where code < types {
            if let g = vocabulary.group(of: name) { members[g].append(code) }
        }
        let cap = Double(spec.recencyCapDays)
        func days(_ from: Int64, _ to: Int64) -> Double { min(cap, Double(to - from) / Double(Self.day)) }
        var out: [TableColumn] = []
        for (g, group) in groups.enumerated() {
            let codes = members[g]
            func sum(_ value: (Int, Int) -> Int32) -> [Double] {
                (0..<rowCount).map { r in Double(codes.reduce(0) { $0 + Int(value($1, r)) }) }
            }
            let lastSeen = (0..<rowCount).map { r in codes.reduce(Self.never) { max($0, last[$1 * rowCount + r]) } }
            if spec.perEvent.countAllTime {
                out.append(TableColumn(name: "\(group), count, all time", values: .numeric(sum { count[$0 * rowCount + $1] })))
            }
            if spec.perEvent.countWindows {
                for (w, length) in spec.windowsDays.enumerated() {
                    out.append(TableColumn(name: "\(group), count, last \(length) days",
                                           values: .numeric(sum { inWindow[($0 * windows.count + w) * rowCount + $1] })))
                }
            }
            if spec.perEvent.daysSinceLast {
                out.append(TableColumn(name: "\(group), days since last (capped at \(spec.recencyCapDays))",
                                       values: .numeric((0..<rowCount).map { r in lastSeen[r] == Self.never ? cap : days(lastSeen[r], cutoff[r]) })))
                out.append(TableColumn(name: "\(group), never seen", values: .numeric(lastSeen.map { $0 == Self.never ? 1 : 0 })))
            }
        }
        if spec.overall.daysSinceCreated {
            out.append(TableColumn(name: "days since created", values: .numeric((0..<rowCount).map { r in
                max(0, Double(cutoff[r] - contacts.createdAt[Int(rows[r])].seconds) / Double(Self.day))
            })))
        }
        if spec.overall.daysSinceLastActivity {
            out.append(TableColumn(name: "days since last activity (capped at \(spec.recencyCapDays))",
                                   values: .numeric((0..<rowCount).map { r in lastAny[r] == Self.never ? cap : days(lastAny[r], cutoff[r]) })))
        }
        if spec.overall.activeDaysLast30 {
            out.append(TableColumn(name: "active days, last 30 days", values: .numeric(activeDays.map { Double($0.nonzeroBitCount) })))
        }
        if spec.overall.distinctEventTypes {
            let used = members.flatMap { $0 }
            out.append(TableColumn(name: "distinct event types", values: .numeric((0..<rowCount).map { r in
                Double(used.filter { count[$0 * rowCount + r] > 0 }.count)
            })))
        }
        return out
    }
}
