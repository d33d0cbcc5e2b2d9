import ArgumentParser
import Reports
import Scoring

/// `leadscore explain`: the learned weights of a model file.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show a model's weights with standard errors, p-values, 95% intervals and odds ratios.",
        discussion: """
            Weights are in log-odds per standard deviation of each feature, the scale of `leadscore features`; \
            `--format json` gives `intercept`, `l2` and `coefficients` by feature name on that scale.

            Examples:
              leadscore explain --model model.json
              leadscore explain --model model.json --format json > explain.json
            """
    )

    @Option(help: ArgumentHelp("The model file.", valueName: "model.json"))
    var model: String

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        try Failure.guarding {
            let report = WeightsReport(model: try LeadModel.load(path: model))
            switch format {
            case .text: emit(report.text() + "\n")
            case .json: emit(try report.json())
            }
        }
    }
}
