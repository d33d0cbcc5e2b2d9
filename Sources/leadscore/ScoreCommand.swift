public import ArgumentParser
import Foundation
import LeadData
import Reports
import Rules
import Scoring
import Workflows

/// `leadscore score`: score leads with a model file, streaming one row per lead.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score leads with a model: probability, score 0-100, band and, with --explain, the reasons.",
        discussion: """
            Writes one row per lead: its id (contact_id in history mode, the model's id column in table mode, else \
            the row number), the probability of conversion, the score, and the band. The score is the percentage \
            of training leads whose probability is lower, rounded down: 0 to 100, where 100 means above every \
            training lead, so a score of 90 or more is the top 10%. Bands come from the model file (default: \
            sales-ready = top 10%, MQL = top 30%, early-stage = the rest), or from --bands.

            --explain K adds the K reasons that raise the lead's log-odds most and the K that lower it most, each \
            against the average lead. In history mode a reason sums every feature of one event type, with what the \
            lead did, e.g. "demo_request: 1 in the last 7 days, last 2 days ago, +1.13", or of one profile column, \
            e.g. "industry: Retail (typical Software), -0.09"; a value equal to the typical one is never a reason. \
            --explain-detail gives one reason per feature instead ("demo_request, count, last 7 days: 1 ..."). \
            They add up, with the average lead's log-odds, to the lead's own.

            --rules FILE adds the points the rules file gives each lead and its rules band (columns rule_points and \
            rule_band, right after band), so the model's view and the points your team uses today sit side by side. \
            In history mode the rules count only events before --as-of, as the model does. In table mode an event \
            rule names a column that holds a count, a profile rule a column, and the inactivity rule its "column" of \
            days since the last activity; a rule whose column is missing gives no points, with a note.

            --into TABLE writes the scores into a PostgreSQL table instead of standard output (with --out, into both): \
            one row per contact, with contact_id (the primary key), probability, score, band, rule_points and \
            rule_band (NULL without --rules), reasons (JSON, as --format json gives them; NULL without --explain), \
            model (the model file's id, as `leadscore serve` shows it at /healthz) and scored_at (--as-of, or now). \
            The table is created when missing, may be schema.table, and rows of the same contact_id are replaced; it \
            is all one transaction, so a failure part of the way leaves the table as it was. The database is \
            --database URL, else the source description's "database", else the PG* environment variables (PGHOST, \
            PGUSER, PGDATABASE, ...) and ~/.pgpass, as psql reads them.

            Table mode streams: rows come out before the input ends, in constant memory. History mode reads all \
            events first (they come in any order), counting only those strictly before --as-of (default: now).

            With outcomes (--outcomes, or "outcomes" in the source description), only the leads still open at \
            --as-of are scored: a contact decided (won or lost) before then is left out, and counted; --all scores \
            every contact. When --as-of is more than 30 days after the data end (its last event or contact), every \
            lead looks inactive and the scores are stale: the run warns and names the moment the data end at.

            Examples:
              leadscore score --model model.json --table new_leads.csv > scores.csv
              leadscore score --model model.json --contacts contacts.csv \\
                --events events.csv --as-of 2026-07-01 --explain 3 --out scores.csv
              leadscore score --model models/sample.json --contacts contacts.csv \\
                --events events.csv --rules datasets/rules/seed.json --out scores.csv
              leadscore score --model model.json --table leads.csv --format json \\
                --bands "hot=0.4,warm=0.15,cold=rest"
              leadscore score --model models/sample.json --source crm.json --explain 3 \\
                --into crm.lead_scores
              leadscore score --model models/sample.json --contacts contacts.csv \\
                --events events.csv --into lead_scores \\
                --database postgresql://scorer@db.internal/crm
            """
    )

    @Option(help: ArgumentHelp("The model file.", valueName: "model.json"))
    var model: String

    @OptionGroup(title: "Input") var input: InputOptions

    @Option(name: .customLong("as-of"), help: ArgumentHelp("History mode: count only events strictly before this ISO 8601 time (default: now).", valueName: "time"))
    var asOf: String?

    @Option(help: "csv, or json (JSON Lines: one object per lead).")
    var format: ScoredLeadFormat = .csv

    @Option(help: ArgumentHelp("Give the K strongest reasons each way per lead.", valueName: "K"))
    var explain: Int = 0

    @Flag(name: .customLong("explain-detail"), help: "History mode: with --explain, one reason per feature (each count window, days since last, never seen) instead of one per event type.")
    var explainDetail = false

    @Option(help: ArgumentHelp("Bands instead of the model's, highest first: sales-ready=top10%,MQL=top30% or hot=0.4,warm=0.15,cold=rest.", valueName: "list"))
    var bands: String?

    @Option(help: ArgumentHelp("Also give each lead its points and band by this rules file (e.g. datasets/rules/seed.json).", valueName: "rules.json"))
    var rules: String?

    @Option(help: ArgumentHelp("Where to write the scores (written atomically; default: standard output).", valueName: "scores.csv"))
    var out: String?

    @Option(help: ArgumentHelp("History mode: write the scores into this PostgreSQL table instead (created when missing; rows replaced by contact_id, in one transaction).", valueName: "schema.table"))
    var into: String?

    @Option(help: ArgumentHelp("With --into: the database, a postgresql:// URL (default: the source description's \"database\", else the PG* environment variables).", valueName: "url"))
    var database: String?

    @Flag(help: "History mode with outcomes: score every contact, the decided ones too (default: only the leads still open at --as-of).")
    var all = false

    func validate() throws {
        try OutputPaths.refuseInputs([("--out", out)], inputs: [model, rules] + input.files)

        switch try input.resolve(outcomes: .optional, what: "what to score: --table FILE, or --contacts and --events") {
        case .table:
            try ModeFlags.refuse([("--as-of", asOf != nil), ("--all", all), ("--explain-detail", explainDetail), ("--into", into != nil)],
                                 belongTo: "contact history (--contacts and --events), not to a table")
        case .history(let source, _):
            if all && source.outcomes == nil {
                throw ValidationError("--all scores decided contacts too, and applies only with outcomes (--outcomes, or \"outcomes\" in the source description): without them every contact is scored already")
            }
        }
        if database != nil && into == nil { throw ValidationError("--database names where --into writes the scores: give --into TABLE too") }
        if let into, into.isEmpty || into.hasPrefix(".") || into.hasSuffix(".") {
            throw ValidationError("--into takes a table name, such as lead_scores or crm.lead_scores")
        }
        try AsOfOption.validate(asOf)
        guard explain >= 0 else { throw ValidationError("--explain takes a number of reasons, 0 or more") }
        if explainDetail && explain == 0 { throw ValidationError("--explain-detail changes how the reasons of --explain K are grouped: give --explain K too") }
        if let bands {
            do { _ = try ModelBands.parse(bands) } catch { throw ValidationError("--bands: \(error.message)") }
        }
    }

    func run() throws {
        try Failure.guarding {
            let modelData = try JSONFile.read(path: model, what: "the model file")
            let leadModel = try LeadModel.load(data: modelData, path: model)
            let scale = leadModel.scoreScale
            let chosenBands = try bands.map { text throws(ModelBandsError) in try ModelBands.parse(text) } ?? leadModel.bands
            let ruleSet = try rules.map { path throws(InputError) in try RuleSetFile.load(path: path) }

            // Open the output first, so a missing folder fails before any work; nothing replaces --out until the end.
            let file = try out.map { path throws(OutputError) in try AtomicFileWriter(path: path) }
            var formatter: ScoredLeadFormatter
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 20)
            // With --into the scores go to standard output no more; to --out still, when given.
            let writesScores = out != nil || into == nil
            func send() throws {
                if let file { try file.write(buffer) } else if writesScores { emit(Data(buffer)) }
                buffer.removeAll(keepingCapacity: true)
            }
            var table: ScoreTable?
            defer { table?.abandon() }

            let summary: ScoringSummary
            let line = input.progressLine()
            defer { line?.finish() }
            switch try input.resolve(outcomes: .optional) {
            case .table(let table):
                var scoring = TableScoring(model: leadModel, file: table.file, scale: scale, bands: chosenBands, reasons: explain,
                                           rules: ruleSet, rulesPath: rules ?? "")
                scoring.progress = line?.report
                formatter = ScoredLeadFormatter(format: format, idColumn: scoring.idColumn, reasons: explain, rules: ruleSet != nil)
                summary = try scoring.run { leads in
                    try formatter.append(leads, to: &buffer)
                    try send()
                }
            case .history(let source, _):
                let moment = asOf.flatMap(Timestamp.parse) ?? Timestamp(seconds: Int64(Date().timeIntervalSince1970))
                var scoring = HistoryScoring(model: leadModel, source: source, asOf: moment,
                                             policy: input.policy, scale: scale, bands: chosenBands, reasons: explain,
                                             rules: ruleSet)
                scoring.progress = line?.report
                scoring.openOnly = !all
                scoring.detailedReasons = explainDetail
                formatter = ScoredLeadFormatter(format: format, idColumn: HistoryLeadScorer.idColumn, reasons: explain, rules: ruleSet != nil)
                if let into {
                    // Connect and check the table before any work; nothing is written until the end.
                    table = try ScoreTable(table: into, url: database ?? source.database, name: database != nil ? "--database" : "the database",
                                           model: ContentHash.fnv1a(modelData), asOf: moment, reasons: explain > 0)
                }
                summary = try scoring.run { leads in
                    if writesScores {
                        try formatter.append(leads, to: &buffer)
                        try send()
                    }
                    try table?.append(leads)
                }
            }
            formatter.finish(to: &buffer)
            try send()
            // Both outputs complete before either is put in place: a database that fails leaves --out as it was.
            try file?.finish()
            try table?.commit()
            try file?.commit()
            line?.finish()
            report(summary, rules: ruleSet)
            if let table { FileHandle.standardError.write(Data(table.summary.utf8)) }
        }
    }

    /// Notes on what was scored and left out: on standard output when the scores went to --out, else on standard error.
    private func report(_ summary: ScoringSummary, rules ruleSet: RuleSet?) {
        var text = SkippedRowsReport(skipped: summary.skipped).text()
        if summary.notYetCreated > 0 {
            text += "Left out \(summary.notYetCreated) contact\(summary.notYetCreated == 1 ? "" : "s") created at or after --as-of.\n"
        }
        if summary.alreadyDecided > 0 {
            text += "Left out \(NumberFormat.count(summary.alreadyDecided)) contact\(summary.alreadyDecided == 1 ? "" : "s") already decided (won or lost) before --as-of; --all scores them too.\n"
        }
        for warning in summary.warnings { text += "Warning: \(warning)\n" }
        if !input.quiet { for note in summary.notes { text += "Note: \(note)\n" } }
        if let out {
            var bands = summary.bandCounts.map { "\($0.band) \($0.leads)" }.joined(separator: ", ")
            if let ruleSet, !summary.ruleBandCounts.isEmpty {
                bands += "; by the \(ruleSet.name ?? "rules") rules: " + summary.ruleBandCounts.map { "\($0.band) \($0.leads)" }.joined(separator: ", ")
            }
            text += "Scored \(NumberFormat.count(summary.scored)) lead\(summary.scored == 1 ? "" : "s") to \(out) (\(bands))\n"
            emit(text)
        } else if !text.isEmpty {
            FileHandle.standardError.write(Data(text.utf8))
        }
    }
}

extension ScoredLeadFormat: ExpressibleByArgument {}
