/// What is wrong with one lead handed over as data: the field at fault, as a path from the lead (`created_at`,
/// `profile.company_size`, `events[3].timestamp`), and what to change.
public struct LeadInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
