import ArgumentParser
import Features
import LeadData

/// How contact history becomes training examples: the gap before each decision, the feature spec, and whether
/// undecided contacts count as lost after a while.
struct HistoryOptions: ParsableArguments {
    /// Takes the next argument whatever it looks like, so that `--gap -3d` is told a gap cannot be negative rather
    /// than that `--gap` has no value.
    @Option(parsing: .unconditional, help: ArgumentHelp("History mode: features use only events before decided_at minus this gap, e.g. 14d (default 0d).", valueName: "span"))
    var gap: String?

    @Option(help: ArgumentHelp("History mode: a feature spec (see `leadscore features --init`).", valueName: "spec.json"))
    var spec: String?

    @Option(name: .customLong("implicit-lost-after"),
            help: ArgumentHelp("History mode: count contacts still undecided this long after created_at (by the end of the data) as lost, e.g. 180d.", valueName: "span"))
    var implicitLostAfter: String?

    func validate() throws {
        if let gap {
            guard !gap.hasPrefix("-") else { throw ValidationError("--gap takes a span of 0 or more (such as 14d): a gap cannot be negative, not \(Echo.quoted(gap))") }
            guard let span = TimeSpan.parse(gap) else { throw ValidationError("--gap takes a span such as 14d, 36h or 0d, not \(Echo.quoted(gap))") }
            guard span.seconds >= 0 else { throw ValidationError("--gap takes a span of 0 or more (such as 14d): a gap cannot be negative") }
        }
        if let implicitLostAfter, (TimeSpan.parse(implicitLostAfter)?.seconds ?? 0) <= 0 {
            throw ValidationError("--implicit-lost-after takes a positive span such as 180d, not \(Echo.quoted(implicitLostAfter))")
        }
        for (name, text) in [("--gap", gap), ("--implicit-lost-after", implicitLostAfter)] {
            if let text, let span = TimeSpan.parse(text), span.seconds > TimeSpan.longest.seconds {
                throw ValidationError("\(name) takes at most \(TimeSpan.longest) (100 years), not \(Echo.quoted(text))")
            }
        }
    }

    /// The flags that only contact history has.
    var historyOnly: [(name: String, given: Bool)] {
        [("--gap", gap != nil), ("--spec", spec != nil), ("--implicit-lost-after", implicitLostAfter != nil)]
    }

    var gapSpan: TimeSpan { gap.flatMap(TimeSpan.parse) ?? TimeSpan.parse("0d")! }

    func loadSpec() throws -> HistoryFeatureSpec {
        guard let spec else { return HistoryFeatureSpec() }
        return try HistoryFeatureSpecFile.load(path: spec)
    }
}
