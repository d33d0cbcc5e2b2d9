import LeadData
import Scoring

/// A seeded, stratified holdout for table mode: within wins and within losses, a fixed share of rows chosen by a
/// seeded shuffle, so the holdout has the data's base rate and the same seed gives the same split everywhere.
struct StratifiedSplit {
    var fraction: Double
    var seed: UInt64

    /// Training and holdout row indices, each in ascending order.
    func split(_ labels: [Bool]) -> (train: [Int], holdout: [Int]) {
        var generator = SeededGenerator(seed: seed)
        var held: [Int] = []
        for cls in [true, false] {
            var rows = labels.indices.filter { labels[$0] == cls }
            generator.shuffle(&rows)
            held += rows.prefix(Int((Double(rows.count) * fraction).rounded()))
        }
        held.sort()
        let heldSet = Set(held)
        return (labels.indices.filter { !heldSet.contains($0) }, held)
    }
}
