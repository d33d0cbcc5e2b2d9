public import LinearAlgebra

/// What a logistic regression learns from: a design matrix, 0/1 labels, optional sample weights, and feature names for messages.
public struct TrainingData: Sendable {
    /// One row per example, one column per feature (standardised by the caller).
    public var features: Matrix
    /// 1 for a conversion (won), 0 for a loss.
    public var labels: [Double]
    /// Per-example weights `s_i`; `nil` means 1 for every row.
    public var weights: [Double]?
    /// One name per column, used in results and in error messages.
    public var featureNames: [String]

    /// Bundles the parts; names default to `x1, x2, ...`.
    public init(features: Matrix, labels: [Double], weights: [Double]? = nil, featureNames: [String]? = nil) {
        self.features = features
        self.labels = labels
        self.weights = weights
        self.featureNames = featureNames ?? (0..<features.columns).map { "x\($0 + 1)" }
    }

    /// The number of examples.
    public var rows: Int { features.rows }
    /// The number of features (the intercept not counted).
    public var columns: Int { features.columns }

    /// The rows at `indices`, in order (for cross-validation folds and holdouts).
    public func selectingRows(_ indices: [Int]) -> TrainingData {
        TrainingData(features: features.selectingRows(indices), labels: indices.map { labels[$0] },
                     weights: weights.map { w in indices.map { w[$0] } }, featureNames: featureNames)
    }
}
