import ArgumentParser
import Features
import Reports
import Scoring

/// `leadscore features`: export the design matrix exactly as the trainer sees it.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Write the design matrix the trainer sees: id, label, one standardised column per feature.",
        discussion: """
            In history mode the rows are the decided contacts, each with features as of its decided_at minus --gap.
            `leadscore features --init > spec.json` writes the default feature spec, to edit and pass with --spec.

            Use it to check the encoding, or to fit another tool on exactly the same matrix, e.g. scikit-learn:
              leadscore features --table leads.csv --label converted --positive won --id lead_id --out X.csv
              leadscore train    --table leads.csv --label converted --positive won --id lead_id --l2 1 --out model.json
              leadscore explain  --model model.json --format json > explain.json
              python3 sklearn_fit.py X.csv --id lead_id --l2 1 --compare explain.json
            """
    )

    @OptionGroup(title: "History input") var history: HistoryOptions
    @OptionGroup(title: "Table input") var input: TableOptions

    @Flag(help: "Print the default feature spec (JSON) and exit.")
    var `init` = false

    @Option(help: ArgumentHelp("Where to write the CSV (written atomically).", valueName: "X.csv"))
    var out: String?

    func run() throws {
        try Failure.guarding {
            if self.`init` {
                emit(try HistoryFeatureSpecFile.defaultJSON())
                return
            }
            guard let out else { throw ValidationError("say where to write the matrix: --out X.csv") }
            let design: DesignMatrix, idColumn: String
            switch try InputMode.resolve(input, history, fit: nil, createdAt: nil) {
            case .table(let training):
                design = try training.prepare().1
                idColumn = input.id ?? "row"
            case .history(let training):
                let prepared = try training.prepare()
                design = prepared.design
                idColumn = HistoryFeatures.idColumn
                if !prepared.skipped.isEmpty { emit(SkippedRowsReport(skipped: prepared.skipped).text()) }
            }
            try DesignMatrixCSV.write(design, idColumn: idColumn, to: out)
            emit("Wrote \(design.features.rows) rows x \(design.features.columns) features to \(out)\n")
        }
    }
}
