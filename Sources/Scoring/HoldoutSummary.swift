public import Evaluation
public import LeadData

/// How the model did on data it had not seen: the most recent decided contacts, held out from a first fit.
public struct HoldoutSummary: Codable, Sendable, Equatable {
    /// How the holdout was chosen, in words.
    public var rule: String
    /// Rows the first fit was trained on.
    public var trainingRows: Int
    /// History mode: the earliest and latest `decided_at` in the holdout.
    public var decidedFrom: Timestamp?
    public var decidedTo: Timestamp?
    /// The model's metrics on the holdout (AUC, log loss, Brier).
    public var model: BinaryMetrics
    /// The model against the rules (when trained with `--rules`) on the holdout, in full.
    public var comparison: Comparison

    package init(rule: String, trainingRows: Int, decidedFrom: Timestamp? = nil, decidedTo: Timestamp? = nil, model: BinaryMetrics, comparison: Comparison) {
        self.rule = rule
        self.trainingRows = trainingRows
        self.decidedFrom = decidedFrom
        self.decidedTo = decidedTo
        self.model = model
        self.comparison = comparison
    }
}
