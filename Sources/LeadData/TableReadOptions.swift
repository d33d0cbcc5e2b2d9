/// How ``Table/read(path:options:)`` treats particular columns, overriding the detected kinds.
public struct TableReadOptions: Sendable {
    /// Columns read as categories even if every value looks like a number (ZIP codes, numeric ids).
    public var categorical: Set<String>
    /// Columns read as numbers; any value that is not a number is then an error at its line.
    public var numeric: Set<String>
    /// Columns not read at all (free text, ids that should not become features).
    public var ignore: Set<String>
    /// Columns the file must have (a label, an id), checked on the header before any row is read.
    public var required: [String]
    /// Whether the kinds above may name columns the file lacks (a model's columns, applied to whatever file it is
    /// given; the encoding then names what is missing); otherwise such a name is an error.
    public var kindsMayNameAbsentColumns: Bool
    /// Whether every column not declared numeric is read as text: its values kept as written, coded as categories,
    /// with no detection of numbers or dates. For a reader that keeps contacts before it knows which model will read
    /// them (``TableColumn/levelsAsNumbers(format:)`` reads a column's values as numbers later, as a column declared
    /// numeric would have read them).
    package var keepsText = false

    public init(categorical: Set<String> = [], numeric: Set<String> = [], ignore: Set<String> = [], required: [String] = [],
                kindsMayNameAbsentColumns: Bool = false) {
        self.categorical = categorical
        self.numeric = numeric
        self.ignore = ignore
        self.required = required
        self.kindsMayNameAbsentColumns = kindsMayNameAbsentColumns
    }
}
