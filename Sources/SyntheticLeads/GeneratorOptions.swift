import LeadData

/// What to generate: how many contacts, from which seed, over which stretch of time, how densely.
package struct GeneratorOptions: Sendable, Equatable {
    /// Contacts to create (ids `C000001` ...).
    package var contacts: Int
    /// The seed of every random stream; the same options give the same bytes.
    package var seed: UInt64
    /// The first day contacts are created on, as Unix seconds at midnight UTC.
    package var start: Int64
    /// Days of data: contacts are created over them, and nothing happens after their end.
    package var days: Int
    /// A multiplier of event volume (web visits, email cadence, ...); 1 gives about 5.5 events per contact, as in
    /// the shipped sample, 12 about 50. The truth normalises counts by it, so the base rate stays put.
    package var activity: Double
    /// How the process changes from a date on (drift); none by default.
    package var change: ProcessChange

    /// 2025-01-01.
    package static let defaultStart: Int64 = 1_735_689_600

    package init(contacts: Int, seed: UInt64, start: Int64 = defaultStart, days: Int = 540, activity: Double = 1,
                 change: ProcessChange = ProcessChange()) {
        self.contacts = contacts
        self.seed = seed
        self.start = start
        self.days = days
        self.activity = activity
        self.change = change
    }

    /// The end of the data (exclusive): `start` plus `days`.
    package var end: Int64 { start + Int64(days) * UTCTimestamp.secondsPerDay }

    /// What is wrong with these options, for a person, or nil when they can be generated.
    package var problem: String? {
        if contacts < 1 { return "--contacts must be at least 1" }
        if contacts > 99_999_999 { return "--contacts must be at most 99,999,999" }
        if days < 7 { return "--days must be at least 7" }
        if !(activity >= 0.1 && activity <= 100) { return "--activity must be between 0.1 and 100" }
        if start < 0 || end > Timestamp.daysFromCivil(year: 9999, month: 12, day: 31) * UTCTimestamp.secondsPerDay {
            return "--start and --days must stay between 1970 and 9999"
        }
        return change.problem(start: start, end: end)
    }
}
