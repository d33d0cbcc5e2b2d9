/// A rules file that does not go with the model, so that its points cannot be set against the model's weights.
public enum RulesMismatch: Error, CustomStringConvertible, Sendable, Equatable {
    /// The model was trained without rules.
    case modelWithoutRules
    /// The model was trained with other rules than those given.
    case otherRules(modelRules: String, modelFingerprint: String, given: String, givenFingerprint: String)

    public var description: String {
        switch self {
        case .modelWithoutRules:
            "the model was trained without rules: train it with the rules to compare weights with points"
        case .otherRules(let name, let fingerprint, let given, let givenFingerprint):
            "the model was trained with other rules (\"\(name)\", fingerprint \(fingerprint)) than \(given) (fingerprint \(givenFingerprint))"
        }
    }
}
