import Evaluation
import Foundation
import Testing

@Suite struct PrecisionRecallTests {
    @Test(arguments: EvaluationFixture.names, ["model", "rules"])
    func matchesScikitLearn(fixture: String, score: String) throws {
        let f = try EvaluationFixture.load(fixture)
        let reference = f.reference(score)
        let scores = f.scores[score]!
        let pr = PrecisionRecall(scores: scores, labels: f.labels)
        #expect(relativeDifference(pr.averagePrecision, reference.average_precision) <= 1e-10)
        #expect(PrecisionRecall.averagePrecision(scores: scores, labels: f.labels) == pr.averagePrecision)
        #expect(pr.points.map(\.threshold) == reference.pr_curve.threshold)
        #expect(largestDifference(pr.points.map(\.precision), reference.pr_curve.precision) <= 1e-12)
        #expect(largestDifference(pr.points.map(\.recall), reference.pr_curve.recall) <= 1e-12)
        #expect(pr.positives == f.positives && pr.rows == f.rows)
    }

    @Test func tiesAreOneThreshold() {
        // The tie at 0.5 is flagged at once: recall jumps from 1/3 to 1 at precision 3/4, with no step in between.
        let pr = PrecisionRecall(scores: [0.9, 0.5, 0.5, 0.5, 0.1], labels: [true, true, false, true, false])
        #expect(pr.points.map(\.recall) == [1.0 / 3, 1, 1])
        #expect(abs(pr.averagePrecision - ((1.0 / 3) * 1 + (2.0 / 3) * 0.75)) <= 1e-15)
        #expect(pr.points.map(\.precision) == [1, 0.75, 0.6])
        let reordered = PrecisionRecall(scores: [0.5, 0.5, 0.1, 0.9, 0.5], labels: [true, false, false, true, true])
        #expect(reordered == pr)
    }

    @Test func withoutConversionsThereIsNoAveragePrecision() {
        let pr = PrecisionRecall(scores: [0.2, 0.4], labels: [false, false])
        #expect(pr.averagePrecision.isNaN && pr.points.isEmpty && pr.prevalence == 0)
    }
}
