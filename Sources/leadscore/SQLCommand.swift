import ArgumentParser
import Features
import LeadData
import LeadDatabase
import Rules

/// `leadscore sql`: the statement `--pushdown` runs, for review or for running in another PostgreSQL-compatible engine.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Print the SQL that --pushdown runs: the feature spec's (and rules') event aggregates, per contact, at each contact's cutoff.",
        discussion: """
            The statement joins the events table of the source description to each contact's cutoff, keeps the \\
            events strictly before it, and groups by contact and event type, then by contact: one row per contact \\
            leaves the database. Its two parameters are the contact ids ($1, text[]) and their cutoffs in Unix \\
            seconds ($2, int8[]), which leadscore works out from the contacts and outcomes and binds; identifiers \\
            are quoted from the source description. It joins and groups on the contact id only, so a distributed \\
            PostgreSQL (tables distributed by contact id) runs it on its workers.

            The windows are those of the feature spec (--spec, default 7, 30 and 90 days) and of the rules (--rules), \\
            as train uses them. Nothing is read from the database.

            Examples:
              leadscore sql --source source.json --spec spec.json --rules rules.json > features.sql
              leadscore train --source source.json --spec spec.json --rules rules.json --pushdown --out model.json
            """
    )

    @Option(help: ArgumentHelp("A source description whose events are a database table or query.", valueName: "source.json"))
    var source: String

    @Option(help: ArgumentHelp("A feature spec (see `leadscore features --init`).", valueName: "spec.json"))
    var spec: String?

    @Option(help: ArgumentHelp("Rules whose event windows to count in too.", valueName: "rules.json"))
    var rules: String?

    func run() throws {
        try Failure.guarding {
            let description = try SourceDescription.load(path: source)
            guard let history = description.history, history.events.table != nil else {
                throw InputError(file: source, line: nil, message: "the events are not a database table: give \"events\": {\"table\": ...} (or \"query\") and \"database\"")
            }
            let featureSpec = try spec.map { path throws(InputError) in try HistoryFeatureSpecFile.load(path: path) } ?? HistoryFeatureSpec()
            var windows = Set(HistoryFeatures.windowSeconds(spec: featureSpec))
            if let rules { windows.formUnion(try RuleSetFile.load(path: rules).eventWindowSeconds) }
            emit(try PostgresPushdown.statement(events: history.events, windows: windows.sorted()) + ";\n")
        }
    }
}
