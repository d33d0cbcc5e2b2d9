/// The model and the rules side by side on the same labelled leads: the answer to "is the model better than our
/// points, and by how much?". `delong` tests the difference of the two ROC AUCs.
public struct Comparison: Codable, Sendable, Equatable {
    public var leads: Int
    public var conversions: Int
    public var baseRate: Double
    /// The share of leads sales can call, for `capacity` figures.
    public var capacityFraction: Double
    public var model: ScorerEvaluation
    public var rules: ScorerEvaluation?
    /// DeLong's test of model AUC minus rules AUC.
    public var delong: DeLongTest?
    /// Further rule sets (for instance the rules with re-fitted points), each with its test against the model.
    public var otherRules: [ScorerEvaluation]

    public init(labels: [Bool], capacityFraction: Double, model: ScorerEvaluation, rules: ScorerEvaluation?,
                otherRules: [ScorerEvaluation] = []) {
        leads = labels.count
        conversions = labels.filter { $0 }.count
        baseRate = leads > 0 ? Double(conversions) / Double(leads) : .nan
        self.capacityFraction = capacityFraction
        self.model = model
        self.rules = rules
        delong = rules?.versusModel
        self.otherRules = otherRules
    }
}
