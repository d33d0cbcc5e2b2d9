public import LeadData

/// Which features to compute from contact history: written out by `leadscore features --init`, edited, and read
/// back with `--spec`. Every part has a default, so a partial file is fine; unknown keys are errors.
public struct HistoryFeatureSpec: Codable, Sendable, Equatable {
    /// Recent windows, in days, for per-event counts ("pricing_page_view, count, last 30 days").
    public var windowsDays: [Int] = [7, 30, 90]
    /// Days-since features are capped here; a never-seen event gets the cap and a "never seen" flag.
    public var recencyCapDays: Int = 365
    /// Event types seen fewer times than this (before the cutoffs) are pooled or dropped.
    public var minEventCount: Int = 20
    /// `pool` rare event types into one group, `rare events`, or `drop` them.
    public var rareEvents: RareEvents = .pool
    /// Only these event types (default: every type in the data).
    public var events: [String]? = nil
    /// Leave out these event types, e.g. one that is only logged once a deal is won.
    public var excludeEvents: [String] = []
    /// Which per-event features to compute.
    public var perEvent: PerEvent = .init()
    /// Which overall recency and frequency features to compute.
    public var overall: Overall = .init()
    /// How profile columns of contacts.csv become features.
    public var profile: Profile = .init()

    public enum RareEvents: String, Codable, Sendable { case pool, drop }

    public struct PerEvent: Codable, Sendable, Equatable {
        public var countAllTime = true
        public var countWindows = true
        public var daysSinceLast = true
        public init() {}
    }

    public struct Overall: Codable, Sendable, Equatable {
        public var daysSinceCreated = true
        public var daysSinceLastActivity = true
        public var activeDaysLast30 = true
        public var distinctEventTypes = true
        public init() {}
    }

    public struct Profile: Codable, Sendable, Equatable {
        /// Profile columns to leave out (a field filled in after the outcome leaks it).
        public var exclude: [String] = []
        /// Force these columns categorical / numeric.
        public var categorical: [String] = []
        public var numeric: [String] = []
        /// Numeric columns to use as log(1 + x), for heavy-tailed counts such as company size.
        public var log1p: [String] = []
        /// Categorical levels seen in fewer contacts than this are pooled into `other`.
        public var minLevelCount: Int = 10
        public init() {}
    }

    public init() {}
}

extension HistoryFeatureSpec {
    /// The name of the pooled rare-event group.
    public static let rareEventsName = "rare events"

    /// Checks values that decoding cannot: positive windows, a positive cap, known names.
    public func validated(path: String) throws(InputError) -> HistoryFeatureSpec {
        let longest = Int(TimeSpan.longest.seconds / 86_400)
        if windowsDays.contains(where: { $0 <= 0 || $0 > longest }) {
            throw InputError(file: path, line: nil, message: "\"windows_days\" must hold numbers of days from 1 to \(longest)")
        }
        if Set(windowsDays).count != windowsDays.count { throw InputError(file: path, line: nil, message: "\"windows_days\" lists a window twice") }
        if recencyCapDays <= 0 || recencyCapDays > longest {
            throw InputError(file: path, line: nil, message: "\"recency_cap_days\" must be from 1 to \(longest)")
        }
        if minEventCount < 1 { throw InputError(file: path, line: nil, message: "\"min_event_count\" must be at least 1") }
        if profile.minLevelCount < 1 { throw InputError(file: path, line: nil, message: "\"profile.min_level_count\" must be at least 1") }
        return self
    }
}

// MARK: - Decoding: every key optional, unknown keys rejected by name

extension HistoryFeatureSpec {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case windowsDays, recencyCapDays, minEventCount, rareEvents, events, excludeEvents, perEvent, overall, profile
    }

    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownKeys(decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = HistoryFeatureSpec()
        windowsDays = try c.value(.windowsDays, or: d.windowsDays)
        recencyCapDays = try c.value(.recencyCapDays, or: d.recencyCapDays)
        minEventCount = try c.value(.minEventCount, or: d.minEventCount)
        rareEvents = try c.value(.rareEvents, or: d.rareEvents)
        events = try c.decodeIfPresent([String].self, forKey: .events)
        excludeEvents = try c.value(.excludeEvents, or: d.excludeEvents)
        perEvent = try c.value(.perEvent, or: d.perEvent)
        overall = try c.value(.overall, or: d.overall)
        profile = try c.value(.profile, or: d.profile)
    }
}

extension HistoryFeatureSpec.PerEvent {
    private enum CodingKeys: String, CodingKey, CaseIterable { case countAllTime, countWindows, daysSinceLast }

    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownKeys(decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        countAllTime = try c.value(.countAllTime, or: d.countAllTime)
        countWindows = try c.value(.countWindows, or: d.countWindows)
        daysSinceLast = try c.value(.daysSinceLast, or: d.daysSinceLast)
    }
}

extension HistoryFeatureSpec.Overall {
    private enum CodingKeys: String, CodingKey, CaseIterable { case daysSinceCreated, daysSinceLastActivity, activeDaysLast30, distinctEventTypes }

    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownKeys(decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        daysSinceCreated = try c.value(.daysSinceCreated, or: d.daysSinceCreated)
        daysSinceLastActivity = try c.value(.daysSinceLastActivity, or: d.daysSinceLastActivity)
        activeDaysLast30 = try c.value(.activeDaysLast30, or: d.activeDaysLast30)
        distinctEventTypes = try c.value(.distinctEventTypes, or: d.distinctEventTypes)
    }
}

extension HistoryFeatureSpec.Profile {
    private enum CodingKeys: String, CodingKey, CaseIterable { case exclude, categorical, numeric, log1p, minLevelCount }

    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownKeys(decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        exclude = try c.value(.exclude, or: d.exclude)
        categorical = try c.value(.categorical, or: d.categorical)
        numeric = try c.value(.numeric, or: d.numeric)
        log1p = try c.value(.log1p, or: d.log1p)
        minLevelCount = try c.value(.minLevelCount, or: d.minLevelCount)
    }
}
