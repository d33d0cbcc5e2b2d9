public import Evaluation
public import Rules
public import Scoring

/// Puts the model and one or more rule sets side by side on the same labelled leads (the core of `compare`, of the
/// holdout in `train --rules`, and of the demo).
public struct LeadComparison: Sendable {
    /// One rule set's points for the leads, with the calibration that turns them into probabilities, if any.
    public struct RulePoints: Sendable {
        public var rules: RuleSet
        public var points: [Double]
        public var calibration: PointsCalibration?

        public init(rules: RuleSet, points: [Double], calibration: PointsCalibration?) {
            self.rules = rules
            self.points = points
            self.calibration = calibration
        }
    }

    /// The share of leads sales can call (`--capacity`).
    public var capacity: Double

    public init(capacity: Double = 0.1) {
        self.capacity = capacity
    }

    /// Evaluates the model's probabilities (banded by `bands` on `scale`) and each rule set; the first rule set is
    /// the one `Comparison.rules` and `delong` refer to.
    public func evaluate(labels: [Bool], probabilities: [Double], scale: ScoreScale, bands: ModelBands,
                         rules: [RulePoints]) -> Comparison {
        let modelBands = probabilities.map { bands.band(probability: $0, score: scale.score(probability: $0)) }
        let model = ScorerEvaluation(name: "model", scores: probabilities, probabilities: probabilities,
                                     bands: (modelBands, bands.names), labels: labels, capacity: capacity)
        let evaluated = rules.map { set in
            ScorerEvaluation(name: set.rules.name ?? "rules", scores: set.points,
                             probabilities: set.calibration.map { c in set.points.map(c.probability(points:)) },
                             bands: (set.points.map(set.rules.band(points:)), set.rules.bands.map(\.name)),
                             labels: labels, capacity: capacity, modelScores: probabilities)
        }
        return Comparison(labels: labels, capacityFraction: capacity, model: model, rules: evaluated.first,
                          otherRules: Array(evaluated.dropFirst()))
    }
}
