import Foundation
import LeadData

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
    public static func accumulate(spec: HistoryFeatureSpec, contacts: Contacts, events: EventReader, rows: [Int32],
                                  cutoffs: [Timestamp], policy: BadRowPolicy = .init(),
                                  skipped: inout SkippedRows) throws(InputError) -> HistoryFeatures {
        precondition(rows.count == cutoffs.count, "one cutoff per row")
        var accumulator = Accumulator(rows: rows, cutoffs: cutoffs, contacts: contacts.count, windowsDays: spec.windowsDays)
        try events.forEach(contacts: contacts, policy: policy, skipped: &skipped) { contact, time, code in
            accumulator.add(contact: contact, time: time.seconds, code: Int(code))
        }
        return HistoryFeatures(spec: spec, contacts: contacts, rows: rows, eventNames: events.eventNames,
                               eventsRead: events.rowsRead, bytesRead: events.bytesRead, accumulator: accumulator)
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
    public func table(vocabulary: EventVocabulary, labels: [Bool]? = nil) -> Table {
        precondition((labels?.count ?? rows.count) == rows.count, "one label per row")
        var columns = [TableColumn(name: Self.idColumn, values: .categorical(codes: rows.indices.map(Int32.init),
                                                                             levels: rows.map { contacts.ids[Int($0)] }))]
        columns += accumulator.columns(spec: spec, vocabulary: vocabulary, eventNames: eventNames, contacts: contacts)
        columns += profileColumns()
        if let labels {
            columns.append(TableColumn(name: Self.labelColumn, values: .categorical(codes: labels.map { $0 ? 1 : 0 }, levels: ["0", "1"])))
        }
        return Table(path: contacts.path, columns: columns, rowLines: rows.map { contacts.rowLines[Int($0)] })
    }

    /// The profile columns of the selected contacts, minus exclusions, with `log1p` applied where the spec asks.
    private func profileColumns() -> [TableColumn] {
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
private struct Accumulator: Sendable {
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
    }

    private mutating func grow() {
        count += [Int32](repeating: 0, count: rowCount)
        inWindow += [Int32](repeating: 0, count: rowCount * windows.count)
        last += [Int64](repeating: Self.never, count: rowCount)
        types += 1
    }

    /// Occurrences of type `code` before the cutoffs, over `subset` rows (all when nil).
    func occurrences(code: Int, rows subset: [Int]?) -> Int {
        let base = code * rowCount
        guard let subset else { return (0..<rowCount).reduce(0) { $0 + Int(count[base + $1]) } }
        return subset.reduce(0) { $0 + Int(count[base + $1]) }
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
