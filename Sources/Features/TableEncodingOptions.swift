/// Choices for turning a table into features.
public struct TableEncodingOptions: Codable, Sendable, Equatable {
    /// The label column (required).
    public var label: String
    /// The label value that means converted; `nil` accepts 1/0, won/lost, true/false, yes/no.
    public var positive: String?
    /// An identifier column, carried through exports and scores but never a feature.
    public var id: String?
    /// A column of per-row sample weights (not a feature).
    public var weight: String?
    /// Categorical levels seen in fewer rows than this are pooled into `other`.
    public var minLevelCount: Int

    public init(label: String, positive: String? = nil, id: String? = nil, weight: String? = nil, minLevelCount: Int = 10) {
        self.label = label
        self.positive = positive
        self.id = id
        self.weight = weight
        self.minLevelCount = minLevelCount
    }
}
