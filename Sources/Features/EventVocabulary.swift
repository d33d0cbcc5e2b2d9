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

    /// Decides each type's fate from its count, following the spec.
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
