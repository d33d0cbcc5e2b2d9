import ArgumentParser
import Foundation
import LeadData
import Reports
import Scoring
import Workflows

/// `leadscore train`: fit a model and write the model file.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a lead-scoring model and write it to a model file.",
        discussion: """
            History mode reads contacts, their timestamped events, and outcomes. Each decided contact is one example, \
            with features computed only from events before its decided_at (minus --gap): nothing from after the \
            decision leaks into training. Undecided contacts are left out unless --implicit-lost-after is given. \
            Every event type whose effect is clear (its 95% interval excludes zero) has its features held to that \
            effect's sign, so one more such event never lowers a lead it should raise (`explain` shows the check); \
            --event-signs free turns that off.

            Table mode reads one row per lead: a label column, an optional id column, and feature columns. \
            Numeric columns are standardised, missing numbers imputed with the mean plus a `(missing)` indicator, \
            categorical columns one-hot encoded against their most frequent level, with rare levels pooled into \
            `other`. The output says what became of every column.

            With --source, contacts, events and outcomes may be PostgreSQL tables or queries (see `leadscore source \
            --help`); --pushdown has the database aggregate the events (`leadscore sql` prints the statement).

            Examples:
              leadscore train --contacts contacts.csv --events events.csv \\
                --outcomes outcomes.csv --gap 14d --l2 auto --out model.json
              leadscore train --contacts contacts.csv --events events.csv \\
                --outcomes outcomes.csv --as-of 2026-03-01T00:00:00Z --out march.json
              leadscore train --source source.json --pushdown --out model.json
              leadscore train --table datasets/table/leads.csv --label converted \\
                --positive won --id lead_id --out model.json
              leadscore train --table leads.csv --label converted --l2 auto \\
                --out model.json --format json
            """
    )

    @OptionGroup(title: "Input") var input: InputOptions
    @OptionGroup(title: "Columns") var columns: TableOptions
    @OptionGroup(title: "History") var history: HistoryOptions
    @OptionGroup var database: PushdownOption
    @OptionGroup(title: "Fit") var fit: FitOptions
    @OptionGroup(title: "Holdout and rules") var evaluation: EvaluationOptions

    @Option(help: ArgumentHelp("Where to write the model (written atomically).", valueName: "model.json"))
    var out: String

    @Option(name: .customLong("as-of"), help: ArgumentHelp("History mode: train on the data as known at this ISO 8601 time (contacts created, outcomes decided and events before it), to replay an earlier month.", valueName: "time"))
    var asOf: String?

    @Option(name: .customLong("created-at"), help: "A creation time to record in the model (default: none, so retraining gives the same bytes).")
    var createdAt: String?

    @Option(help: ArgumentHelp("History mode: write the held-out contacts' probabilities (contact_id, decided_at, label, probability).", valueName: "file.csv"))
    var predictions: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("Write the full text report (columns, fit, holdout, every weight) to this file; the terminal then shows the summary only.", valueName: "report.txt"))
    var report: String?

    @Option(name: .customLong("allow-leak"), help: ArgumentHelp("Keep this column although it gives the outcome away (repeatable): only when it is truly known before the outcome, when leads are scored. Without it, such a column stops the run (exit 2).", valueName: "column"))
    var allowLeak: [String] = []

    @Option(name: .customLong("event-signs"), help: ArgumentHelp("History mode: `constrained` (the default) holds every event type whose effect is clear to that effect's sign, so one more event never moves a lead the other way; `free` fits every weight freely.", valueName: "constrained|free"))
    var eventSigns: EventSignsOption?

    enum EventSignsOption: String, ExpressibleByArgument, CaseIterable { case constrained, free }

    func validate() throws {
        try AsOfOption.validate(asOf)
        try OutputPaths.refuseInputs([("--out", out), ("--predictions", predictions), ("--report", report)],
                                     inputs: input.files + [history.spec, evaluation.rules])
    }

    func run() throws {
        try Failure.guarding {
            // Open every output first: a missing folder fails before any training, and a run that fails at any point,
            // writing the predictions included, leaves every previous file as it was.
            let modelFile = try AtomicFileWriter(path: out)
            let predictionsFile = try predictions.map { path throws(OutputError) in try AtomicFileWriter(path: path) }
            let reportFile = try report.map { path throws(OutputError) in try AtomicFileWriter(path: path) }
            let result: TrainingResult
            let line = input.progressLine()
            defer { line?.finish() }
            switch try TrainingJob.resolve(input, columns, history, fit: fit, createdAt: createdAt, evaluation: evaluation, progress: line?.report,
                                               allowedLeaks: allowLeak, freeEventSigns: eventSigns == .free, pushdown: database.pushdown) {
            case .table(let training):
                try ModeFlags.refuse([("--event-signs", eventSigns != nil), ("--as-of", asOf != nil)],
                                     belongTo: "contact history (--contacts, --events, --outcomes): a table has no event types or times")
                result = try training.run()
            case .history(var training):
                training.asOf = asOf.flatMap(Timestamp.parse)
                result = try training.run()
            }
            line?.finish()
            let summary = TrainingReport(result: result, modelPath: out)
            try modelFile.write(try result.model.jsonData())
            try predictionsFile?.write(HoldoutPredictionsCSV.data(result.holdoutPredictions))
            try reportFile?.write(Data(summary.text().utf8))
            try modelFile.commit()
            try predictionsFile?.commit()
            try reportFile?.commit()
            switch format {
            case .text where input.quiet: emit(summary.summary(notes: false) + (report.map { "  report   \($0)\n" } ?? ""))
            case .text where report != nil: emit(summary.summary() + "  report   \(report!)\n")
            case .text: emit(summary.text())
            case .json: emit(try summary.json())
            }
        }
    }
}
