public import LeadData

/// Every rule's signal for every lead, as a row-major matrix (`rows x signals.count`), and the points they add up to.
///
/// A rule that finds nothing to look at in the data (an event name never logged, a profile field the file lacks)
/// gives zeros and a note, not an error: rules files are shared between teams and outlive event names.
public struct RuleSignals: Sendable {
    public let rules: RuleSet
    public let signals: [RuleSignal]
    public let rows: Int
    /// Row-major: `values[i * signals.count + j]` is rule j's signal for lead i.
    public let values: [Double]
    /// Rules with nothing to match in the data, by key, with the reason.
    public let unmatched: [String: String]

    /// `signals` are `rules.signals`, when the caller has them already.
    public init(rules: RuleSet, signals: [RuleSignal]? = nil, rows: Int, values: [Double], unmatched: [String: String]) {
        let signals = signals ?? rules.signals
        precondition(values.count == rows * signals.count, "one value per lead and rule")
        self.rules = rules
        self.signals = signals
        self.rows = rows
        self.values = values
        self.unmatched = unmatched
    }

    /// Each lead's points: the sum over rules of points times signal.
    public var points: [Double] {
        let r = signals.count, weights = signals.map(\.points)
        return (0..<rows).map { i in (0..<r).reduce(0.0) { $0 + weights[$1] * values[i * r + $1] } }
    }

    /// Each lead's band by points.
    public var bands: [String] { points.map(rules.band(points:)) }

    /// One rule's signal for every lead.
    public func column(_ j: Int) -> [Double] {
        (0..<rows).map { values[$0 * signals.count + j] }
    }

    /// The leads in `subset`, in that order.
    public func selectingRows(_ subset: [Int]) -> RuleSignals {
        let r = signals.count
        var out: [Double] = []
        out.reserveCapacity(subset.count * r)
        for i in subset { out.append(contentsOf: values[(i * r)..<((i + 1) * r)]) }
        return RuleSignals(rules: rules, signals: signals, rows: subset.count, values: out, unmatched: unmatched)
    }

    // MARK: - Table mode

    /// The signals of a table's rows: an event rule reads a count column, a profile rule its field, and the
    /// inactivity rule the column it names (see ``TableRule``, which ``TableRuleScorer`` shares for streamed records).
    public static func table(_ table: Table, rules: RuleSet, rulesPath: String) throws(InputError) -> RuleSignals {
        let signals = rules.signals, n = table.rowCount, r = signals.count
        var values = [Double](repeating: 0, count: n * r)
        var unmatched: [String: String] = [:]
        for (j, signal) in signals.enumerated() {
            let rule = try TableRule(signal, rulesPath: rulesPath)
            guard let source = table.column(named: rule.column) else {
                unmatched[signal.key] = rule.missingColumnNote(in: table.path)
                continue
            }
            let column: [Double]
            switch source.values {
            case .numeric(let numbers):
                column = numbers.map(rule.signal(number:))
            case .categorical(let codes, let levels):
                guard !rule.needsNumbers else { throw rule.notNumeric(in: table.path) }
                let hit = levels.map(rule.signal(text:))
                column = codes.map { hit[Int($0)] }
            }
            for i in 0..<n { values[i * r + j] = column[i] }
        }
        return RuleSignals(rules: rules, signals: signals, rows: n, values: values, unmatched: unmatched)
    }

    /// 1 where the profile value earns the rule's points, else 0, for the given rows of a column (all when nil).
    package static func profileSignal(_ rule: ProfileRule, _ column: TableColumn, rows: [Int32]?) -> [Double] {
        switch column.values {
        case .numeric(let numbers):
            let hit = numbers.map(rule.signal(number:))
            return rows.map { $0.map { hit[Int($0)] } } ?? hit
        case .categorical(let codes, let levels):
            let hit = levels.map(rule.signal(text:))
            return rows.map { $0.map { hit[Int(codes[Int($0)])] } } ?? codes.map { hit[Int($0)] }
        }
    }
}
