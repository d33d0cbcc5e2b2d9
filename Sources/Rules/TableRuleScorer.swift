package import LeadData

/// Rule points for a table read one record at a time, equal to the points ``RuleSignals/table(_:rules:rulesPath:)``
/// gives the same rows read whole: each value goes through the same ``TableRule``, and the points are summed in the
/// same order. It lets a scorer stream a CSV of any length in chunks and still give every lead its rule points.
///
/// How a column is read follows the caller, who knows how the model reads it (`categorical`, `numeric`). A column the
/// model does not read is taken value by value: a number as a number, other text as a category. That agrees with a
/// whole table read except for a profile rule naming a number written unusually (`"equals": "7"` and the value `7.0`)
/// in a column that also holds text. Rules with no column to read give 0 points and are listed in ``unmatched``, as in
/// ``RuleSignals``.
package struct TableRuleScorer: Sendable {
    package let rules: RuleSet
    /// Rules with nothing to read in the table, by key (`events[2]`), with the reason.
    package let unmatched: [String: String]
    /// The table, for errors.
    package let path: String
    private let sources: [Source]

    /// One rule, the position of its column in the header (-1: none) and how the column's values are read.
    private struct Source: Sendable {
        let rule: TableRule
        let index: Int
        let kind: Kind
    }

    private enum Kind: Sendable {
        /// Every value must be a number (or empty).
        case numbers
        /// Every value is a category, numbers included.
        case text
        /// Numbers as numbers, other text as categories.
        case either
    }

    /// Prepares to score records of `path`, whose header is `header`. `categorical` and `numeric` name columns
    /// whose kind is known (the model's, its id and label); a count or days column the model reads as categories is
    /// an error, as it is for a whole table.
    package init(rules: RuleSet, rulesPath: String, header: [String], path: String, categorical: Set<String> = [],
                numeric: Set<String> = []) throws(InputError) {
        var position: [String: Int] = [:]
        for (i, name) in header.enumerated() where position[name] == nil { position[name] = i }
        var sources: [Source] = []
        var unmatched: [String: String] = [:]
        for signal in rules.signals {
            let rule = try TableRule(signal, rulesPath: rulesPath)
            guard let index = position[rule.column] else {
                unmatched[signal.key] = rule.missingColumnNote(in: path)
                sources.append(Source(rule: rule, index: -1, kind: .numbers))
                continue
            }
            let kind: Kind
            if categorical.contains(rule.column) {
                guard !rule.needsNumbers else { throw rule.notNumeric(in: path) }
                kind = .text
            } else if rule.needsNumbers || numeric.contains(rule.column) {
                kind = .numbers
            } else {
                kind = .either
            }
            sources.append(Source(rule: rule, index: index, kind: kind))
        }
        self.rules = rules
        self.unmatched = unmatched
        self.path = path
        self.sources = sources
    }

    /// The rules band of a points total.
    package func band(points: Double) -> String { rules.band(points: points) }

    /// The record's points: the sum over rules of points times signal, in file order.
    ///
    /// A value that is not a number where a rule needs one (a count, days) is an error at the record's line that
    /// names the column, the value and the rule.
    package func points(_ record: CSVRecord) throws(InputError) -> Double {
        var total = 0.0
        for source in sources {
            total += source.rule.signal.points * (try signal(source, record))
        }
        return total
    }

    private func signal(_ source: Source, _ record: CSVRecord) throws(InputError) -> Double {
        guard source.index >= 0 else { return 0 }
        let rule = source.rule, i = source.index
        if source.kind == .text {
            return rule.signal(text: record.isEmpty(at: i) ? "" : try record.string(at: i))
        }
        switch record.number(at: i) {
        case .value(let number): return rule.signal(number: number)
        case .missing: return rule.signal(number: .nan)
        case .nonFinite(let text):
            guard source.kind == .either else {
                throw InputError(file: path, line: record.line, message: "column \"\(rule.column)\": \(text) is not a usable number")
            }
            return rule.signal(text: try record.string(at: i))
        case .notNumeric:
            let text = try record.string(at: i)
            guard source.kind == .either else { throw rule.notANumber(text, in: path, line: record.line) }
            return rule.signal(text: text)
        }
    }
}
