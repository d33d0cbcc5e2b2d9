public import LeadData

/// One touchpoint of a lead held in memory: what happened (an event name as in events.csv) and when.
public struct LeadEvent: Sendable, Equatable {
    public var time: Timestamp
    public var name: String

    public init(time: Timestamp, name: String) {
        self.time = time
        self.name = name
    }
}
