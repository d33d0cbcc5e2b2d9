/// What a run of the generator wrote: counts for the one-line summary and the README.
package struct GenerationSummary: Codable, Sendable, Equatable {
    package var contacts = 0
    package var events = 0
    /// Contacts with a row in `outcomes.csv`.
    package var decided = 0
    package var won = 0
    /// Contacts without an outcome at the end of the data.
    package var open = 0
    /// Events at or after their contact's `decided_at`: planted, so that a leaking feature extractor shows.
    package var eventsAfterDecision = 0
    /// Won among decided contacts.
    package var baseRate = 0.0
    /// Rows per event name.
    package var eventCounts: [String: Int] = [:]
    /// Bytes per file name.
    package var bytes: [String: Int64] = [:]

    package init() {}

    /// `20000 contacts, 109876 events, 13012 decided, 812 won (base rate 6.24%), 6988 open`.
    package var line: String {
        let rate = (baseRate * 10_000).rounded() / 100
        return "\(contacts) contacts, \(events) events, \(decided) decided, \(won) won (base rate \(rate)%), \(open) open"
    }
}
