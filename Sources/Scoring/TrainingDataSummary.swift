/// What a model was trained on, for provenance and for spotting a model applied to the wrong data.
public struct TrainingDataSummary: Codable, Sendable, Equatable {
    /// The input file's name (no folders, so the model file does not depend on where it was made).
    public var source: String
    public var rows: Int
    public var positives: Int
    public var features: Int
    /// A hash of the design matrix, labels and weights (see `DesignMatrix.fingerprint`).
    public var fingerprint: String
}
