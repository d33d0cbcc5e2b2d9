import ArgumentParser
import Features
import Scoring

/// `leadscore features`: export the design matrix exactly as the trainer sees it.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Write the design matrix the trainer sees: id, label, one standardised column per feature.",
        discussion: """
            Use it to check the encoding, or to fit another tool on exactly the same matrix, e.g. scikit-learn:
              leadscore features --table leads.csv --label converted --positive won --id lead_id --out X.csv
              leadscore train    --table leads.csv --label converted --positive won --id lead_id --l2 1 --out model.json
              leadscore explain  --model model.json --format json > explain.json
              python3 sklearn_fit.py X.csv --id lead_id --l2 1 --compare explain.json
            """
    )

    @OptionGroup(title: "Input") var input: TableOptions

    @Option(help: ArgumentHelp("Where to write the CSV (written atomically).", valueName: "X.csv"))
    var out: String

    func run() throws {
        try Failure.guarding {
            let training = TableTraining(table: input.table, encoding: input.encoding, columnKinds: input.columnKinds)
            let (_, design) = try training.prepare()
            try DesignMatrixCSV.write(design, idColumn: input.id ?? "row", to: out)
            emit("Wrote \(design.features.rows) rows x \(design.features.columns) features to \(out)\n")
        }
    }
}
