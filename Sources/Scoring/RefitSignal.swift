import Foundation
import Rules

/// One rule's signal with the weight the data give it: learned by a logistic regression on all the rules' signals
/// together, so that each rule is measured on exactly its own definition ("webinar_attended, per occurrence").
public struct RefitSignal: Codable, Sendable, Equatable {
    /// Where the rule is in the rules file: `events[2]`.
    public var key: String
    /// The rule as a person reads it.
    public var label: String
    /// "per occurrence" or "if true".
    public var unit: String
    /// The rule's own points per unit.
    public var rulePoints: Double
    /// The signal's mean and standard deviation over the training leads.
    public var mean: Double
    public var standardDeviation: Double
    /// Log-odds per unit of the signal, and its standard error; nil when the signal never varies in the data.
    public var weight: Double?
    public var standardError: Double?
    /// Why there is no weight, when there is none.
    public var note: String?

    /// Log-odds per standard deviation of the signal.
    public var weightPerStandardDeviation: Double? { weight.map { $0 * standardDeviation } }

    /// The 95% interval of the weight (log-odds per unit).
    public var interval: ClosedRange<Double>? {
        guard let weight, let standardError, standardError.isFinite else { return nil }
        return (weight - 1.959963984540054 * standardError)...(weight + 1.959963984540054 * standardError)
    }

    package init(key: String, label: String, unit: String, rulePoints: Double, mean: Double, standardDeviation: Double, weight: Double? = nil, standardError: Double? = nil, note: String? = nil) {
        self.key = key
        self.label = label
        self.unit = unit
        self.rulePoints = rulePoints
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.weight = weight
        self.standardError = standardError
        self.note = note
    }
}
