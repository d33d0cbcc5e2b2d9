/// Everything measured about one way of scoring leads (the model, or rule points) on labelled leads.
public struct ScorerEvaluation: Codable, Sendable, Equatable {
    /// "model", or the rules' name.
    public var name: String
    /// ROC AUC, with its DeLong standard error and 95% interval.
    public var auc: Double
    public var aucStandardError: Double
    public var aucLower: Double
    public var aucUpper: Double
    /// PR AUC as average precision (scikit-learn's definition).
    public var averagePrecision: Double
    /// Log loss and Brier score of the probabilities, when the scorer gives probabilities (rule points need a
    /// calibration).
    public var logLoss: Double?
    public var brier: Double?
    /// Gains and lift by decile.
    public var gains: GainsTable
    /// Conversions captured when sales can call the top share of leads.
    public var capacity: CapacityCapture
    /// Leads and conversions per band, when the scorer has bands.
    public var bands: BandTable?
    /// Reliability by bins of predicted probability (equal-count bins), when there are probabilities.
    public var calibration: CalibrationTable?
    /// The ROC curve, thinned for charts.
    public var roc: ROCCurve
    /// DeLong's test of the model against this scorer (nil for the model itself).
    public var versusModel: DeLongTest?

    /// Evaluates `scores` (higher = more likely to convert); `probabilities` may be the scores themselves or a
    /// calibration of them; `bands` are each lead's band with the band names from the highest down.
    public init(name: String, scores: [Double], probabilities: [Double]?, bands: (labels: [String], order: [String])?,
                labels: [Bool], capacity: Double, modelScores: [Double]? = nil) {
        self.name = name
        let estimate = AUCEstimate(scores: scores, labels: labels)
        auc = estimate.auc
        aucStandardError = estimate.standardError
        aucLower = estimate.lower
        aucUpper = estimate.upper
        averagePrecision = PrecisionRecall.averagePrecision(scores: scores, labels: labels)
        if let probabilities {
            let metrics = BinaryMetrics(scores: probabilities, labels: labels)
            logLoss = metrics.logLoss
            brier = metrics.brier
            calibration = CalibrationTable(probabilities: probabilities, labels: labels, bins: 10, strategy: .quantile)
        }
        gains = GainsTable(scores: scores, labels: labels, groups: 10)
        self.capacity = CapacityCapture.top(fraction: capacity, scores: scores, labels: labels)
        self.bands = bands.map { BandTable(bands: $0.labels, order: $0.order, labels: labels) }
        roc = ROCCurve(scores: scores, labels: labels).thinned(maxPoints: 101)
        versusModel = modelScores.map { DeLongTest(a: $0, b: scores, labels: labels) }
    }
}
