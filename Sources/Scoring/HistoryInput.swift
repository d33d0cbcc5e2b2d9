public import Features
public import LeadData

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

    package init(spec: HistoryFeatureSpec, vocabulary: EventVocabulary, gap: TimeSpan, implicitLostAfter: TimeSpan? = nil, endOfData: Timestamp) {
        self.spec = spec
        self.vocabulary = vocabulary
        self.gap = gap
        self.implicitLostAfter = implicitLostAfter
        self.endOfData = endOfData
    }
}
