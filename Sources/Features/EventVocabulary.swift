/// The event types a model knows, frozen at training: which have their own features, which were pooled as rare,
/// which were dropped, and how often each was seen before the cutoffs.
public struct EventVocabulary: Codable, Sendable, Equatable {
    /// Types with their own features, in feature order (byte order of the names).
    public var kept: [String]
    /// Rare types counted together as `rare events`.
    public var pooled: [String]
    /// Rare or excluded types that produce no feature.
    public var dropped: [String]
    /// Occurrences before each labelled contact's cutoff, per type, at training.
    public var counts: [String: Int]

    public init(kept: [String], pooled: [String], dropped: [String], counts: [String: Int]) {
        self.kept = kept
        self.pooled = pooled
        self.dropped = dropped
        self.counts = counts
    }

    /// Decides each type's fate from its count, following the spec: its own features from `min_event_count`
    /// occurrences, pooled below that, unless the pool itself holds fewer than `min_event_count` (then dropped).
    public static func learn(counts: [String: Int], spec: HistoryFeatureSpec) -> EventVocabulary {
        var kept: [String] = [], pooled: [String] = [], dropped: [String] = []
        let allowed = spec.events.map(Set.init)
        for name in counts.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            if spec.excludeEvents.contains(name) || !(allowed?.contains(name) ?? true) {
                dropped.append(name)
            } else if counts[name, default: 0] >= spec.minEventCount {
                kept.append(name)
            } else if spec.rareEvents == .pool {
                pooled.append(name)
            } else {
                dropped.append(name)
            }
        }
        // A pool seen fewer times in all than one type needs for features of its own is too thin to learn from: its
        // weight would rest on a handful of leads, each many standard deviations from the rest (14 occurrences among
        // 13,640 leads put one event 30 of them away), and a new event type still rare at training, the first weeks
        // after a tracker change say, would inherit that weight. Such a pool is dropped.
        if !pooled.isEmpty, pooled.reduce(0, { $0 + counts[$1, default: 0] }) < spec.minEventCount {
            dropped = (dropped + pooled).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            pooled = []
        }
        return EventVocabulary(kept: kept, pooled: pooled, dropped: dropped, counts: counts)
    }

    /// The feature group (`kept` index, or `kept.count` for the pooled group) of an event type; `nil` when ignored.
    public func group(of name: String) -> Int? {
        if let i = kept.firstIndex(of: name) { return i }
        return pooled.contains(name) ? kept.count : nil
    }

    /// The groups with features: kept types, then `rare events` when anything was pooled.
    public var groupNames: [String] { kept + (pooled.isEmpty ? [] : [HistoryFeatureSpec.rareEventsName]) }
}
