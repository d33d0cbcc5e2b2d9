/// What one pass over the events leaves per contact and event type, computed where the events are (a database, by
/// `--pushdown`) instead of by reading every event here: the occurrences before the contact's cutoff, the age of the
/// most recent one, the days of the last 30 with one, and the occurrences in each window. The feature and rule
/// accumulators take these in place of event batches and end in the same state, so the design matrix is the same.
public struct EventAggregates: Sendable {
    /// The window lengths in seconds that ``windowCounts`` counts, ascending; `Int64.max` is all time.
    public var windows: [Int64]
    /// The event names, indexed by ``types``.
    public var eventNames: [String]
    /// One entry per (contact, event type) with at least one event before the contact's cutoff, as parallel arrays.
    public var contacts: [Int32] = []
    public var types: [Int32] = []
    /// Occurrences before the cutoff.
    public var counts: [Int32] = []
    /// Seconds from the most recent occurrence to the cutoff (at least 1).
    public var minimumAges: [Int64] = []
    /// Bit d set when an occurrence falls d whole days before the cutoff (its age minus one second, in days), d < 30.
    public var dayMasks: [UInt32] = []
    /// Occurrences with age at most `windows[w]`, at `k * windows.count + w` for entry k.
    public var windowCounts: [Int32] = []
    /// Events the database counted before the cutoffs, for throughput figures.
    public var events: Int = 0
    /// Bytes that came from the database.
    public var bytes: Int = 0

    public init(windows: [Int64], eventNames: [String] = []) {
        self.windows = windows
        self.eventNames = eventNames
    }

    /// How many (contact, type) entries there are.
    public var count: Int { contacts.count }

    /// Where window `seconds` is among ``windows``; every window an accumulator asks for was asked of the database.
    public func windowIndex(_ seconds: Int64) -> Int {
        guard let index = windows.firstIndex(of: seconds) else { preconditionFailure("window of \(seconds) s was not aggregated") }
        return index
    }
}

/// Computes ``EventAggregates`` where the events are: for `rows` (contact indices of `contacts`) with their cutoffs,
/// counting in each of `windows` (seconds; `Int64.max` for all time). Implemented above this module (PostgreSQL).
public protocol EventAggregator: Sendable {
    func aggregate(events: SourceFile, contacts: Contacts, rows: [Int32], cutoffs: [Timestamp], windows: [Int64]) throws(InputError) -> EventAggregates
}
