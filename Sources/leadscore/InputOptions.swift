import ArgumentParser
import LeadData

/// Where the leads come from: one table (a CSV with one row per lead), or contact history (contacts, their events, and
/// outcomes to learn or measure on). Shared by every command that reads leads; ``resolve(outcomes:)`` is the one place
/// that decides the mode.
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Table mode: a CSV with one row per lead.", valueName: "file.csv"))
    var table: String?

    @Option(help: ArgumentHelp("History mode: contacts.csv (contact_id, created_at, profile columns).", valueName: "file.csv"))
    var contacts: String?

    @Option(help: ArgumentHelp("History mode: events.csv (contact_id, timestamp, event), in any order.", valueName: "file.csv"))
    var events: String?

    @Option(help: ArgumentHelp("History mode: outcomes.csv (contact_id, outcome won/lost, decided_at).", valueName: "file.csv"))
    var outcomes: String?

    @Flag(name: .customLong("skip-bad-rows"), help: "History mode: skip rows with a bad value (and report how many, and why) instead of stopping.")
    var skipBadRows = false

    /// Whether a command takes outcomes with contact history.
    enum Outcomes {
        /// To learn from or measure on.
        case required
        /// Without them the command does something else (features as of a moment).
        case optional
        /// The command scores, so it has no use for them.
        case refused
    }

    /// The input, decided once.
    enum Mode {
        case table(String)
        case history(contacts: String, events: String, outcomes: String?)
    }

    /// The mode the flags give, with every combination that makes no sense refused as a usage error (exit 64):
    /// both modes at once, half of history, outcomes where they do nothing, `--skip-bad-rows` on a table.
    func resolve(outcomes use: Outcomes, what: String = "what to learn from: --table FILE, or --contacts, --events and --outcomes") throws -> Mode {
        let history = contacts != nil || events != nil || outcomes != nil
        if let table {
            guard !history else { throw ValidationError("give either --table or --contacts/--events/--outcomes, not both") }
            if skipBadRows {
                throw ValidationError("--skip-bad-rows applies to history input (--contacts, --events, --outcomes); a table stops at its first bad row: fix or remove that row")
            }
            return .table(table)
        }
        guard history else { throw ValidationError("say \(what)") }
        guard let contacts, let events else {
            throw ValidationError("history mode needs --contacts and --events\(use == .required ? " and --outcomes" : "")")
        }
        switch use {
        case .required where outcomes == nil:
            throw ValidationError("history mode needs --outcomes here (the decided contacts, won or lost)")
        case .refused where outcomes != nil:
            throw ValidationError("--outcomes does nothing here: leads are scored from --contacts and --events")
        default:
            return .history(contacts: contacts, events: events, outcomes: outcomes)
        }
    }

    var policy: BadRowPolicy { BadRowPolicy(skip: skipBadRows) }
}

/// Flags that belong to one mode: given in the other, they are a usage error that says where they belong, never
/// silently ignored.
enum ModeFlags {
    /// Refuses the first flag of `flags` that was given (non-nil or true): "`flag` applies to `where`".
    static func refuse(_ flags: [(name: String, given: Bool)], belongTo place: String) throws {
        if let flag = flags.first(where: \.given) {
            throw ValidationError("\(flag.name) applies to \(place)")
        }
    }
}
