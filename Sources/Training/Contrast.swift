/// A weighted sum of a fit's weights, `sum_k weight_k * w[feature_k]` (features by index, intercept excluded): an
/// effect that several features make together.
public struct Contrast: Sendable, Equatable {
    public var terms: [(feature: Int, weight: Double)]

    public init(terms: [(feature: Int, weight: Double)]) { self.terms = terms }

    public static func == (a: Contrast, b: Contrast) -> Bool {
        a.terms.count == b.terms.count && zip(a.terms, b.terms).allSatisfy { $0.feature == $1.feature && $0.weight == $1.weight }
    }
}

/// A contrast's value at the fit, with its standard error (delta method on the inverse Hessian).
public struct ContrastEstimate: Sendable, Equatable {
    public var estimate: Double
    /// Nil when the Hessian was too large to invert.
    public var standardError: Double?

    /// The 95% Wald interval, when there is a standard error.
    public var interval: ClosedRange<Double>? {
        standardError.map { (estimate - LogisticFit.z95 * $0)...(estimate + LogisticFit.z95 * $0) }
    }

    /// Whether the 95% interval excludes zero: the sign of the effect is clear.
    public var isClear: Bool {
        interval.map { $0.lowerBound > 0 || $0.upperBound < 0 } ?? false
    }
}
