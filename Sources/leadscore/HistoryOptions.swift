import ArgumentParser
import Features
import LeadData

/// The options that say how to read contact history (contacts, events, outcomes).
struct HistoryOptions: ParsableArguments {
    @Option(help: ArgumentHelp("History mode: contacts.csv (contact_id, created_at, profile columns).", valueName: "file.csv"))
    var contacts: String?

    @Option(help: ArgumentHelp("History mode: events.csv (contact_id, timestamp, event), in any order.", valueName: "file.csv"))
    var events: String?

    @Option(help: ArgumentHelp("History mode: outcomes.csv (contact_id, outcome won/lost, decided_at).", valueName: "file.csv"))
    var outcomes: String?

    @Option(help: ArgumentHelp("Features use only events before decided_at minus this gap, e.g. 14d.", valueName: "span"))
    var gap: String = "0d"

    @Option(help: ArgumentHelp("A feature spec (see `leadscore features --init`).", valueName: "spec.json"))
    var spec: String?

    @Option(name: .customLong("implicit-lost-after"),
            help: ArgumentHelp("Count contacts still undecided this long after created_at (by the end of the data) as lost, e.g. 180d.", valueName: "span"))
    var implicitLostAfter: String?

    @Flag(name: .customLong("skip-bad-rows"), help: "Skip rows with a bad value (and report how many, and why) instead of stopping.")
    var skipBadRows = false

    var isHistoryMode: Bool { contacts != nil || events != nil || outcomes != nil }

    func validate() throws {
        guard isHistoryMode else { return }
        guard contacts != nil, events != nil else {
            throw ValidationError("history mode needs --contacts and --events (and --outcomes to train)")
        }
        guard TimeSpan.parse(gap) != nil else { throw ValidationError("--gap takes a span such as 14d, 36h or 0d, not \"\(gap)\"") }
        if let implicitLostAfter, (TimeSpan.parse(implicitLostAfter)?.seconds ?? 0) <= 0 {
            throw ValidationError("--implicit-lost-after takes a positive span such as 180d, not \"\(implicitLostAfter)\"")
        }
        for (name, text) in [("--gap", gap), ("--implicit-lost-after", implicitLostAfter)] {
            if let text, let span = TimeSpan.parse(text), span.seconds > TimeSpan.longest.seconds {
                throw ValidationError("\(name) takes at most \(TimeSpan.longest) (100 years), not \"\(text)\"")
            }
        }
    }

    var policy: BadRowPolicy { BadRowPolicy(skip: skipBadRows) }

    func loadSpec() throws -> HistoryFeatureSpec {
        guard let spec else { return HistoryFeatureSpec() }
        return try HistoryFeatureSpecFile.load(path: spec)
    }
}
