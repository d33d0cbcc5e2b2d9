import ArgumentParser
import LeadData
import LeadDatabase

/// Where the leads come from: one table (a CSV with one row per lead), or contact history (contacts, their events, and
/// outcomes to learn or measure on). Shared by every command that reads leads; ``resolve(outcomes:)`` is the one place
/// that decides the mode.
struct InputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A source description: where the inputs are and how to read them (column names, won/lost values, formats); see `leadscore source --init`.", valueName: "source.json"))
    var source: String?

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

    @Flag(help: "No notes and no progress line: results and errors only.")
    var quiet = false

    @Option(name: .customLong("max-bad-rows"), help: ArgumentHelp("With --skip-bad-rows: the most bad rows a file may lose, a count or a share (default 1%). A file that loses every row, or a category level that loses all of its rows, always stops the run.", valueName: "N|P%"))
    var maxBadRows: String?

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
        case table(TableSource)
        /// Contact history, and the profile columns of contacts.csv the source description leaves out or types.
        case history(HistorySource, profile: SourceDescription.ProfileColumns)
    }

    /// The mode the flags (or the source description) give, with every combination that makes no sense refused as a
    /// usage error (exit 64): both modes at once, half of history, outcomes where they do nothing, `--skip-bad-rows` on a
    /// table. A source description that does not read is an input error (exit 1).
    func resolve(outcomes use: Outcomes, what: String = "what to learn from: --table FILE, or --contacts, --events and --outcomes, or --source") throws -> Mode {
        let history = contacts != nil || events != nil || outcomes != nil
        let mode: Mode
        if let source {
            guard table == nil, !history else {
                throw ValidationError("give either --source or the files themselves (--table, or --contacts, --events and --outcomes), not both")
            }
            let description = try SourceDescription.load(path: source)
            if let table = description.table {
                mode = .table(table)
            } else {
                // Inputs that are database tables are read through PostgreSQL; files as ever.
                mode = .history(description.history!.connecting(PostgresTables()), profile: description.profile)
            }
        } else if let table {
            guard !history else { throw ValidationError("give either --table or --contacts/--events/--outcomes, not both") }
            mode = .table(TableSource(file: SourceFile(path: table)))
        } else {
            guard history else { throw ValidationError("say \(what)") }
            guard let contacts, let events else {
                throw ValidationError("history mode needs --contacts and --events\(use == .required ? " and --outcomes" : "")")
            }
            mode = .history(HistorySource(contacts: contacts, events: events, outcomes: outcomes), profile: .init())
        }
        switch mode {
        case .table:
            if skipBadRows || maxBadRows != nil {
                throw ValidationError("--skip-bad-rows applies to history input (--contacts, --events, --outcomes); a table stops at its first bad row: fix or remove that row")
            }
        case .history(let source, _):
            switch use {
            case .required where source.outcomes == nil:
                throw ValidationError("history mode needs outcomes here (the decided contacts, won or lost): --outcomes, or \"outcomes\" in the source description")
            case .refused where source.outcomes != nil && self.source == nil:
                throw ValidationError("--outcomes does nothing here: leads are scored from --contacts and --events")
            default:
                break
            }
        }
        return mode
    }

    /// The progress line for long steps: nil with --quiet or when standard error is not a terminal.
    func progressLine() -> ProgressLine? { quiet ? nil : ProgressLine.make() }

    /// The input files given, for checking that no output overwrites one.
    var files: [String?] { [source, table, contacts, events, outcomes] }

    /// How bad rows are treated; `--max-bad-rows` was checked by ``validate()``.
    var policy: BadRowPolicy { BadRowPolicy(skip: skipBadRows, limit: maxBadRows.flatMap(BadRowPolicy.Limit.init) ?? .standard) }

    func validate() throws {
        if maxBadRows != nil && !skipBadRows {
            throw ValidationError("--max-bad-rows limits --skip-bad-rows; without it the first bad row stops the run")
        }
        if let maxBadRows, BadRowPolicy.Limit(maxBadRows) == nil {
            throw ValidationError("--max-bad-rows takes a number of rows (250) or a share of a file's rows (2.5%), not \"\(maxBadRows)\"")
        }
    }
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
