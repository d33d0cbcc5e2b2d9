public import Features
public import LeadData
public import Training

/// How a history-mode model reads contact history: the feature spec, the frozen event vocabulary, and the cutoffs.
public struct HistoryInput: Codable, Sendable, Equatable {
    public var spec: HistoryFeatureSpec
    public var vocabulary: EventVocabulary
    /// Features of a labelled contact use only events before `decided_at - gap`.
    public var gap: TimeSpan
    /// Undecided contacts older than this at the end of the data were counted as lost; `nil` when not used.
    public var implicitLostAfter: TimeSpan?
    /// The latest `created_at` or `decided_at` in the training data.
    public var endOfData: Timestamp
    /// The training options beyond the defaults that `retrain` must repeat (absent when there were none).
    public var options: TrainingOptions?

    package init(spec: HistoryFeatureSpec, vocabulary: EventVocabulary, gap: TimeSpan, implicitLostAfter: TimeSpan? = nil, endOfData: Timestamp) {
        self.spec = spec
        self.vocabulary = vocabulary
        self.gap = gap
        self.implicitLostAfter = implicitLostAfter
        self.endOfData = endOfData
    }
}

/// What a history model was trained with beyond its spec and penalty, recorded so that `retrain` trains the challenger
/// the same way: the profile columns let past the leak guard, and the solver settings when they were not the defaults.
public struct TrainingOptions: Codable, Sendable, Equatable {
    /// Profile columns confirmed as known before the outcome (`--allow-leak`), sorted.
    public var allowedLeaks: [String]?
    public var solver: Solver?
    public var tolerance: Double?
    public var maxIterations: Int?

    /// The options of `estimator` and `allowedLeaks` that differ from the defaults, or nil when none does.
    public init?(estimator: LogisticRegression, allowedLeaks: Set<String>) {
        let defaults = LogisticRegression()
        self.allowedLeaks = allowedLeaks.isEmpty ? nil : allowedLeaks.sorted()
        solver = estimator.solver == defaults.solver ? nil : estimator.solver
        tolerance = estimator.tolerance == defaults.tolerance ? nil : estimator.tolerance
        maxIterations = estimator.maxIterations
        if self.allowedLeaks == nil, solver == nil, tolerance == nil, maxIterations == nil { return nil }
    }

    /// The estimator these options describe, with `l2` as given.
    public func estimator() -> LogisticRegression {
        let defaults = LogisticRegression()
        return LogisticRegression(solver: solver ?? defaults.solver, tolerance: tolerance ?? defaults.tolerance, maxIterations: maxIterations)
    }
}
