import Features
import LeadData
public import Scoring

/// How a history model read its input: the cutoff rule and the fate of each event type.
public struct HistoryInputReport: Sendable {
    public let history: HistoryInput

    public init(history: HistoryInput) { self.history = history }

    public func text() -> String {
        let v = history.vocabulary
        func listing(_ names: [String]) -> String {
            names.map { "\($0) (\(v.counts[$0] ?? 0))" }.joined(separator: ", ")
        }
        var lines = ["Point in time: each contact's features use only events before its decided_at minus \(history.gap.description)"]
        if let lost = history.implicitLostAfter {
            lines.append("  undecided contacts \(lost.description) after created_at (by \(history.endOfData.iso8601)) counted as lost")
        }
        lines.append("Event types (occurrences before the cutoffs): \(v.kept.count) with their own features: \(listing(v.kept))")
        if !v.pooled.isEmpty {
            lines.append("  pooled as \"\(HistoryFeatureSpec.rareEventsName)\" (fewer than \(history.spec.minEventCount)): \(listing(v.pooled))")
        }
        let spec = history.spec
        let excluded = v.dropped.filter { spec.excludeEvents.contains($0) || !(spec.events?.contains($0) ?? true) }
        let rare = v.dropped.filter { !excluded.contains($0) }
        if !excluded.isEmpty { lines.append("  left out by the spec: \(listing(excluded))") }
        if !rare.isEmpty {
            let why = spec.rareEvents == .drop ? "rare, and the spec drops rare types"
                : "rare, and fewer than \(spec.minEventCount) in all, too few to pool"
            lines.append("  dropped (\(why)): \(listing(rare))")
        }
        return lines.joined(separator: "\n")
    }
}
