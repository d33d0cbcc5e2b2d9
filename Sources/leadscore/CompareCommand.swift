import ArgumentParser
import Foundation
import LeadData
import Reports
import Rules
import Scoring
import Workflows

/// `leadscore compare`: a saved model and a rules file side by side on labelled leads.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Measure a model against rule points on labelled leads: ROC AUC with DeLong test, PR AUC, gains, bands.",
        discussion: """
            Scores every labelled lead with the model and with the rules (point in time, with the model's own \
            cutoffs in history mode) and reports, for each: ROC AUC with a 95% DeLong interval and a DeLong test of \
            the difference, PR AUC (average precision), log loss and Brier score (rule points turned into \
            probabilities by the calibration stored in the model when it was trained with the same rules), \
            conversions caught at a sales capacity, leads per band with precision and recall, gains and lift by \
            decile, and a calibration table. Give --rules more than once to compare several rule sets (for \
            instance the original rules and the ones `leadscore explain --write-rules` wrote).

            Measure on leads the model was not trained on: on its own training data every model looks better \
            than it is (compare says so when it recognises them). `train --rules` already reports the comparison \
            on a holdout.

            Examples:
              leadscore compare --model models/sample.json \\
                --rules datasets/rules/seed.json --contacts contacts.csv \\
                --events events.csv --outcomes outcomes.csv
              leadscore compare --model model.json --rules rules.json --table leads.csv \\
                --capacity 5% --report report/
              leadscore compare --model model.json --rules rules.json --table leads.csv \\
                --format json | jq .delong.p_value
            """
    )

    @Option(help: ArgumentHelp("The model file.", valueName: "model.json"))
    var model: String

    @Option(help: ArgumentHelp("A rules file (repeatable; default: the rules the model was trained with).", valueName: "rules.json"))
    var rules: [String] = []

    @OptionGroup(title: "Input (labelled leads)") var input: InputOptions

    @Option(help: ArgumentHelp("The share of leads sales can call.", valueName: "share"))
    var capacity: String = "10%"

    @Option(help: ArgumentHelp("Also write report.md and SVG charts (ROC, gains, calibration) into this folder.", valueName: "dir"))
    var report: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        _ = try input.resolve(outcomes: .required, what: "which labelled leads to measure on: --table FILE, or --contacts, --events and --outcomes")
        guard let c = EvaluationOptions.share(capacity), c > 0, c <= 1 else {
            throw ValidationError("--capacity takes a share such as 10% or 0.1, not \(Echo.quoted(capacity))")
        }
    }

    func run() throws {
        try Failure.guarding {
            let leadModel = try LeadModel.load(path: model)
            var ruleSets = try rules.map { try RuleSetFile.load(path: $0) }
            var paths = rules
            if ruleSets.isEmpty, let stored = leadModel.rules {
                ruleSets = [stored.rules]
                paths = [model]
            }
            guard !ruleSets.isEmpty else {
                throw ValidationError("the model was not trained with rules: give --rules FILE (for example datasets/rules/seed.json)")
            }
            let leads: ModelComparison.Input, subject: String
            switch try input.resolve(outcomes: .required) {
            case .table(let table):
                (leads, subject) = (.table(table), "the leads of \(Self.name(table.file.path))")
            case .history(let source, _):
                (leads, subject) = (.history(source), "the decided contacts of \(Self.name(source.outcomes!.path))")
            }
            var comparison = ModelComparison(model: leadModel, rules: ruleSets, rulesPaths: paths, input: leads,
                                             capacity: EvaluationOptions.share(capacity)!, policy: input.policy)
            let line = input.progressLine()
            comparison.progress = line?.report
            let result = try comparison.run()
            line?.finish()
            let text = ComparisonReport(comparison: result.comparison, subject: subject)
            if let report {
                var provenance = ["Model: \(Self.name(model)) (\(leadModel.inputKind) mode, trained on \(NumberFormat.count(leadModel.trainingData.rows)) leads)."]
                provenance.append("Rules: \(paths.map(Self.name).joined(separator: ", ")).")
                provenance += result.notes.map { "Note: \($0)." }
                try AtomicFile.writeReport(ComparisonMarkdown(report: text, provenance: provenance, onTrainingLeads: result.onTrainingLeads).files(),
                                           into: report)
            }
            switch format {
            case .text:
                if !result.skipped.isEmpty { emit(SkippedRowsReport(skipped: result.skipped).text() + "\n") }
                if !input.quiet { for note in result.notes { emit("Note: \(note)\n") } }
                emit(text.text(detail: true))
                if let report { emit("\nReport written to \((report as NSString).appendingPathComponent("report.md")) (with roc.svg, gains.svg, calibration.svg)\n") }
            case .json:
                emit(try DeterministicJSON.encode(result.comparison))
            }
        }
    }

    static func name(_ path: String) -> String { (path as NSString).lastPathComponent }
}
