/// Why one lead scores as it does: its log-odds split, source column by source column, into what moves it away from
/// the average lead.
///
/// The contribution of feature j is `w_j (x_j - mean_j)` in log-odds, that is `coef_j z_j` on the standardised
/// features the model was fitted on; the features that come from one source column (the one-hot levels of a category,
/// a number and its missing indicator) are summed into one ``LeadReason``. The average lead (every standardised
/// feature at 0) has log-odds ``baseline``, the intercept, so `baseline` plus every contribution is the lead's
/// log-odds.
public struct LeadExplanation: Sendable, Equatable {
    /// The log-odds of the average lead: the model's intercept on standardised features.
    public let baseline: Double
    /// One reason per source column the model uses, in the model's column order.
    public let reasons: [LeadReason]

    public init(baseline: Double, reasons: [LeadReason]) {
        self.baseline = baseline
        self.reasons = reasons
    }

    /// The lead's log-odds: ``baseline`` plus every contribution (equal to the scorer's up to rounding).
    public var logOdds: Double {
        reasons.reduce(baseline) { $0 + $1.contribution }
    }

    /// The `k` reasons that raise the lead's score most, largest first (ties by column name); only positive ones, and
    /// never a value equal to the typical one ("Software (typical Software)" is no reason a person can act on).
    public func up(_ k: Int) -> [LeadReason] {
        Array(reasons.filter { $0.contribution > 0 && $0.value != $0.typical }
            .sorted { $0.contribution != $1.contribution ? $0.contribution > $1.contribution : $0.column < $1.column }
            .prefix(max(0, k)))
    }

    /// The `k` reasons that lower the lead's score most, most negative first (ties by column name); only negative
    /// ones, and never a value equal to the typical one.
    public func down(_ k: Int) -> [LeadReason] {
        Array(reasons.filter { $0.contribution < 0 && $0.value != $0.typical }
            .sorted { $0.contribution != $1.contribution ? $0.contribution < $1.contribution : $0.column < $1.column }
            .prefix(max(0, k)))
    }
}
