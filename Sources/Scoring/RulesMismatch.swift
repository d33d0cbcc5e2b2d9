/// A rules file that does not go with the model.
public struct RulesMismatch: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
