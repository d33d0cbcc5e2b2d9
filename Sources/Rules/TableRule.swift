import LeadData

/// One rule as it reads a table (one row per lead): the column it looks at, and the signal one value of that column
/// gives.
///
/// ``RuleSignals/table(_:rules:rulesPath:)`` (a whole table in memory) and ``TableRuleScorer`` (records streamed) both
/// read values through this, so a lead earns the same points either way. An event rule reads a count (a missing value
/// counts 0, a negative one is taken as 0), a profile rule its field, the inactivity rule the days in its `column`.
struct TableRule: Sendable {
    let signal: RuleSignal
    /// The column read: an event rule's count column, a profile rule's field, the inactivity rule's `column`.
    let column: String
    /// The rules file, for errors.
    let rulesPath: String

    /// Fails for what a table cannot answer: an event rule with a window (a column already holds a count), or an
    /// inactivity rule that names no column.
    init(_ signal: RuleSignal, rulesPath: String) throws(InputError) {
        self.signal = signal
        self.rulesPath = rulesPath
        switch signal.rule {
        case .event(let rule):
            if rule.windowDays != nil {
                throw InputError(file: rulesPath, line: nil, message: "\"\(signal.key).window_days\" needs contact history: in table mode the column \(Echo.quoted(rule.event)) already holds a count")
            }
            column = rule.event
        case .profile(let rule):
            column = rule.field
        case .inactivity(let rule):
            guard let name = rule.column else {
                throw InputError(file: rulesPath, line: nil, message: "\"inactivity.column\" is missing: in table mode name the column that holds days since the last activity")
            }
            column = name
        }
    }

    /// Whether the column must hold numbers: counts of events, days since the last activity.
    var needsNumbers: Bool {
        if case .profile = signal.rule { return false }
        return true
    }

    /// The signal of a number in the column; NaN stands for an empty value.
    func signal(number: Double) -> Double {
        switch signal.rule {
        case .event(let rule): rule.signal(count: number.isNaN ? 0 : max(0, number))
        case .profile(let rule): rule.signal(number: number)
        case .inactivity(let rule): number >= Double(rule.days) ? 1 : 0
        }
    }

    /// The signal of a text value (a category; `""` when empty). Only profile rules read text (see ``needsNumbers``).
    func signal(text: String) -> Double {
        guard case .profile(let rule) = signal.rule else { return 0 }
        return rule.signal(text: text)
    }

    /// The note for a table without the column: the rule gives no points.
    func missingColumnNote(in table: String) -> String {
        "no column \(Echo.quoted(column)) in \(table)"
    }

    /// The error for a column that holds text where the rule needs numbers.
    func notNumeric(in table: String) -> InputError {
        if case .event = signal.rule {
            return InputError(file: rulesPath, line: nil, message: "\"\(signal.key)\": column \(Echo.quoted(column)) of \(table) is not numeric, so it cannot be a count of events")
        }
        return InputError(file: rulesPath, line: nil, message: "\"inactivity.column\": column \(Echo.quoted(column)) of \(table) is not numeric")
    }

    /// The error for one value that is not a number where the rule needs one, at its line of the table.
    func notANumber(_ text: String, in table: String, line: Int) -> InputError {
        let what = if case .event = signal.rule { "a count of events" } else { "days since the last activity" }
        return InputError(file: table, line: line,
                          message: "column \(Echo.quoted(column)): \(Echo.quoted(text)) is not a number, but rule \"\(signal.key)\" of \(rulesPath) reads \(what) from it")
    }
}
