import Evaluation
import Foundation
import Testing

@Suite struct AUCEstimateTests {
    @Test(arguments: EvaluationFixture.names, ["model", "rules"])
    func matchesTheAllPairsDeLong(fixture: String, score: String) throws {
        let f = try EvaluationFixture.load(fixture)
        let reference = f.reference(score).delong
        let estimate = AUCEstimate(scores: f.scores[score]!, labels: f.labels)
        #expect(estimate.positives == f.positives && estimate.negatives == f.rows - f.positives)
        #expect(relativeDifference(estimate.auc, reference.auc) <= 1e-10)
        #expect(relativeDifference(estimate.variance, reference.variance) <= 1e-10)
        #expect(relativeDifference(estimate.standardError, reference.standard_error) <= 1e-10)
        #expect(relativeDifference(estimate.lower, reference.lower) <= 1e-10)
        #expect(relativeDifference(estimate.upper, reference.upper) <= 1e-10)
        #expect(estimate.auc == BinaryMetrics.rocAUC(scores: f.scores[score]!, labels: f.labels))
    }

    @Test func inputOrderDoesNotMatter() throws {
        let f = try EvaluationFixture.load("points")
        let order = shuffledIndices(f.rows, seed: 5)
        let scores = f.scores["rules"]!
        let a = AUCEstimate(scores: scores, labels: f.labels)
        let b = AUCEstimate(scores: order.map { scores[$0] }, labels: order.map { f.labels[$0] })
        #expect(relativeDifference(a.variance, b.variance) <= 1e-13)
        #expect(a.auc == b.auc)
    }

    @Test func aSingleMemberClassHasNoStandardError() {
        let estimate = AUCEstimate(scores: [0.9, 0.5, 0.4, 0.1], labels: [true, false, false, false])
        #expect(estimate.auc == 1)
        #expect(estimate.variance.isNaN && estimate.standardError.isNaN)
        #expect(estimate.lower.isNaN && estimate.upper.isNaN)
    }

    @Test func aMissingClassHasNoAUC() {
        let estimate = AUCEstimate(scores: [0.9, 0.5], labels: [false, false])
        #expect(estimate.auc.isNaN && estimate.standardError.isNaN && estimate.positives == 0)
    }

    @Test func theIntervalIsClippedToTheUnitRange() {
        // Near-perfect separation on few rows: the Wald interval would pass 1.
        let estimate = AUCEstimate(scores: [0.9, 0.8, 0.35, 0.7, 0.3, 0.2, 0.1], labels: [true, true, true, false, false, false, false])
        #expect(estimate.auc + AUCEstimate.z95 * estimate.standardError > 1)
        #expect(estimate.upper == 1)
        #expect(estimate.lower == estimate.auc - AUCEstimate.z95 * estimate.standardError)
        // Perfect separation: no spread in the placement values at all.
        let perfect = AUCEstimate(scores: [0.9, 0.8, 0.2, 0.1], labels: [true, true, false, false])
        #expect(perfect.auc == 1 && perfect.standardError == 0 && perfect.lower == 1 && perfect.upper == 1)
    }
}
