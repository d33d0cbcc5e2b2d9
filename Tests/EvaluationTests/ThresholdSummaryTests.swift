import Evaluation
import Foundation
import Testing

@Suite struct ThresholdSummaryTests {
    @Test(arguments: EvaluationFixture.names, ["model", "rules"])
    func countsMatchTheReference(fixture: String, score: String) throws {
        let f = try EvaluationFixture.load(fixture)
        for e in f.reference(score).thresholds {
            let s = ThresholdSummary(threshold: e.threshold, scores: f.scores[score]!, labels: f.labels)
            #expect(s.flagged == e.flagged && s.flaggedConversions == e.flagged_conversions)
            #expect(relativeDifference(s.precision, e.precision) <= 1e-12)
            #expect(relativeDifference(s.recall, e.recall) <= 1e-12)
            #expect(s.leads == f.rows && s.conversions == f.positives)
            #expect(s.flaggedConversions + s.falsePositives + s.missedConversions + s.trueNegatives == s.leads)
        }
    }

    @Test func aScoreEqualToTheThresholdIsFlagged() {
        let s = ThresholdSummary(threshold: 80, scores: [80, 79.5, 100, 50], labels: [true, true, false, false])
        #expect(s.flagged == 2 && s.flaggedConversions == 1 && s.flaggedShare == 0.5)
        #expect(s.precision == 0.5 && s.recall == 0.5)
        #expect(s.falsePositives == 1 && s.missedConversions == 1 && s.trueNegatives == 1)
    }

    @Test func flaggingNothingHasNoPrecision() {
        let s = ThresholdSummary(threshold: 200, scores: [80, 50], labels: [true, false])
        #expect(s.flagged == 0 && s.precision.isNaN && s.recall == 0)
    }
}
