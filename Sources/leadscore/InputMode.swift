import ArgumentParser
import Features
import LeadData
import Scoring
import Training
import Workflows

/// Which input a command got: a table, or contact history. Checked once, so commands can rely on it.
enum InputMode {
    case table(TableTraining)
    case history(HistoryTraining)

    static func resolve(_ table: TableOptions, _ history: HistoryOptions, fit: FitOptions?, createdAt: String?,
                        evaluation: EvaluationOptions? = nil) throws -> InputMode {
        let rules = try evaluation?.loadRules()
        if history.isHistoryMode {
            guard table.table == nil else { throw ValidationError("give either --table or --contacts/--events/--outcomes, not both") }
            guard history.outcomes != nil else {
                throw ValidationError("training examples need --outcomes (for features as of a time, give --model and --as-of instead)")
            }
            var training = HistoryTraining(
                contacts: history.contacts!, events: history.events!, outcomes: history.outcomes!, spec: try history.loadSpec(),
                gap: TimeSpan.parse(history.gap)!, implicitLostAfter: history.implicitLostAfter.flatMap(TimeSpan.parse),
                policy: history.policy, penalty: fit?.penalty ?? .fixed(1), estimator: fit?.estimator ?? .init(), createdAt: createdAt,
                holdoutFraction: evaluation?.holdoutFraction ?? 0.2, rules: rules)
            training.specPath = history.spec
            return .history(training.banded(evaluation))
        }
        guard let path = table.table else {
            throw ValidationError("say what to learn from: --table FILE --label COLUMN, or --contacts, --events and --outcomes")
        }
        if history.skipBadRows {
            throw ValidationError("--skip-bad-rows applies to history input (--contacts, --events, --outcomes); a table stops at its first bad row: fix or remove that row")
        }
        guard table.label != nil else { throw ValidationError("table mode needs --label COLUMN (the column that says whether the lead converted)") }
        var training = TableTraining(table: path, encoding: table.encoding, columnKinds: table.columnKinds,
                                     penalty: fit?.penalty ?? .fixed(1), estimator: fit?.estimator ?? .init(), createdAt: createdAt)
        training.holdoutFraction = evaluation?.holdoutFraction ?? 0.2
        training.holdoutSeed = fit?.seed ?? 1
        training.rules = rules
        training.rulesPath = evaluation?.rules ?? ""
        if let evaluation {
            training.bands = evaluation.modelBands
            training.capacity = evaluation.capacityFraction
        }
        return .table(training)
    }
}

extension HistoryTraining {
    /// With the bands and capacity of `options`, when given.
    func banded(_ options: EvaluationOptions?) -> HistoryTraining {
        guard let options else { return self }
        var copy = self
        copy.bands = options.modelBands
        copy.capacity = options.capacityFraction
        return copy
    }
}
