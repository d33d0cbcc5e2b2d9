import LeadData

/// One row of raw values as ``RecordEncoder`` reads it, by column position: a CSV record (``CSVRecord``) or a row
/// held in memory (``TableRowEncoder/Value``), so that both go through the same encoding arithmetic.
protocol FeatureRecord {
    /// The line to name in an error, if the row has one.
    var errorLine: Int? { get }
    /// Whether the value at `i` is empty (a missing category level).
    func isEmpty(at i: Int) -> Bool
    /// The value at `i` as text (a category level the encoding does not know).
    func string(at i: Int) throws(InputError) -> String
    /// The code of the value at `i` in a frozen vocabulary, or nil if it lacks it.
    func code(at i: Int, in vocabulary: StringInterner) -> Int32?
    /// The value at `i` as a number.
    func number(at i: Int) -> NumericField
}

extension CSVRecord: FeatureRecord {
    var errorLine: Int? { line }
}
