import Scoring
import Workflows

/// One part of the pipeline that `leadscore bench` can time on its own.
package enum BenchmarkStage: String, CaseIterable, Codable, Sendable {
    /// Contacts, outcomes and the one pass over events.csv with point-in-time accumulation.
    case extract
    /// Turning the accumulated history features into the standardised design matrix.
    case design
    /// Fitting the synthetic matrix.
    case train
    /// Probabilities from a feature matrix in memory, the scorer's fast path.
    case score
    /// Table scoring end to end: a CSV of leads read, encoded and scored in chunks.
    case scoreCSV = "score-csv"
    /// The open leads of a history: read into memory, scored and ranked, then paged and looked up, beside `score` on the
    /// same files.
    case rank

    /// The stages of a comma-separated list such as `extract,train` (they always run in pipeline order); nil when a name is unknown
    /// or the list is empty.
    package static func parseList(_ text: String) -> Set<BenchmarkStage>? {
        var stages = Set<BenchmarkStage>()
        for name in text.split(separator: ",") {
            let trimmed = name.filter { $0 != " " }
            guard let stage = BenchmarkStage(rawValue: trimmed) else { return nil }
            stages.insert(stage)
        }
        return stages.isEmpty ? nil : stages
    }
}
