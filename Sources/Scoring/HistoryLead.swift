public import LeadData

/// One contact with its history, held in memory: what a CRM webhook posts, and what one row of contacts.csv with its
/// rows of events.csv say.
///
/// Profile fields the model and the rules do not read are ignored, as extra columns of contacts.csv are; fields they
/// read but the lead lacks count as missing, as an empty cell does.
public struct HistoryLead: Sendable, Equatable {
    public var contactID: String
    public var createdAt: Timestamp
    public var profile: [String: ProfileValue]
    /// In any order; only those strictly before the scoring moment count.
    public var events: [LeadEvent]

    public init(contactID: String, createdAt: Timestamp, profile: [String: ProfileValue] = [:], events: [LeadEvent] = []) {
        self.contactID = contactID
        self.createdAt = createdAt
        self.profile = profile
        self.events = events
    }
}
