import Evaluation
import Foundation
import Testing

@Suite struct BinaryMetricsTests {
    @Test func aucCountsPairsAndHalfTies() {
        // Pairs (positive, negative): (0.9, 0.1) right, (0.9, 0.5) right, (0.5, 0.1) right, (0.5, 0.5) tie -> 3.5 / 4.
        let auc = BinaryMetrics.rocAUC(scores: [0.9, 0.5, 0.5, 0.1], labels: [true, true, false, false])
        #expect(auc == 0.875)
        #expect(BinaryMetrics.rocAUC(scores: [0.1, 0.9], labels: [true, false]) == 0)
        #expect(BinaryMetrics.rocAUC(scores: [0.3, 0.4], labels: [true, true]).isNaN)
    }

    @Test func aucMatchesABruteForceCountOnRandomData() {
        var state: UInt64 = 7
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 40) / Double(1 << 24) }
        let scores = (0..<300).map { _ in (next() * 20).rounded() / 20 }  // many ties
        let labels = scores.map { next() < $0 }
        var wins = 0.0, pairs = 0.0
        for i in scores.indices where labels[i] {
            for j in scores.indices where !labels[j] {
                pairs += 1
                wins += scores[i] > scores[j] ? 1 : (scores[i] == scores[j] ? 0.5 : 0)
            }
        }
        #expect(abs(BinaryMetrics.rocAUC(scores: scores, labels: labels) - wins / pairs) < 1e-12)
    }

    @Test func logLossAndBrierFollowTheirDefinitions() {
        let m = BinaryMetrics(scores: [0.8, 0.3], labels: [true, false])
        #expect(abs(m.logLoss - (-(log(0.8) + log(0.7)) / 2)) < 1e-15)
        #expect(abs(m.brier - (0.04 + 0.09) / 2) < 1e-15)
        #expect(m.rows == 2 && m.positives == 1)
    }
}
