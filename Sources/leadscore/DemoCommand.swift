import ArgumentParser
import Foundation
import Reports
import Scoring
import Workflows

/// `leadscore demo`: the first thing to run; the whole product on the shipped sample in one screen.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "On the shipped sample: the model against the seed rules, and the open leads to call first.",
        discussion: """
            Run it from the repository root. It loads models/sample.json (or trains it again with --retrain), \
            shows how it ranks leads against the seed points on the holdout (ROC AUC with a DeLong test, \
            conversions caught in the top 10%), where the data disagree with the points, and scores the sample's \
            open leads as of the end of the data, with the reasons behind the top ones. Nothing is written.

            Examples:
              swift run -c release leadscore demo
              leadscore demo --retrain --top 20
            """
    )

    @Option(help: ArgumentHelp("The sample folder (contacts.csv, events.csv, outcomes.csv, spec.json).", valueName: "dir"))
    var data: String = "datasets/sample"

    @Option(help: ArgumentHelp("The model to load.", valueName: "model.json"))
    var model: String = "models/sample.json"

    @Option(help: ArgumentHelp("The rules to compare with.", valueName: "rules.json"))
    var rules: String = "datasets/rules/seed.json"

    @Flag(help: "Train the model again instead of loading it.")
    var retrain = false

    @Option(help: "How many open leads to list.")
    var top: Int = 10

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    }

    /// The documented command that writes models/sample.json (a test checks that it reproduces the file).
    static let trainCommand = """
        leadscore train --contacts datasets/sample/contacts.csv --events datasets/sample/events.csv \
        --outcomes datasets/sample/outcomes.csv --spec datasets/sample/spec.json --l2 auto \
        --rules datasets/rules/seed.json --out models/sample.json
        """

    func run() throws {
        try Failure.guarding {
            let demo = DemoRun(data: data, modelPath: model, rulesPath: rules, retrain: retrain, top: top)
            let result = try demo.run()
            emit(DemoReport(result: result, run: demo, trainCommand: Self.trainCommand).text())
        }
    }
}
