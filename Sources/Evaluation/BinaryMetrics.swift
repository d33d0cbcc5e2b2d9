import Foundation

/// How well predicted probabilities rank and fit 0/1 outcomes: ROC AUC, log loss, Brier score.
public struct BinaryMetrics: Codable, Sendable, Equatable {
    public var rows: Int
    public var positives: Int
    /// The probability that a random converted lead scores above a random non-converted one (ties count half).
    public var auc: Double
    /// Mean negative log-likelihood (probabilities clipped to [1e-15, 1 - 1e-15], as scikit-learn does).
    public var logLoss: Double
    /// Mean squared difference between probability and outcome.
    public var brier: Double

    /// Metrics of `scores` (probabilities) against `labels` (1 converted, 0 not).
    public init(scores: [Double], labels: [Bool]) {
        precondition(scores.count == labels.count, "one score per label")
        rows = scores.count
        positives = labels.filter { $0 }.count
        auc = BinaryMetrics.rocAUC(scores: scores, labels: labels)
        var loss = 0.0, squared = 0.0
        for (p, y) in zip(scores, labels) {
            let clipped = min(max(p, 1e-15), 1 - 1e-15)
            loss -= y ? log(clipped) : log(1 - clipped)
            squared += (p - (y ? 1 : 0)) * (p - (y ? 1 : 0))
        }
        logLoss = rows > 0 ? loss / Double(rows) : .nan
        brier = rows > 0 ? squared / Double(rows) : .nan
    }

    /// ROC AUC by ranks (Mann-Whitney U), with average ranks for ties; NaN when a class is absent.
    public static func rocAUC(scores: [Double], labels: [Bool]) -> Double {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSumPositive = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let averageRank = Double(i + j) / 2 + 1
            for k in i...j where labels[order[k]] { rankSumPositive += averageRank }
            i = j + 1
        }
        let p = Double(labels.filter { $0 }.count), n = Double(labels.count) - p
        guard p > 0, n > 0 else { return .nan }
        return (rankSumPositive - p * (p + 1) / 2) / (p * n)
    }
}
