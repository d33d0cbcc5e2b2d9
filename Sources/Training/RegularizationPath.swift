/// The result of a penalty search: held-out log loss for each penalty tried, and the one chosen.
public struct RegularizationPath: Codable, Sendable, Equatable {
    /// One penalty on the grid.
    public struct Point: Codable, Sendable, Equatable {
        public var l2: Double
        /// Held-out log loss per unit of weight, pooled over folds; `nil` when a fold failed to fit.
        public var logLoss: Double?
        /// The standard error of the per-fold log losses.
        public var standardError: Double?
    }

    public var folds: Int
    public var seed: UInt64
    public var points: [Point]
    /// The penalty with the lowest held-out log loss.
    public var chosen: Double
    /// Set when the default grid was widened because the best penalty sat at one of its edges: says to what.
    public var widened: String?
}
