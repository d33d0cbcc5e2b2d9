/// What the first pass of ``Table/read(path:options:)`` learns about one column, to decide its kind.
struct TableColumnSurvey {
    /// How the options say to treat the column.
    enum Mode {
        case ignored, forcedNumeric, forcedCategorical, detect
    }

    let mode: Mode
    /// Whether every non-missing value so far parsed as a number (finite or not).
    var allNumeric = true
    /// Whether any value was a number at all (a column of empty fields is categorical).
    var sawNumber = false

    init(mode: Mode) {
        self.mode = mode
    }

    /// Takes one value into account (detect mode).
    mutating func observe(_ field: NumericField, line: Int) {
        switch field {
        case .missing:
            break
        case .value, .nonFinite:
            sawNumber = true
        case .notNumeric:
            allNumeric = false
        }
    }

    /// Whether the column is read as numbers.
    var isNumeric: Bool {
        switch mode {
        case .forcedNumeric: true
        case .detect: allNumeric && sawNumber
        case .ignored, .forcedCategorical: false
        }
    }

    /// The message for a NaN, Inf or overflowing value in numeric column `name`.
    static func nonFiniteMessage(column name: String, text: String) -> String {
        // A literal that starts like a number but came out infinite overflowed; the rest are NaN/Inf spellings.
        let unsigned = text.first == "+" || text.first == "-" ? text.dropFirst() : Substring(text)
        if let first = unsigned.first, first == "." || first.isASCII && first.isNumber {
            return "column \"\(name)\": \(text) is too large for a Double"
        }
        return "column \"\(name)\": \(text) is not a usable number"
    }
}
