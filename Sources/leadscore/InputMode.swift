import ArgumentParser
import Features
import LeadData
import Scoring
import Training

/// Which input a command got: a table, or contact history. Checked once, so commands can rely on it.
enum InputMode {
    case table(TableTraining)
    case history(HistoryTraining)

    static func resolve(_ table: TableOptions, _ history: HistoryOptions, fit: FitOptions?, createdAt: String?) throws -> InputMode {
        if history.isHistoryMode {
            guard table.table == nil else { throw ValidationError("give either --table or --contacts/--events/--outcomes, not both") }
            guard history.outcomes != nil else {
                throw ValidationError("training examples need --outcomes (for features as of a time, give --model and --as-of instead)")
            }
            return .history(HistoryTraining(
                contacts: history.contacts!, events: history.events!, outcomes: history.outcomes!, spec: try history.loadSpec(),
                gap: TimeSpan.parse(history.gap)!, implicitLostAfter: history.implicitLostAfter.flatMap(TimeSpan.parse),
                policy: history.policy, penalty: fit?.penalty ?? .fixed(1), estimator: fit?.estimator ?? .init(), createdAt: createdAt,
                holdoutFraction: history.holdoutFraction ?? 0.2))
        }
        guard let path = table.table else {
            throw ValidationError("say what to learn from: --table FILE --label COLUMN, or --contacts, --events and --outcomes")
        }
        guard table.label != nil else { throw ValidationError("table mode needs --label COLUMN (the column that says whether the lead converted)") }
        return .table(TableTraining(table: path, encoding: table.encoding, columnKinds: table.columnKinds,
                                    penalty: fit?.penalty ?? .fixed(1), estimator: fit?.estimator ?? .init(), createdAt: createdAt))
    }
}
