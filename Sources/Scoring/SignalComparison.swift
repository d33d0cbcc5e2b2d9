import Foundation

/// One row of "weights versus points": a signal, what the rules give it, and what the data say it is worth, on the
/// rules' own points scale.
public struct SignalComparison: Codable, Sendable, Equatable {
    /// The signal as a person reads it: a rule (`webinar_attended (per occurrence)`) or a model feature.
    public var signal: String
    /// `rule` when the row is a rule (its weight learned on the rule's own signal), `event type` for an event type no
    /// rule covers (all its features together), `feature` for another model feature no rule covers.
    public var kind: String
    /// "per occurrence", "if true" or "per unit".
    public var unit: String
    /// The rule's points per unit; nil when no rule covers the signal.
    public var rulePoints: Double?
    /// Log-odds per unit and per standard deviation of the signal; nil when the data cannot say (no feature).
    public var weightPerUnit: Double?
    public var weightPerStandardDeviation: Double?
    /// The odds ratio per unit with its 95% interval.
    public var oddsRatio: Double?
    public var oddsRatioLower: Double?
    public var oddsRatioUpper: Double?
    /// The weight per unit in points (`weight / log-odds per point`), with its 95% interval.
    public var dataPoints: Double?
    public var dataPointsLower: Double?
    public var dataPointsUpper: Double?
    /// `(data points - rule points) x standard deviation`: how far apart the two are over a typical spread of the
    /// signal, in points; what the table is sorted by.
    public var disagreement: Double?
    /// Why a side is missing ("no rule", "no feature for this rule: ...").
    public var note: String?
}
