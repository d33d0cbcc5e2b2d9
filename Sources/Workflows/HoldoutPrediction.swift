public import LeadData
import Scoring

/// One held-out contact's predicted probability, for checking against other scores or the truth.
public struct HoldoutPrediction: Sendable, Equatable {
    public var contactID: String
    public var decidedAt: Timestamp
    public var won: Bool
    public var probability: Double
}
