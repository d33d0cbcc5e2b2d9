/// One profile field of a lead that arrives as data rather than as a CSV cell: a number, text, or nothing.
///
/// ``HistoryLeadScorer`` reads it as the contacts file would read the same cell: text in a numeric column is parsed
/// as a number, a number in a categorical column is a level spelled as written, and `missing` is an empty cell.
public enum ProfileValue: Sendable, Equatable {
    case missing
    case number(Double)
    case text(String)
}
