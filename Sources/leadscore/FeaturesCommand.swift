import ArgumentParser
import Features
import Foundation
import LeadData
import Reports
import Scoring
import Workflows

/// `leadscore features`: export the design matrix exactly as the trainer sees it.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Write the design matrix the trainer sees: id, label, one standardised column per feature.",
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

    @OptionGroup(title: "History input") var history: HistoryOptions
    @OptionGroup(title: "Table input") var input: TableOptions

    @Option(help: ArgumentHelp("History mode without outcomes: features of every contact as of this time (default: now), encoded as this model expects.", valueName: "model.json"))
    var model: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("With --model: count only events strictly before this ISO 8601 time.", valueName: "time"))
    var asOf: String?

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
            if let model {
                try snapshot(model: model, out: out)
                return
            }
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

    /// Features as of one moment, as a model will score them.
    private func snapshot(model path: String, out: String) throws {
        guard let contacts = history.contacts, let events = history.events, history.outcomes == nil else {
            throw ValidationError("--model takes --contacts and --events (no --outcomes: features as of --as-of, for scoring)")
        }
        let moment: Timestamp
        if let text = asOf {
            guard let parsed = Timestamp.parse(text) else { throw ValidationError("--as-of takes an ISO 8601 time such as 2026-07-01 or 2026-07-01T12:00:00Z, not \"\(text)\"") }
            moment = parsed
        } else {
            moment = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
        }
        let snapshot = HistorySnapshot(model: try LeadModel.load(path: path), contacts: contacts, events: events, asOf: moment,
                                       policy: history.policy)
        let (design, notYet, skipped) = try snapshot.design()
        if !skipped.isEmpty { emit(SkippedRowsReport(skipped: skipped).text()) }
        try DesignMatrixCSV.write(design, idColumn: HistoryFeatures.idColumn, to: out)
        emit("Wrote \(design.features.rows) contacts x \(design.features.columns) features as of \(moment.iso8601) to \(out)\(notYet > 0 ? " (\(notYet) contacts created later left out)" : "")\n")
    }
}
