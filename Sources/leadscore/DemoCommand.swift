import ArgumentParser
import Features
import Foundation
import Reports
import Scoring

/// `leadscore demo`: the first thing to run; trains on the shipped sample and shows what was learned.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train on the shipped sample CRM table and show what the model learned.",
        discussion: """
            Run it from the repository root (or point --table at the sample). It picks the penalty by \
            cross-validation, fits, and prints the columns, the penalty curve and the weights. Nothing is written.

            Example:
              swift run -c release leadscore demo
            """
    )

    @Option(help: ArgumentHelp("The sample table.", valueName: "file.csv"))
    var table: String = "datasets/table/leads.csv"

    func run() throws {
        try Failure.guarding {
            let training = TableTraining(table: table,
                                         encoding: TableEncodingOptions(label: "converted", positive: "won", id: "lead_id"),
                                         penalty: .auto(folds: 5, seed: 1))
            let result = try training.run()
            emit("leadscore demo: training on \(table)\n\n")
            emit(TrainingReport(result: result, modelPath: nil).text())
            emit("\n" + WeightsReport(model: result.model).headline() + "\n")
            emit("""

                To train and save a model on your own export:
                  leadscore train --table YOUR.csv --label COLUMN --positive VALUE --id COLUMN --l2 auto --out model.json

                """)
        }
    }
}
