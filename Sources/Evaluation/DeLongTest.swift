import Foundation

/// DeLong's paired test of two ROC AUCs measured on the same rows: is score `a` better at ranking than score `b`?
///
/// Both scores are ranked against the same labels, so their AUCs are correlated; DeLong, DeLong and Clarke-Pearson
/// (1988) estimate the covariance from the placement values of each row under both scores (computed here by the
/// midrank algorithm of Sun and Xu, 2014). The test statistic is `z = (auc_a - auc_b) / SE`, two-sided.
public struct DeLongTest: Codable, Sendable, Equatable {
    /// The AUC of the first score, with its own DeLong interval.
    public var a: AUCEstimate
    /// The AUC of the second score, with its own DeLong interval.
    public var b: AUCEstimate
    /// DeLong's covariance of the two AUCs; NaN when a class has fewer than two rows.
    public var covariance: Double
    /// `a.auc - b.auc`.
    public var difference: Double
    /// The standard error of the difference, `sqrt(var_a + var_b - 2 cov)`.
    ///
    /// Computed as the DeLong variance of the per-row differences of placement values, which equals that formula
    /// and never goes negative through cancellation when the two scores are nearly the same.
    public var standardError: Double
    /// `difference / standardError`.
    public var z: Double
    /// The two-sided p-value, `erfc(|z| / sqrt 2)`.
    ///
    /// When the two scores place every row identically (the same ranking, up to a monotone transformation, including
    /// `a == b`), the difference is exactly 0 and carries no uncertainty: `standardError` and `z` are 0 and the p-value
    /// is 1, whatever the class sizes. When the standard error is 0 but the difference is not (for instance a score
    /// that separates the classes perfectly against a constant one), `z` is infinite and the p-value 0. Otherwise NaN
    /// when a class has fewer than two rows.
    public var pValue: Double
    /// The lower end of the 95% interval of the difference, at least -1.
    public var lower: Double
    /// The upper end of the 95% interval of the difference, at most 1.
    public var upper: Double

    /// Compares `a` with `b`, two scores of the same rows (higher means more likely to convert), against `labels`.
    public init(a scoresA: [Double], b scoresB: [Double], labels: [Bool]) {
        precondition(scoresA.count == labels.count && scoresB.count == labels.count, "one score of each kind per label")
        let ca = DeLongComponents(scores: scoresA, labels: labels)
        let cb = DeLongComponents(scores: scoresB, labels: labels)
        a = AUCEstimate(ca)
        b = AUCEstimate(cb)
        difference = ca.auc - cb.auc
        let m = ca.positives, n = ca.negatives
        guard m > 0, n > 0 else {
            covariance = .nan
            standardError = .nan
            z = .nan
            pValue = .nan
            lower = .nan
            upper = .nan
            return
        }
        let d10 = zip(ca.v10, cb.v10).map { $0 - $1 }
        let d01 = zip(ca.v01, cb.v01).map { $0 - $1 }
        let ss10 = DeLongComponents.squaredDeviations(d10, from: difference)
        let ss01 = DeLongComponents.squaredDeviations(d01, from: difference)
        if m > 1 && n > 1 {
            let c10 = DeLongComponents.crossDeviations(ca.v10, cb.v10, from: ca.auc, cb.auc) / Double(m - 1)
            let c01 = DeLongComponents.crossDeviations(ca.v01, cb.v01, from: ca.auc, cb.auc) / Double(n - 1)
            covariance = c10 / Double(m) + c01 / Double(n)
        } else {
            covariance = .nan
        }
        if ss10 == 0 && ss01 == 0 && difference == 0 {
            // Identical placements: every per-row difference is exactly 0.
            standardError = 0
            z = 0
            pValue = 1
            lower = 0
            upper = 0
            return
        }
        let variance = m > 1 && n > 1 ? ss10 / Double(m - 1) / Double(m) + ss01 / Double(n - 1) / Double(n) : .nan
        standardError = variance.squareRoot()
        z = difference / standardError
        pValue = z.isNaN ? .nan : erfc(abs(z) / 2.0.squareRoot())
        if standardError.isNaN {
            lower = .nan
            upper = .nan
        } else {
            lower = max(-1, difference - AUCEstimate.z95 * standardError)
            upper = min(1, difference + AUCEstimate.z95 * standardError)
        }
    }
}
