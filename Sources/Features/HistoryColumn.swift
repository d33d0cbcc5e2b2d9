/// One history column of a model's features, and what it measures: the structure behind its name, for the code that
/// groups features by event type (reasons, the check that more of a good thing never hurts).
public struct HistoryColumn: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Occurrences of the event type, all time (`nil`) or in the last so many days.
        case count(windowDays: Int?)
        /// Days since the type's most recent occurrence, capped (the cap when never seen).
        case daysSinceLast(cap: Int)
        /// 1 when the type never occurred, else 0.
        case neverSeen
        /// Days from the contact's creation to the cutoff.
        case daysSinceCreated
        /// Days since the most recent event of any kept type, capped.
        case daysSinceLastActivity(cap: Int)
        /// Distinct days with any event in the last 30 days.
        case activeDaysLast30
        /// Kept event types (and the pooled group) seen at least once.
        case distinctEventTypes
    }

    /// The column's name in the feature table.
    public let name: String
    /// The event group (an event type, or the pooled `rare events`) of a per-event column; nil for an overall one.
    public let event: String?
    public let kind: Kind

    public init(name: String, event: String?, kind: Kind) {
        self.name = name
        self.event = event
        self.kind = kind
    }

    /// Which way the column can move when one more event happens just now, of its own type for a per-event column
    /// and of any kept type for an overall one: +1 up or not at all, -1 down or not at all, 0 never.
    public var directionWithOneMoreEvent: Int {
        switch kind {
        case .count, .activeDaysLast30, .distinctEventTypes: 1
        case .daysSinceLast, .neverSeen, .daysSinceLastActivity: -1
        case .daysSinceCreated: 0
        }
    }

}

extension HistoryColumn.Kind {
    /// How much a per-event column changes from a lead that never had the type to one with a single occurrence
    /// just now (counts 0 to 1, days since last from the cap to 0, never seen from 1 to 0); 0 for overall columns.
    public var changeFromNeverToOneNow: Double {
        switch self {
        case .count: 1
        case .daysSinceLast(let cap): -Double(cap)
        case .neverSeen: -1
        case .daysSinceCreated, .daysSinceLastActivity, .activeDaysLast30, .distinctEventTypes: 0
        }
    }
}
