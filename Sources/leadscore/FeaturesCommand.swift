import ArgumentParser
import Features
import Foundation
import LeadData
import LinearAlgebra
import Reports
import Scoring
import Workflows

/// `leadscore features`: export the design matrix exactly as the trainer sees it.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Write the design matrix the trainer sees: id, label, one column per feature (numbers standardised, 0/1 levels centred and halved).",
        discussion: """
            In history mode the rows are the decided contacts, each with features as of its decided_at minus --gap. \
            `leadscore features --init > spec.json` writes the default feature spec, to edit and pass with --spec.

            Use it to check the encoding, or to fit another tool on exactly the same matrix, e.g. scikit-learn:
              leadscore features --table leads.csv --label converted --positive won \\
                --id lead_id --out X.csv
              leadscore train --table leads.csv --label converted --positive won \\
                --id lead_id --l2 1 --out model.json
              leadscore explain --model model.json --format json > explain.json
              python3 sklearn_fit.py X.csv --id lead_id --l2 1 --compare explain.json

            Features of every contact as of a moment, encoded as a model will score them (only events strictly \
            before --as-of count; the default is now):
              leadscore features --model model.json --contacts contacts.csv \\
                --events events.csv --as-of 2026-07-01 --out X.csv
            """
    )

    @OptionGroup(title: "Input") var input: InputOptions
    @OptionGroup(title: "Columns") var columns: TableOptions
    @OptionGroup(title: "History") var history: HistoryOptions
    @OptionGroup var database: PushdownOption

    @Option(help: ArgumentHelp("History mode without outcomes: features of every contact as of this time (default: now), encoded as this model expects.", valueName: "model.json"))
    var model: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("With --model: count only events strictly before this ISO 8601 time.", valueName: "time"))
    var asOf: String?

    @Flag(help: "Print the default feature spec (JSON) and exit.")
    var `init` = false

    @Option(help: ArgumentHelp("Where to write the CSV (written atomically).", valueName: "X.csv"))
    var out: String?

    func validate() throws {
        try OutputPaths.refuseInputs([("--out", out)], inputs: input.files + [history.spec, model])
    }

    func run() throws {
        try Failure.guarding {
            if self.`init` {
                emit(try HistoryFeatureSpecFile.defaultJSON())
                return
            }
            guard let out else { throw ValidationError("say where to write the matrix: --out X.csv") }
            if let model {
                try snapshot(model: model, out: out)
                return
            }
            if asOf != nil { throw ValidationError("--as-of applies with --model (features as of a moment, for scoring)") }
            let design: DesignMatrix, idColumn: String
            switch try TrainingJob.resolve(input, columns, history, fit: nil, createdAt: nil, pushdown: database.pushdown) {
            case .table(let training):
                design = try training.prepare().1
                idColumn = columns.id ?? "row"
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

    /// Features as of one moment, as a model will score them.
    private func snapshot(model path: String, out: String) throws {
        guard case .history(let source, _) = try input.resolve(outcomes: .refused, what: "whose features to write: --contacts and --events") else {
            throw ValidationError("--model takes --contacts and --events (features as of --as-of, for scoring), not a table")
        }
        try ModeFlags.refuse(columns.tableOnly + history.historyOnly + [("--ignore", columns.ignore != nil), ("--categorical", columns.categorical != nil),
                                                                         ("--numeric", columns.numeric != nil), ("--min-level-count", columns.minLevelCount != nil),
                                                                         ("--pushdown", database.pushdown)],
                             belongTo: "training, not to features as of a moment: with --model, the model's own spec and encoding apply")
        let moment: Timestamp
        if let text = asOf {
            guard let parsed = Timestamp.parse(text) else { throw ValidationError("--as-of takes an ISO 8601 time such as 2026-07-01 or 2026-07-01T12:00:00Z, not \(Echo.quoted(text))") }
            moment = parsed
        } else {
            moment = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
        }
        let snapshot = HistorySnapshot(model: try LeadModel.load(path: path), source: source, asOf: moment, policy: input.policy)
        let (design, notYet, skipped) = try snapshot.design()
        if !skipped.isEmpty { emit(SkippedRowsReport(skipped: skipped).text()) }
        try DesignMatrixCSV.write(design, idColumn: HistoryFeatures.idColumn, to: out)
        emit("Wrote \(design.features.rows) contacts x \(design.features.columns) features as of \(moment.iso8601) to \(out)\(notYet > 0 ? " (\(notYet) contacts created later left out)" : "")\n")
    }
}
