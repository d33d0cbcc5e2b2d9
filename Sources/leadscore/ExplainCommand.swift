import ArgumentParser
import Evaluation
import Reports
import Rules
import Scoring

/// `leadscore explain`: the learned weights of a model file.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show a model's weights with standard errors, p-values, 95% intervals and odds ratios.",
        discussion: """
            Weights are in log-odds per standard deviation of each feature, the scale of `leadscore features`; \
            `--format json` gives `intercept`, `l2` and `coefficients` by feature name on that scale.

            With --rules (or --versus-rules), one row per signal instead: what the rules give it and what the \
            data say, on the rules' own points scale, with 95% intervals, sorted by the size of the disagreement. \
            The model must have been trained with those rules (`train --rules`). --write-rules writes the same \
            rules with the points the data support, for tools that only take points.

            Examples:
              leadscore explain --model model.json
              leadscore explain --model models/sample.json --rules datasets/rules/seed.json
              leadscore explain --model models/sample.json --versus-rules --write-rules refit.json
              leadscore explain --model model.json --format json > explain.json
            """
    )

    @Option(help: ArgumentHelp("The model file.", valueName: "model.json"))
    var model: String

    @Option(help: ArgumentHelp("Compare the weights with these rules' points (the rules the model was trained with; default: those).", valueName: "rules.json"))
    var rules: String?

    @Flag(name: .customLong("versus-rules"), help: "Compare the weights with the points of the rules the model was trained with.")
    var versusRules = false

    @Option(name: .customLong("write-rules"), help: ArgumentHelp("Write the rules with the points the data support (same format, whole points, bands kept at the same probabilities).", valueName: "rules.json"))
    var writeRules: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        try OutputPaths.refuseInputs([("--write-rules", writeRules)], inputs: [model, rules])
    }

    func run() throws {
        try Failure.guarding {
            let leadModel = try LeadModel.load(path: model)
            if rules != nil || versusRules || writeRules != nil {
                let ruleSet = try rules.map { try RuleSetFile.load(path: $0) }
                let agreement: RulesAgreement
                do { agreement = try RulesAgreement.make(model: leadModel, rules: ruleSet, rulesPath: rules) } catch let error as RulesMismatch {
                    throw ValidationError(Self.advice(error, rulesPath: rules))
                }
                if let writeRules, let baseline = leadModel.rules {
                    try RuleSetFile.write(baseline.refittedRules(), to: writeRules)
                }
                let report = RulesAgreementReport(agreement: agreement)
                switch format {
                case .text:
                    emit(report.text())
                    if let writeRules { emit("\nRe-fitted rules written to \(writeRules)\n") }
                case .json: emit(try report.json())
                }
                return
            }
            let report = WeightsReport(model: leadModel)
            if format == .text, let holdout = leadModel.holdout, holdout.comparison.rules != nil {
                emit(ComparisonReport(comparison: holdout.comparison, subject: "the training holdout (\(holdout.rule))").text(detail: false) + "\n")
            }
            switch format {
            case .text: emit(report.text() + "\n")
            case .json: emit(try report.json())
            }
        }
    }

    /// A rules mismatch, with what to do in this command's flags.
    static func advice(_ mismatch: RulesMismatch, rulesPath: String?) -> String {
        switch mismatch {
        case .modelWithoutRules:
            "the model was trained without rules: retrain it with --rules \(rulesPath ?? "FILE") to compare weights with points"
        case .otherRules:
            "\(mismatch): retrain with --rules \(rulesPath ?? "FILE"), or leave out --rules to use the model's own"
        }
    }
}
