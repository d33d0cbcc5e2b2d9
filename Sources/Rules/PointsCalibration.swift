import Foundation

/// Rule points turned into a probability of conversion: `p = 1 / (1 + exp(-(intercept + perPoint * points)))`,
/// a one-variable logistic regression fitted on training data (Platt scaling), so that log loss and Brier score
/// can be compared with the model's. `perPoint` is also the exchange rate between log-odds and points.
public struct PointsCalibration: Codable, Sendable, Equatable {
    public var intercept: Double
    /// Log-odds per point.
    public var perPoint: Double

    public init(intercept: Double, perPoint: Double) {
        self.intercept = intercept
        self.perPoint = perPoint
    }

    public func probability(points: Double) -> Double {
        1 / (1 + exp(-(intercept + perPoint * points)))
    }
}
