import ArgumentParser
import Foundation
import LeadData
import LeadDatabase

/// `leadscore source --init`: propose a source description for a CRM export, for the user to check.
struct SourceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "Write a source description for a CRM export: which column is which, its formats, what its outcome values mean.",
        discussion: """
            Reads the header and the first rows of each file and proposes a description for `--source`: the columns \
            by their CRM names (HubSpot, Salesforce, Pipedrive and Mautic exports: "Record ID", "Create Date", \
            "CreatedDate", "WhoId", "Activity Type", "Deal Stage", "StageName", "Close Date", ...), the encoding \
            (UTF-8, else Windows-1252), the separator, the date format (never guessed when the values cannot tell \
            03/04 as March from April: then say it with --date-format), thousands separators, which outcome values \
            mean won, lost or still open, and which profile columns look filled in after the outcome (left out). \
            Each choice is explained in one line. Check the file, then train with it.

            With --database, --contacts, --events and --outcomes name tables or views of a PostgreSQL database \
            (`crm.contacts` with a schema): their columns and first rows are read from the database, and the \
            description points at the tables, with the URL without its password (give that in PGPASSWORD or \
            ~/.pgpass). Without a URL, the PG* environment variables say where the database is.

            Examples:
              leadscore source --init --contacts contacts.csv --events activities.csv \\
                --outcomes deals.csv --out source.json
              leadscore source --init --table leads.csv --out source.json
              leadscore source --init --contacts c.csv --events e.csv --outcomes d.csv \\
                --date-format "DD/MM/YYYY HH:mm" --date-format "DD/MM/YYYY" --time-zone Europe/Paris --out source.json
              leadscore source --init --database postgresql://analyst@db.internal/crm \
                --contacts contacts --events activities --outcomes deals --out source.json
              leadscore train --source source.json --out model.json
            """
    )

    @Flag(name: .customLong("init"), help: "Propose a description from the files (the one thing this command does so far; required, so that later verbs can join it).")
    var initialise = false

    @Option(help: ArgumentHelp("The contacts export (one row per contact).", valueName: "file.csv"))
    var contacts: String?

    @Option(help: ArgumentHelp("The activities or events export (one row per event).", valueName: "file.csv"))
    var events: String?

    @Option(help: ArgumentHelp("The deals or opportunities export (outcomes), to learn from.", valueName: "file.csv"))
    var outcomes: String?

    @Option(help: ArgumentHelp("One table, one row per lead, with a label column.", valueName: "file.csv"))
    var table: String?

    @Option(help: ArgumentHelp("A PostgreSQL database whose tables --contacts, --events and --outcomes name (a postgresql:// URL; the PG* variables fill in what it leaves out).", valueName: "URL"))
    var database: String?

    @Option(name: .customLong("date-format"), help: ArgumentHelp("A date pattern of the files (repeatable), when their values cannot tell it: letters YYYY YY MM M DD D HH H hh h mm ss SSS a Z.", valueName: "pattern"))
    var dateFormats: [String] = []

    @Option(name: .customLong("time-zone"), help: ArgumentHelp("The zone of times without an offset (default UTC): an IANA name such as Europe/Berlin, or an offset such as -05:00.", valueName: "zone"))
    var timeZone: String?

    @Option(help: ArgumentHelp("Where to write the description (written atomically).", valueName: "source.json"))
    var out: String

    func validate() throws {
        guard initialise else { throw ValidationError("say what to do: --init proposes a description from the files") }
        let history = contacts != nil || events != nil || outcomes != nil
        if table != nil, history { throw ValidationError("give either --table or --contacts, --events and --outcomes, not both") }
        if database != nil, table != nil { throw ValidationError("--database reads contact history (--contacts, --events, --outcomes as tables); --table is a file") }
        if table == nil {
            guard history else { throw ValidationError("say which files to describe: --contacts, --events and --outcomes, or --table") }
            guard contacts != nil, events != nil else { throw ValidationError("contact history needs --contacts and --events (and --outcomes to learn from)") }
        }
        for pattern in dateFormats where DatePattern(pattern) == nil {
            throw ValidationError("--date-format \(Echo.quoted(pattern)) is not a date pattern such as MM/DD/YYYY HH:mm (letters: YYYY YY MM M DD D HH H hh h mm ss SSS a Z)")
        }
        if let timeZone, DateFormats.Zone(timeZone) == nil {
            throw ValidationError("--time-zone \(Echo.quoted(timeZone)) is not UTC, an offset such as +02:00, or a zone such as Europe/Berlin")
        }
        try OutputPaths.refuseInputs([("--out", out)], inputs: database == nil ? [contacts, events, outcomes, table] : [])
    }

    func run() throws {
        try Failure.guarding {
            let file = try AtomicFileWriter(path: out)
            let inputs: SourceProposal.Inputs = if let table { .table(table) } else if let database {
                .databaseHistory(database: database, contacts: contacts!, events: events!, outcomes: outcomes, streamer: PostgresTables())
            } else { .history(contacts: contacts!, events: events!, outcomes: outcomes) }
            let proposal = try SourceProposal.propose(inputs, descriptionPath: out,
                                                      settled: .init(dateFormats: dateFormats.isEmpty ? nil : dateFormats, timeZone: timeZone))
            // The description must read back as leadscore reads it, or it is not written.
            let data = Data(proposal.json.utf8)
            do throws(InputError) {
                _ = try SourceDescription.parse(data, path: out)
            } catch {
                throw InputError(file: out, line: nil, message: "the proposed description does not read back (\(error.message)); please report this")
            }
            try file.write(data)
            try file.commit()
            var lines = proposal.explanations
            lines.append("Wrote \(out): check it, then: leadscore train --source \(out) --out model.json")
            emit(lines.joined(separator: "\n") + "\n")
        }
    }
}
