import ArgumentParser
import Foundation
import LeadData
import ModelRegistry
import Reports
import Scoring
import Workflows

/// `leadscore monitor`: has the population moved since training, and does the model still hold?
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Compare today's leads with the model's training data (PSI per column and for the score) and check the model on leads decided since.",
        discussion: """
            The model file keeps, from training, the distributions of the leads it was made for (the open leads at \
            the end of its data): every column cut at its deciles (categories by level), the probability, and with \
            rules each rule's signal and the points. monitor puts the leads open as of --as-of (default: the end of \
            the data) in the same bins and gives the Population Stability Index of each, with the characteristic \
            analysis: how far each column's change moved the average log-odds. Event types the model has no features \
            for (new ones, and those too rare at training) are listed with their counts; a category level it never \
            saw has a bin of its own. With outcomes, the contacts decided since the model's data ended are scored \
            as of their decision: ROC AUC with its 95% interval against the holdout AUC stored at training, and calibration per band \
            (predicted against observed, with the observed rate's 95% Wilson interval).

            The verdict: alert when the score or a column moved by a PSI of --act or more, or when the AUC's whole \
            interval lies below the holdout AUC; warn when something moved by --look or more, a band's prediction \
            falls outside its observed interval, or there are new event types; ok otherwise. One pass over the events.

            Exit status: 0 ok, 4 warn, 5 alert; 1 bad input, 3 the report cannot be written, 64 usage error.

            Examples:
              leadscore monitor --model models/sample.json --contacts contacts.csv --events events.csv --outcomes outcomes.csv
              leadscore monitor --registry registry --source source.json --as-of 2026-09-30T00:00:00Z --report drift/
              leadscore monitor --registry registry --source source.json --format json --look 0.05 --act 0.2
            """
    )

    static let warnStatus: Int32 = 4
    static let alertStatus: Int32 = 5

    @Option(help: ArgumentHelp("The model file.", valueName: "model.json"))
    var model: String?

    @Option(help: ArgumentHelp("Monitor a model registry's current model instead.", valueName: "folder"))
    var registry: String?

    @OptionGroup(title: "Input") var input: InputOptions

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The moment to look at, ISO 8601 (default: the latest created_at or decided_at in the files).", valueName: "time"))
    var asOf: String?

    @Option(help: "The PSI from which a change is worth a look (warn).")
    var look: Double = 0.10

    @Option(help: "The PSI from which a change is to be acted on (alert).")
    var act: Double = 0.25

    @Option(help: ArgumentHelp("Write monitor.md and its SVG charts into this folder.", valueName: "folder"))
    var report: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard (model == nil) != (registry == nil) else {
            throw ValidationError("give the model to monitor: --model FILE, or --registry FOLDER (not both)")
        }
        guard look > 0, act > look, act.isFinite else { throw ValidationError("--look and --act take PSI values with 0 < look < act") }
        try AsOfOption.validate(asOf)
        try OutputPaths.refuseInputs([("--report", report)], inputs: input.files + [model])
    }

    func run() throws {
        var status: Int32 = 0
        try Failure.guarding {
            guard case .history(let source, _) = try input.resolve(outcomes: .optional, what: "the leads: --contacts and --events (and --outcomes), or --source") else {
                throw ValidationError("monitor works on contact history (--contacts, --events, or a source description), not on a table")
            }
            let leadModel = try registry.map { try ModelRegistry(folder: $0).current().model } ?? LeadModel.load(path: model!)
            var monitoring = Monitoring(model: leadModel, source: source, asOf: asOf.flatMap(Timestamp.parse), policy: input.policy)
            monitoring.look = look
            monitoring.act = act
            let line = input.progressLine()
            monitoring.progress = line?.report
            let result = try monitoring.run()
            line?.finish()
            let text = MonitorReport(report: result)
            if let report {
                try AtomicFile.writeReport(text.files(), into: report)
            }
            switch format {
            case .text: emit(input.quiet ? text.line + "\n" : text.text())
            case .json: emit(try text.json())
            }
            status = switch result.verdict {
            case .ok: 0
            case .warn: Self.warnStatus
            case .alert: Self.alertStatus
            }
        }
        if status != 0 { throw ExitCode(status) }
    }
}
