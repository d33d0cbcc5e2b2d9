/// One column of a ``Table``, typed: numbers, or categories coded as integers.
public struct TableColumn: Sendable {
    /// The column's name in the header.
    public let name: String
    /// The values, one per row of the table.
    public let values: Values
    /// How many rows have no value: NaN in a numeric column, the level `""` in a categorical one.
    public let missingCount: Int

    /// The values of a column, by kind.
    public enum Values: Sendable {
        /// Numbers; NaN marks a missing (empty) value and never anything else (NaN or Inf in the file are errors).
        case numeric([Double])
        /// Categories: `codes[row]` indexes `levels`, which are in order of first appearance; an empty field
        /// is the level `""`.
        case categorical(codes: [Int32], levels: [String])
    }

    /// Makes a column and counts its missing values once.
    public init(name: String, values: Values) {
        self.name = name
        self.values = values
        switch values {
        case .numeric(let numbers):
            missingCount = numbers.reduce(0) { $1.isNaN ? $0 + 1 : $0 }
        case .categorical(let codes, let levels):
            if let empty = levels.firstIndex(of: "") {
                let code = Int32(empty)
                missingCount = codes.reduce(0) { $1 == code ? $0 + 1 : $0 }
            } else {
                missingCount = 0
            }
        }
    }

    /// The number of rows.
    public var count: Int {
        switch values {
        case .numeric(let numbers): numbers.count
        case .categorical(let codes, _): codes.count
        }
    }

    /// Whether the column holds numbers.
    public var isNumeric: Bool {
        if case .numeric = values { return true }
        return false
    }
}

/// One value of a column read as text (``TableReadOptions/keepsText``), read as a number.
package enum LevelNumber: Sendable, Equatable {
    /// A number; NaN for an empty value, as a numeric column holds it.
    case value(Double)
    /// Not a usable number: the message a column declared numeric stops with (at the line of the value's row).
    case bad(String)
}

extension TableColumn {
    /// For a column read as text: each of its levels read as a column declared numeric reads a value in a file of
    /// `format` (its thousands separator and decimal mark), so that a reader that kept the text can type the column
    /// later, exactly as reading it as numbers would have; nil for a numeric column.
    package func levelsAsNumbers(format: CSVFormat) -> [LevelNumber]? {
        guard case .categorical(_, let levels) = values else { return nil }
        return levels.map { level in
            var text = level
            return text.withUTF8 { bytes in
                let field = format.plainNumbers ? NumericField.parse(bytes)
                    : NumericField.parse(bytes, thousands: format.thousands, decimal: format.decimal)
                switch field {
                case .missing: return .value(.nan)
                case .value(let x): return .value(x)
                case .nonFinite(let text): return .bad(TableColumnSurvey.nonFiniteMessage(column: name, text: text))
                case .notNumeric:
                    return .bad("column \(Echo.quoted(name)): \(Echo.quoted(HistoryRows.shown(bytes))) is not a number (the column was declared numeric)")
                }
            }
        }
    }
}
