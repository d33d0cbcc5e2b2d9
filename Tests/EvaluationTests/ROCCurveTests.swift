import Evaluation
import Foundation
import Testing

@Suite struct ROCCurveTests {
    @Test func fixtureListMatchesTheScript() throws {
        let data = try Data(contentsOf: EvaluationFixture.folder.appendingPathComponent("cases.json"))
        #expect(try JSONDecoder().decode([String].self, from: data) == EvaluationFixture.names)
    }

    @Test(arguments: EvaluationFixture.names, ["model", "rules"])
    func curveMatchesScikitLearn(fixture: String, score: String) throws {
        let f = try EvaluationFixture.load(fixture)
        let reference = f.reference(score)
        let curve = ROCCurve(scores: f.scores[score]!, labels: f.labels)
        #expect(curve.positives == f.positives && curve.negatives == f.rows - f.positives)
        let first = try #require(curve.points.first)
        #expect(first.threshold == nil && first.falsePositiveRate == 0 && first.truePositiveRate == 0)
        let rest = curve.points.dropFirst()
        #expect(largestDifference(rest.map(\.falsePositiveRate), reference.roc_curve.false_positive_rate) <= 1e-12)
        #expect(largestDifference(rest.map(\.truePositiveRate), reference.roc_curve.true_positive_rate) <= 1e-12)
        #expect(rest.map { $0.threshold! } == reference.roc_curve.threshold)
        #expect(curve.points.last?.falsePositiveRate == 1 && curve.points.last?.truePositiveRate == 1)
        #expect(relativeDifference(curve.auc, reference.roc_auc) <= 1e-10)
    }

    @Test(arguments: EvaluationFixture.names, ["model", "rules"])
    func areaEqualsTheRankAUCExactly(fixture: String, score: String) throws {
        let f = try EvaluationFixture.load(fixture)
        let scores = f.scores[score]!
        #expect(ROCCurve(scores: scores, labels: f.labels).auc == BinaryMetrics.rocAUC(scores: scores, labels: f.labels))
    }

    @Test(arguments: EvaluationFixture.names)
    func reversedScoresGiveOneMinusTheArea(fixture: String) throws {
        let f = try EvaluationFixture.load(fixture)
        for scores in f.scores.values {
            let auc = ROCCurve(scores: scores, labels: f.labels).auc
            let reversed = ROCCurve(scores: scores.map { -$0 }, labels: f.labels).auc
            #expect(abs(reversed - (1 - auc)) <= 1e-14)
        }
    }

    @Test func aTieGroupIsOneDiagonalStep() {
        // Two leads tied at 0.5, one converted and one not: one point moving right and up together.
        let curve = ROCCurve(scores: [0.9, 0.5, 0.5, 0.1], labels: [true, true, false, false])
        #expect(curve.points.map(\.falsePositiveRate) == [0, 0, 0.5, 1])
        #expect(curve.points.map(\.truePositiveRate) == [0, 0.5, 1, 1])
        #expect(curve.points.map(\.threshold) == [nil, 0.9, 0.5, 0.1])
        #expect(curve.auc == 0.875)
    }

    @Test func inputOrderDoesNotMatter() throws {
        let f = try EvaluationFixture.load("points")
        let order = shuffledIndices(f.rows, seed: 3)
        for scores in f.scores.values {
            let a = ROCCurve(scores: scores, labels: f.labels)
            let b = ROCCurve(scores: order.map { scores[$0] }, labels: order.map { f.labels[$0] })
            #expect(a == b)
        }
    }

    @Test func aMissingClassGivesNoCurve() {
        let curve = ROCCurve(scores: [0.2, 0.4], labels: [true, true])
        #expect(curve.points.isEmpty && curve.auc.isNaN)
    }

    @Test(arguments: [2, 3, 10, 50, 200])
    func thinningKeepsTheEndsAndAtMostTheAskedPoints(maxPoints: Int) throws {
        let f = try EvaluationFixture.load("rare")
        let curve = ROCCurve(scores: f.scores["model"]!, labels: f.labels)
        let thin = curve.thinned(maxPoints: maxPoints)
        #expect(thin.points.count <= maxPoints)
        #expect(thin.points.count == min(maxPoints, curve.points.count))
        #expect(thin.points.first == curve.points.first && thin.points.last == curve.points.last)
        // A subsequence of the full curve, in the same order.
        var i = 0
        for p in thin.points {
            while i < curve.points.count && curve.points[i] != p { i += 1 }
            #expect(i < curve.points.count)
            i += 1
        }
        #expect(thin.auc == curve.auc)
        #expect(curve.thinned(maxPoints: maxPoints) == thin)
    }

    @Test func thinningSpreadsPointsAlongTheCurve() throws {
        let f = try EvaluationFixture.load("continuous")
        let thin = ROCCurve(scores: f.scores["model"]!, labels: f.labels).thinned(maxPoints: 21)
        // Consecutive kept points are at most about one target spacing (2 / 20) apart in FPR + TPR, plus one step.
        let position = thin.points.map { $0.falsePositiveRate + $0.truePositiveRate }
        let gaps = zip(position.dropFirst(), position).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 > 0 && $0 <= 0.1 + 1.0 / 268 })
    }

    @Test func aShortCurveIsNotThinned() {
        let curve = ROCCurve(scores: [0.9, 0.5, 0.5, 0.1], labels: [true, true, false, false])
        #expect(curve.thinned(maxPoints: 4) == curve)
        #expect(curve.thinned(maxPoints: 2).points.map(\.threshold) == [nil, 0.1])
    }
}
