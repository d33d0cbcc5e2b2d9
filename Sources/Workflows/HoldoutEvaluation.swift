import Evaluation
import Features
import Rules
import Scoring
import Training

/// The honest measurement both input modes share: fit on the training rows alone, then score the held-out rows
/// with the model, the rules (calibrated on the training rows) and the rules with re-fitted points (also learned on
/// the training rows), and compare.
struct HoldoutEvaluation {
    var fitter: ModelFitter
    var bands: ModelBands
    var capacity: Double

    /// Other point scorers to measure on the holdout next to the model and the rules (a learned points card),
    /// learned from the holdout's training rows and scoring its held-out rows (indices of the examples).
    typealias Extras = (_ trainRows: [Int], _ holdoutRows: [Int]) throws -> [LeadComparison.RulePoints]

    struct Outcome {
        var comparison: Comparison
        /// The model's probability for each held-out row, in `holdoutRows` order.
        var probabilities: [Double]
        var labels: [Bool]
    }

    /// `design` must be encoded with what was learned from `trainRows` alone; `signals` has a row per design row.
    func run(design: DesignMatrix, trainRows: [Int], holdoutRows: [Int], signals: RuleSignals?,
             eventSigns: EventSigns? = nil, extras: [LeadComparison.RulePoints] = []) throws -> Outcome {
        let train = design.selectingRows(trainRows), held = design.selectingRows(holdoutRows)
        let fitted = try fitter.fit(train, source: "holdout", eventSigns: eventSigns)
        let scale = ScoreScale(trainingProbabilities: fitted.fit.probabilities(for: train.features))
        let p = fitted.fit.probabilities(for: held.features)
        let labels = held.labels.map { $0 == 1 }
        var rules: [LeadComparison.RulePoints] = []
        if let signals {
            let baseline = try RulesFitter().fit(signals.selectingRows(trainRows), labels: train.labels.map { $0 == 1 })
            let heldSignals = signals.selectingRows(holdoutRows)
            let refitted = baseline.refittedRules()
            let refittedSignals = RuleSignals(rules: refitted, rows: heldSignals.rows, values: heldSignals.values,
                                              unmatched: heldSignals.unmatched)
            rules = [LeadComparison.RulePoints(rules: signals.rules, points: heldSignals.points, calibration: baseline.calibration),
                     LeadComparison.RulePoints(rules: refitted, points: refittedSignals.points, calibration: refitted.calibration)]
        }
        let comparison = LeadComparison(capacity: capacity).evaluate(labels: labels, probabilities: p, scale: scale,
                                                                     bands: bands, rules: rules + extras)
        return Outcome(comparison: comparison, probabilities: p, labels: labels)
    }
}
