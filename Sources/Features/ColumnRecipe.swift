/// How one source column of a table was read at training, frozen so that new rows are encoded the same way.
public struct ColumnRecipe: Codable, Sendable, Equatable {
    /// What a column turned into.
    public enum Role: String, Codable, Sendable {
        case numeric, categorical, dropped
    }

    /// The table column.
    public let column: String
    public let role: Role
    /// Numeric: the value that stands in for a missing one (the mean of the observed values).
    public let imputedValue: Double?
    /// Categorical: levels with their own column (the reference level excluded).
    public let levels: [String]?
    /// Categorical: the most frequent level, which has no column; its rows are all zeros in this column group.
    public let reference: String?
    /// Categorical: levels seen at training but pooled into `other` because they were rare.
    public let pooled: [String]?
    /// Why the column was dropped, or a note on what it became; for reports.
    public let note: String
}
