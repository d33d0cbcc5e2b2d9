import LeadData

/// Changes to the generating process from a date on (drift), for testing a model that is retrained and monitored
/// month by month: a new event type that predicts winning, a lead source that brings more and worse leads, an
/// event that a tracker starts writing under another name.
///
/// The fields hold the command line's values as given, and ``problem(start:end:)`` says what is wrong with them.
/// Without a change (the default) the process is the same throughout, and the files are byte for byte those of a
/// run that never heard of these options.
package struct ProcessChange: Sendable, Equatable {
    /// `--change-at`: the instant the changes apply from (midnight UTC of the option's date), as Unix seconds.
    package var at: Int64?
    /// `--new-event`: the name of an event type that exists only from ``at`` on (``EventKind/newEvent``). Contacts
    /// emit it at most once, mostly when their intent is high, and one in the 30 days before the cutoff adds
    /// ``ConversionModel/recentNewEvent`` to the log-odds of winning.
    package var newEvent: String?
    /// `--source-drop`: a `lead_source` value as `contacts.csv` writes it (`Paid Search`). Among contacts
    /// created from ``at`` on, its share is doubled (the other sources' shrink in proportion) and its effect is
    /// lowered by ``sourceDropEffect``, so that its new leads are many and poor.
    package var sourceDrop: String?
    /// `--rename-event`: `OLD=NEW`, OLD a name the generator writes by default; its events at or after ``at`` are
    /// written as NEW. Nothing else changes: the truth depends on the event's type, not on its name.
    package var renameEvent: String?

    package init(at: Int64? = nil, newEvent: String? = nil, sourceDrop: String? = nil, renameEvent: String? = nil) {
        self.at = at
        self.newEvent = newEvent
        self.sourceDrop = sourceDrop
        self.renameEvent = renameEvent
    }

    /// Added to the `--source-drop` source's effect (so to the fit, which drives both intent and the truth) of
    /// its contacts created from the change date on.
    static let sourceDropEffect = -1.5
    /// The factor on the `--source-drop` source's share of contacts created from the change date on.
    static let sourceDropShareFactor = 2.0

    /// The longest event name `--new-event` and `--rename-event` accept, in bytes.
    static let maxNameBytes = 40

    /// Whether any of `--new-event`, `--source-drop` and `--rename-event` is given.
    private var changesSomething: Bool {
        newEvent != nil || sourceDrop != nil || renameEvent != nil
    }

    /// The index in ``ProfileCatalog/leadSources`` of ``sourceDrop``; nil without it or when it names none.
    var droppedSource: Int? {
        guard let sourceDrop, !sourceDrop.isEmpty else { return nil }
        return Self.sourceNames.firstIndex(of: sourceDrop)
    }

    /// ``renameEvent`` split at its first `=`; nil without it or without an `=`.
    var renamed: (old: String, new: String)? {
        guard let renameEvent, let equals = renameEvent.firstIndex(of: "=") else { return nil }
        return (String(renameEvent[..<equals]), String(renameEvent[renameEvent.index(after: equals)...]))
    }

    /// The change as the summary reports it; nil without one.
    var summary: GenerationSummary.Change? {
        at.map { GenerationSummary.Change(at: Self.date($0), newEvent: newEvent, sourceDrop: sourceDrop, renameEvent: renameEvent) }
    }

    /// The `lead_source` values in catalog order, the empty (unknown) one included: ``droppedSource`` leaves it out.
    private static let sourceNames = ProfileCatalog.leadSources.map { $0.csv.description }
    /// The names the generator writes by default.
    private static let eventNames = EventKind.allCases.compactMap { $0.name?.description }

    /// What is wrong with the change for data from `start` to `end` (exclusive), for a person, or nil.
    func problem(start: Int64, end: Int64) -> String? {
        guard let at else {
            guard changesSomething else { return nil }
            let given = [("--new-event", newEvent), ("--source-drop", sourceDrop), ("--rename-event", renameEvent)]
                .filter { $0.1 != nil }.map(\.0)
            let (verb, pronoun) = given.count == 1 ? ("needs", "it applies") : ("need", "they apply")
            return "\(given.joined(separator: ", ")) \(verb) --change-at YYYY-MM-DD, the date \(pronoun) from"
        }
        guard changesSomething else {
            return "--change-at changes nothing by itself: add --new-event, --source-drop or --rename-event"
        }
        guard at > start && at < end else {
            let day = UTCTimestamp.secondsPerDay
            return "--change-at must be a day of the data after the first: \(Self.date(start + day)) to \(Self.date(end - day))"
        }
        if let newEvent {
            if let problem = Self.nameProblem(newEvent, option: "--new-event") { return problem }
            if Self.eventNames.contains(newEvent) {
                return "--new-event \(Echo.quoted(newEvent)) is an event the generator already writes: give a new name"
            }
        }
        if let sourceDrop, droppedSource == nil {
            let valid = Self.sourceNames.filter { !$0.isEmpty }.map { "\"\($0)\"" }.joined(separator: ", ")
            return "--source-drop must be a lead_source value the generator writes: \(valid); got \(Echo.quoted(sourceDrop))"
        }
        if let renameEvent {
            guard let (old, new) = renamed else {
                return "--rename-event must be OLD=NEW, such as pricing_page_view=pricing_view; got \(Echo.quoted(renameEvent))"
            }
            guard Self.eventNames.contains(old) else {
                return "--rename-event: OLD must be one of \(Self.eventNames.joined(separator: ", ")); got \(Echo.quoted(old))"
            }
            if let problem = Self.nameProblem(new, option: "--rename-event's NEW") { return problem }
            if new == old { return "--rename-event \(Echo.quoted(renameEvent)) renames an event to its own name: nothing would change" }
            if Self.eventNames.contains(new) || new == newEvent {
                return "--rename-event: \(Echo.quoted(new)) is already an event name, and the two types would be written as one"
            }
        }
        return nil
    }

    /// Why `name` cannot be an event name in `events.csv`: names are plain, so that no CSV field needs quotes.
    private static func nameProblem(_ name: String, option: String) -> String? {
        let plain = name.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || "_-.".utf8.contains(byte)
        }
        guard plain, !name.isEmpty, name.utf8.count <= maxNameBytes else {
            return "\(option) must be 1 to \(maxNameBytes) letters, digits, '_', '-' or '.'; got \(Echo.quoted(name))"
        }
        return nil
    }

    /// `YYYY-MM-DD` of the day that holds `epochSeconds`.
    static func date(_ epochSeconds: Int64) -> String {
        String(UTCTimestamp.string(epochSeconds: epochSeconds).prefix(10))
    }
}
