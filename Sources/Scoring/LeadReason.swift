import LeadData

/// One reason a lead scores as it does: a source column, what the lead has there, what a typical lead has, and how far
/// that moves the lead's log-odds away from the average lead's.
///
/// Read as `pricing_page_view, count, last 30 days: 3 (typical 0.4), +0.82`, `industry: Retail (typical Software), +0.31`
/// or `company_size: missing, -0.12`.
public struct LeadReason: Sendable, Equatable, CustomStringConvertible {
    /// The source column: a table column, a history feature ("pricing_page_view, count, last 30 days") or a profile field.
    public let column: String
    /// What the lead has: a number in the column's own units, a category level (`other` for a pooled or unseen one),
    /// or `missing`.
    public let value: String
    /// What a typical lead has: the training mean for a number (for a column taken as log1p, the mean on the log
    /// scale, shown back in raw units and marked "on a log scale"), the reference (most frequent) level for a
    /// category; `nil` when the value is missing.
    public let typical: String?
    /// The lead's log-odds minus the average lead's, from this column alone: `sum_j w_j (x_j - mean_j) / scale_j` over
    /// the column's features (one-hot levels, or value and missing indicator).
    public let contribution: Double

    public init(column: String, value: String, typical: String?, contribution: Double) {
        self.column = column
        self.value = value
        self.typical = typical
        self.contribution = contribution
    }

    /// `column: value (typical t), +0.82`: the contribution in log-odds with two decimals.
    public var description: String {
        "\(column): \(value)\(typical.map { " (typical \($0))" } ?? ""), \(DecimalText.signedTwoDecimals(contribution))"
    }
}
