import Evaluation
import Foundation
import Testing

@Suite struct CapacityCaptureTests {
    @Test(arguments: EvaluationFixture.names, ["model", "rules"])
    func matchesTheExactExpectationsOverOrdersWithinTies(fixture: String, score: String) throws {
        let f = try EvaluationFixture.load(fixture)
        let expected = f.reference(score).capacity
        let captures = CapacityCapture.top(fractions: expected.map(\.fraction), scores: f.scores[score]!, labels: f.labels)
        var worst = 0.0
        for (c, e) in zip(captures, expected) {
            #expect(c.fraction == e.fraction && c.leads == f.rows && c.conversions == f.positives)
            for (a, b) in [(c.leadsCalled, e.leads_called), (c.conversionsCaptured, e.conversions_captured),
                           (c.shareOfConversions, e.share_of_conversions), (c.precision, e.precision), (c.lift, e.lift)] {
                worst = max(worst, relativeDifference(a, b))
            }
        }
        #expect(worst <= 1e-12, "\(fixture) \(score): largest relative difference \(worst)")
    }

    @Test(arguments: EvaluationFixture.names)
    func callingEveryoneCapturesEveryConversion(fixture: String) throws {
        let f = try EvaluationFixture.load(fixture)
        for scores in f.scores.values {
            let all = CapacityCapture.top(fraction: 1, scores: scores, labels: f.labels)
            #expect(all.conversionsCaptured == Double(f.positives) && all.shareOfConversions == 1 && all.lift == 1)
            #expect(all.leadsCalled == Double(f.rows))
        }
    }

    @Test(arguments: EvaluationFixture.names)
    func theTopDecileEqualsTheFirstRowOfTheGainsTable(fixture: String) throws {
        let f = try EvaluationFixture.load(fixture)
        for scores in f.scores.values {
            let capture = CapacityCapture.top(fraction: 0.1, scores: scores, labels: f.labels)
            let first = GainsTable(scores: scores, labels: f.labels).rows[0]
            #expect(relativeDifference(capture.conversionsCaptured, first.conversions) <= 1e-12)
            #expect(relativeDifference(capture.lift, first.lift) <= 1e-12)
        }
    }

    @Test func callingNobodyCapturesNothing() {
        let none = CapacityCapture.top(fraction: 0, scores: [0.9, 0.1], labels: [true, false])
        #expect(none.conversionsCaptured == 0 && none.shareOfConversions == 0)
        #expect(none.precision.isNaN && none.lift.isNaN)
    }
}
