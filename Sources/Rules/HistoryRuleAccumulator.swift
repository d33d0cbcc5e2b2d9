package import LeadData

/// Rule signals from contact history, point in time: fed the same event batches as the features, it keeps, per
/// event type and lead, the occurrences before the lead's cutoff in each window the rules use, and each lead's most
/// recent event, so rules see exactly what the model sees.
package struct HistoryRuleAccumulator: Sendable {
    package let rules: RuleSet
    private let rows: [Int32]
    private let rowOf: [Int32]
    private let cutoff: [Int64]
    /// Distinct windows in seconds; `Int64.max` is all time.
    private let windows: [Int64]
    private var types = 0
    /// `[type][row][window]` counts.
    private var counts: [Int32] = []
    /// Age of each lead's most recent event before its cutoff, in seconds, or nil.
    private var lastAge: [Int64]

    /// Prepares for `rows` (contact indices) with their cutoffs, out of `contacts` contacts in all.
    package init(rules: RuleSet, rows: [Int32], cutoffs: [Timestamp], contacts: Int) {
        precondition(rows.count == cutoffs.count, "one cutoff per row")
        self.rules = rules
        self.rows = rows
        var rowOf = [Int32](repeating: -1, count: contacts)
        for (r, c) in rows.enumerated() { rowOf[Int(c)] = Int32(r) }
        self.rowOf = rowOf
        cutoff = cutoffs.map(\.seconds)
        windows = rules.eventWindowSeconds
        lastAge = [Int64](repeating: .max, count: rows.count)
    }

    /// Counts the events of a batch that fall before their lead's cutoff.
    package mutating func add(_ batch: EventBatch) {
        var highest = -1
        for k in 0..<batch.count { highest = max(highest, Int(batch.events[k])) }
        if highest >= types {
            counts.append(contentsOf: repeatElement(0, count: (highest + 1 - types) * rows.count * windows.count))
            types = highest + 1
        }
        let n = rows.count, w = windows.count, windows = self.windows
        for k in 0..<batch.count {
            let r = Int(rowOf[Int(batch.contacts[k])])
            guard r >= 0 else { continue }
            let age = cutoff[r] - batch.times[k].seconds
            guard age > 0 else { continue }  // strictly before the cutoff
            if age < lastAge[r] { lastAge[r] = age }
            let base = (Int(batch.events[k]) * n + r) * w
            for j in 0..<w where age <= windows[j] { counts[base + j] += 1 }
        }
    }

    /// The windows, in seconds, these rules count in (`Int64.max` for all time): what a database must aggregate for them.
    package var windowSeconds: [Int64] { windows }

    /// Takes what a database aggregated per contact and event type (`--pushdown`) for these rows at their cutoffs.
    package mutating func add(_ aggregates: EventAggregates) {
        if let highest = aggregates.types.max(), Int(highest) >= types {
            counts.append(contentsOf: repeatElement(0, count: (Int(highest) + 1 - types) * rows.count * windows.count))
            types = Int(highest) + 1
        }
        let n = rows.count, w = windows.count, given = aggregates.windows.count
        let index = windows.map { aggregates.windowIndex($0) }
        for k in 0..<aggregates.count {
            let r = Int(rowOf[Int(aggregates.contacts[k])])
            guard r >= 0 else { continue }
            if aggregates.minimumAges[k] < lastAge[r] { lastAge[r] = aggregates.minimumAges[k] }
            let base = (Int(aggregates.types[k]) * n + r) * w
            for j in 0..<w { counts[base + j] += aggregates.windowCounts[k * given + index[j]] }
        }
    }

    /// The signals, once every batch is in; `eventNames` are the reader's names for its codes.
    ///
    /// A rule whose event type the data never logs scores 0 and is reported with the closest name the data has (case
    /// and punctuation ignored). When the data has events but no event rule matches any of them, the rules were
    /// written for other event names (another CRM's, another tracker's): that is an error, not a comparison with
    /// rules that give everyone 0 points.
    package func signals(eventNames: [String], contacts: Contacts) throws(InputError) -> RuleSignals {
        let signals = rules.signals, n = rows.count, r = signals.count, w = windows.count
        var values = [Double](repeating: 0, count: n * r)
        var unmatched: [String: String] = [:]
        for (j, signal) in signals.enumerated() {
            var column = [Double](repeating: 0, count: n)
            switch signal.rule {
            case .event(let rule):
                let codes = eventNames.indices.filter { eventNames[$0] == rule.event && $0 < types }
                guard !codes.isEmpty else {
                    unmatched[signal.key] = "no \(Echo.quoted(rule.event)) event in the data" + Self.nearest(rule.event, in: eventNames)
                    continue
                }
                let window = windows.firstIndex(of: rule.windowSeconds)!
                for i in 0..<n {
                    let count = codes.reduce(0) { $0 + Int(counts[($1 * n + i) * w + window]) }
                    column[i] = rule.signal(count: Double(count))
                }
            case .profile(let rule):
                guard let source = contacts.column(named: rule.field) else {
                    unmatched[signal.key] = "no profile field \(Echo.quoted(rule.field)) in \(contacts.path)"
                    continue
                }
                column = RuleSignals.profileSignal(rule, source, rows: rows)
            case .inactivity(let rule):
                for i in 0..<n {
                    column[i] = rule.signal(lastEventAge: lastAge[i], cutoff: cutoff[i], createdAt: contacts.createdAt[Int(rows[i])].seconds)
                }
            }
            for i in 0..<n { values[i * r + j] = column[i] }
        }
        let eventRules = rules.events.indices.map { "events[\($0)]" }
        if !eventRules.isEmpty, !eventNames.isEmpty, eventRules.allSatisfy({ unmatched[$0] != nil }) {
            let rulesText = rules.events.map { Echo.quoted($0.event) + Self.nearest($0.event, in: eventNames) }.joined(separator: ", ")
            let present = eventNames.sorted().prefix(20).map { Echo.quoted($0) }.joined(separator: ", ") + (eventNames.count > 20 ? ", ..." : "")
            throw InputError(file: rules.file ?? rules.name ?? "the rules", line: nil,
                             message: "no event rule matches an event type in the data: the rules name \(rulesText); the data has \(present)")
        }
        return RuleSignals(rules: rules, signals: signals, rows: n, values: values, unmatched: unmatched)
    }

    /// Every event type's occurrences before each lead's cutoff, in each of the windows the rules name (all time
    /// first when it is one), by event name: what `rules learn` builds its candidate rules from, counted the way the
    /// rules file will be scored.
    package func countsByEvent(eventNames: [String]) -> [(event: String, windowDays: Int?, counts: [Double])] {
        let n = rows.count, w = windows.count
        var out: [(String, Int?, [Double])] = []
        for name in Set(eventNames.prefix(types)).sorted() {
            let codes = eventNames.indices.filter { eventNames[$0] == name && $0 < types }
            for (j, window) in windows.enumerated() {
                let column = (0..<n).map { i in Double(codes.reduce(0) { $0 + Int(counts[($1 * n + i) * w + j]) }) }
                out.append((name, window == .max ? nil : Int(window / 86_400), column))
            }
        }
        return out
    }

    /// How long each lead had been quiet at its cutoff, in seconds: since its most recent event, or, with none, since
    /// its creation (as ``InactivityRule`` counts it).
    package func quietSeconds(contacts: Contacts) -> [Int64] {
        rows.indices.map { i in lastAge[i] != .max ? lastAge[i] : cutoff[i] - contacts.createdAt[Int(rows[i])].seconds }
    }

    /// `" (did you mean \"Demo Requested\"?)"` for the data's closest event name, case and punctuation ignored, or nothing.
    static func nearest(_ event: String, in names: [String]) -> String {
        Suggestion.closest(ignoringPunctuation: event, in: names).map { " (did you mean \(Echo.quoted($0))?)" } ?? ""
    }
}
