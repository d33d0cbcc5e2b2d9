/// How ``Table/read(path:options:)`` treats particular columns, overriding the detected kinds.
public struct TableReadOptions: Sendable {
    /// Columns read as categories even if every value looks like a number (ZIP codes, numeric ids).
    public var categorical: Set<String>
    /// Columns read as numbers; any value that is not a number is then an error at its line.
    public var numeric: Set<String>
    /// Columns not read at all (free text, ids that should not become features).
    public var ignore: Set<String>

    public init(categorical: Set<String> = [], numeric: Set<String> = [], ignore: Set<String> = []) {
        self.categorical = categorical
        self.numeric = numeric
        self.ignore = ignore
    }
}
