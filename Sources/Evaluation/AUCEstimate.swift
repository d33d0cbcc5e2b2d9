import Foundation

/// The ROC AUC of one score with its DeLong standard error and a 95% confidence interval.
///
/// The variance is DeLong's nonparametric estimate (DeLong, DeLong and Clarke-Pearson, 1988) from the structural
/// components, computed by the O(n log n) midrank algorithm of Sun and Xu (2014); ties count half, as in the AUC.
/// The interval is the normal (Wald) interval `auc -+ 1.96 * SE`, clipped to [0, 1].
public struct AUCEstimate: Codable, Sendable, Equatable {
    /// Converted rows.
    public var positives: Int
    /// Non-converted rows.
    public var negatives: Int
    /// The ROC AUC (equal to `BinaryMetrics.rocAUC`); NaN when a class is absent.
    public var auc: Double
    /// DeLong's variance of the AUC, `S10 / positives + S01 / negatives`.
    ///
    /// NaN when either class has fewer than two rows: a class's sample variance needs two members, and treating the
    /// missing term as 0 would claim a precision the data cannot give.
    public var variance: Double
    /// `sqrt(variance)`; NaN exactly when `variance` is.
    public var standardError: Double
    /// The lower end of the 95% interval, at least 0; NaN when the standard error is.
    public var lower: Double
    /// The upper end of the 95% interval, at most 1; NaN when the standard error is.
    public var upper: Double

    /// The 97.5% quantile of the standard normal distribution, the half-width of a 95% interval in standard errors.
    public static let z95 = 1.959963984540054

    /// The AUC of `scores` (higher means more likely to convert) against `labels`, with its uncertainty.
    public init(scores: [Double], labels: [Bool]) {
        self.init(DeLongComponents(scores: scores, labels: labels))
    }

    init(_ components: DeLongComponents) {
        positives = components.positives
        negatives = components.negatives
        auc = components.auc
        variance = components.variance
        standardError = variance.squareRoot()
        if standardError.isNaN {
            lower = .nan
            upper = .nan
        } else {
            lower = max(0, auc - AUCEstimate.z95 * standardError)
            upper = min(1, auc + AUCEstimate.z95 * standardError)
        }
    }
}
