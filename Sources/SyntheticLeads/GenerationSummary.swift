/// What a run of the generator wrote: counts for the one-line summary and the README.
public struct GenerationSummary: Codable, Sendable, Equatable {
    public var contacts = 0
    public var events = 0
    /// Contacts with a row in `outcomes.csv`.
    public var decided = 0
    public var won = 0
    /// Contacts without an outcome at the end of the data.
    public var open = 0
    /// Events at or after their contact's `decided_at`: planted, so that a leaking feature extractor shows.
    public var eventsAfterDecision = 0
    /// Won among decided contacts.
    public var baseRate = 0.0
    /// Rows per event name.
    public var eventCounts: [String: Int] = [:]
    /// Bytes per file name.
    public var bytes: [String: Int64] = [:]

    public init() {}

    /// `20000 contacts, 109876 events, 13012 decided, 812 won (base rate 6.24%), 6988 open`.
    public var line: String {
        let rate = (baseRate * 10_000).rounded() / 100
        return "\(contacts) contacts, \(events) events, \(decided) decided, \(won) won (base rate \(rate)%), \(open) open"
    }
}
