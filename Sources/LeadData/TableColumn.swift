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
