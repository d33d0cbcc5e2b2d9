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
    /// The process change the run was given; nil (and left out of the JSON) without one.
    package var change: Change?

    /// A process change as given (see ``ProcessChange``).
    package struct Change: Codable, Sendable, Equatable {
        /// The first day of the changed process, `YYYY-MM-DD`.
        package var at: String
        package var newEvent: String?
        package var sourceDrop: String?
        /// `OLD=NEW`.
        package var renameEvent: String?

        /// `from 2025-09-01: new event trial_signup, lead source "Paid Search" at twice its share and converting
        /// less, pricing_page_view written as pricing_view`.
        var line: String {
            var changes: [String] = []
            if let newEvent { changes.append("new event \(newEvent)") }
            if let sourceDrop { changes.append("lead source \"\(sourceDrop)\" at twice its share and converting less") }
            if let renameEvent {
                changes.append(renameEvent.split(separator: "=", maxSplits: 1).joined(separator: " written as "))
            }
            return "from \(at): " + changes.joined(separator: ", ")
        }
    }

    package init() {}

    /// `20000 contacts, 109876 events, 13012 decided, 812 won (base rate 6.24%), 6988 open`, and the change if any.
    package var line: String {
        let rate = (baseRate * 10_000).rounded() / 100
        let counts = "\(contacts) contacts, \(events) events, \(decided) decided, \(won) won (base rate \(rate)%), \(open) open"
        return change.map { counts + "; " + $0.line } ?? counts
    }
}
