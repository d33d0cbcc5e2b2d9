import ArgumentParser
import Rules
import Scoring

/// How a model is measured and banded: the holdout, the rules to compare with, sales capacity, and model bands.
struct EvaluationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Hold out this share of leads to measure the model before refitting on all (0 for none): the most recent by decided_at in history mode, a seeded stratified sample in table mode.", valueName: "share"))
    var holdout: String = "20%"

    @Option(help: ArgumentHelp("A rules file to measure the model against (see datasets/rules/seed.json).", valueName: "rules.json"))
    var rules: String?

    @Option(help: ArgumentHelp("The share of leads sales can call, for 'conversions caught' figures.", valueName: "share"))
    var capacity: String = "10%"

    @Option(help: ArgumentHelp("Model bands, highest first: probability thresholds (hot=0.4,warm=0.15) or shares of leads by score (sales-ready=top10%,MQL=top30%); the rest get the last name (early-stage, or name=rest).", valueName: "bands"))
    var bands: String = "sales-ready=top10%,MQL=top30%,early-stage=rest"

    func validate() throws {
        guard let share = Self.share(holdout), share >= 0, share < 1 else {
            throw ValidationError("--holdout takes a share such as 20% or 0.2 (below 100%), not \"\(holdout)\"")
        }
        guard let c = Self.share(capacity), c > 0, c <= 1 else {
            throw ValidationError("--capacity takes a share such as 10% or 0.1 (above 0, at most 100%), not \"\(capacity)\"")
        }
        do { _ = try ModelBands.parse(bands) } catch { throw ValidationError("--bands: \(error.message)") }
    }

    var holdoutFraction: Double { Self.share(holdout) ?? 0.2 }
    var capacityFraction: Double { Self.share(capacity) ?? 0.1 }
    var modelBands: ModelBands { (try? ModelBands.parse(bands)) ?? .default }

    func loadRules() throws -> RuleSet? {
        try rules.map { try RuleSetFile.load(path: $0) }
    }

    /// A share written as `20%` or `0.2`.
    static func share(_ text: String) -> Double? {
        text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
    }
}
