public import LeadData
public import Scoring

/// What a training run produced, with timings of its stages.
public struct TrainingResult: Sendable {
    public var model: LeadModel
    /// Seconds spent reading and encoding the input.
    public var prepareSeconds: Double
    /// Seconds in the final solver run alone (no reading, no penalty search).
    public var fitSeconds: Double
    /// Seconds in the penalty search, when there was one.
    public var searchSeconds: Double?
    /// Rows skipped under `--skip-bad-rows`, per file and reason.
    public var skipped: SkippedRows
    /// History mode: each held-out contact's probability from the fit on the older contacts.
    public var holdoutPredictions: [HoldoutPrediction]
    /// History mode: the single pass over the events file.
    public var extraction: ExtractionTiming?
    /// Things the user should know about the data or the run (not errors).
    public var notes: [String]

    public init(model: LeadModel, prepareSeconds: Double, fitSeconds: Double, searchSeconds: Double?, skipped: SkippedRows = .init(),
                holdoutPredictions: [HoldoutPrediction] = [], extraction: ExtractionTiming? = nil, notes: [String] = []) {
        self.notes = notes
        self.extraction = extraction
        self.holdoutPredictions = holdoutPredictions
        self.model = model
        self.prepareSeconds = prepareSeconds
        self.fitSeconds = fitSeconds
        self.searchSeconds = searchSeconds
        self.skipped = skipped
    }
}
