import ArgumentParser
import Features
import LeadData
import LeadDatabase
import Scoring
import Training
import Workflows

/// A training job as the command line describes it: a table or contact history, with the options of that mode only.
enum TrainingJob {
    case table(TableTraining)
    case history(HistoryTraining)

    /// The job of `input` (decided by ``InputOptions/resolve(outcomes:what:)``); a flag of the other mode is a usage
    /// error naming the mode it belongs to.
    static func resolve(_ input: InputOptions, _ columns: TableOptions, _ history: HistoryOptions, fit: FitOptions?, createdAt: String?,
                        evaluation: EvaluationOptions? = nil, progress: ProgressReport? = nil,
                        allowedLeaks: [String] = [], freeEventSigns: Bool = false, pushdown: Bool = false) throws -> TrainingJob {
        let rules = try evaluation?.loadRules()
        switch try input.resolve(outcomes: .required) {
        case .history(var source, let profile):
            try ModeFlags.refuse(columns.tableOnly, belongTo: "a table (--table), not to contact history, which gets its labels from --outcomes")
            if pushdown {
                guard source.events.table != nil else {
                    throw ValidationError("--pushdown aggregates events in the database: give --source with \"events\" as a \"table\" or \"query\"")
                }
                source.aggregator = PostgresPushdown()
            }
            var training = HistoryTraining(
                source: source, spec: columns.applied(to: try history.loadSpec(), profile: profile),
                gap: history.gapSpan, implicitLostAfter: history.implicitLostAfter.flatMap(TimeSpan.parse),
                policy: input.policy, penalty: fit?.penalty ?? .fixed(1), estimator: fit?.estimator ?? .init(), createdAt: createdAt,
                holdoutFraction: evaluation?.holdoutFraction ?? 0.2, rules: rules)
            training.specPath = history.spec
            training.progress = progress
            training.allowedLeaks = Set(allowedLeaks)
            training.eventSigns = !freeEventSigns
            if let evaluation {
                training.bands = evaluation.modelBands
                training.capacity = evaluation.capacityFraction
            }
            return .history(training)
        case .table(let table):
            try ModeFlags.refuse(history.historyOnly + [("--pushdown", pushdown)], belongTo: "contact history (--contacts, --events, --outcomes), not to a table")
            guard let encoding = columns.encoding(for: table) else {
                throw ValidationError("table mode needs --label COLUMN (the column that says whether the lead converted), or \"label\" in the source description's \"columns\"")
            }
            var training = TableTraining(file: table.file, values: try columns.values(for: table), encoding: encoding, columnKinds: columns.columnKinds(for: table),
                                         penalty: fit?.penalty ?? .fixed(1), estimator: fit?.estimator ?? .init(), createdAt: createdAt)
            training.progress = progress
            training.allowedLeaks = Set(allowedLeaks)
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
}
