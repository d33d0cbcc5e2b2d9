import Evaluation
import Foundation
import Testing

@Suite struct DeLongTestTests {
    @Test(arguments: EvaluationFixture.names)
    func matchesTheAllPairsDeLong(fixture: String) throws {
        let f = try EvaluationFixture.load(fixture)
        let r = f.delong_test
        let test = DeLongTest(a: f.scores["model"]!, b: f.scores["rules"]!, labels: f.labels)
        #expect(relativeDifference(test.a.auc, r.auc_a) <= 1e-10)
        #expect(relativeDifference(test.b.auc, r.auc_b) <= 1e-10)
        #expect(relativeDifference(test.a.variance, r.variance_a) <= 1e-10)
        #expect(relativeDifference(test.b.variance, r.variance_b) <= 1e-10)
        #expect(relativeDifference(test.covariance, r.covariance) <= 1e-10)
        #expect(relativeDifference(test.difference, r.difference) <= 1e-10)
        #expect(relativeDifference(test.standardError, r.standard_error) <= 1e-10)
        #expect(relativeDifference(test.z, r.z) <= 1e-10)
        #expect(relativeDifference(test.pValue, r.p_value) <= 1e-10)
        #expect(relativeDifference(test.lower, r.lower) <= 1e-10)
        #expect(relativeDifference(test.upper, r.upper) <= 1e-10)
        // The difference's variance is var_a + var_b - 2 cov.
        let combined = test.a.variance + test.b.variance - 2 * test.covariance
        #expect(relativeDifference(test.standardError * test.standardError, combined) <= 1e-10)
    }

    @Test(arguments: EvaluationFixture.names)
    func aScoreAgainstItselfHasPValueOne(fixture: String) throws {
        let f = try EvaluationFixture.load(fixture)
        for scores in f.scores.values {
            let test = DeLongTest(a: scores, b: scores, labels: f.labels)
            #expect(test.difference == 0 && test.standardError == 0 && test.z == 0 && test.pValue == 1)
            #expect(test.lower == 0 && test.upper == 0)
            // A strictly increasing transformation (exact here: a power of two) ranks identically.
            let scaled = DeLongTest(a: scores, b: scores.map { $0 * 4 }, labels: f.labels)
            #expect(scaled.pValue == 1 && scaled.standardError == 0)
        }
    }

    @Test func identicalRankingsHavePValueOneEvenWithOneConversion() {
        let scores = [0.9, 0.5, 0.4, 0.1]
        let test = DeLongTest(a: scores, b: scores.map { $0 * 100 }, labels: [true, false, false, false])
        #expect(test.pValue == 1 && test.standardError == 0)
        #expect(test.a.standardError.isNaN && test.covariance.isNaN)
        // Different rankings with one conversion: no variance to test with.
        let other = DeLongTest(a: scores, b: [0.1, 0.5, 0.4, 0.9], labels: [true, false, false, false])
        #expect(other.pValue.isNaN && other.difference == 1)
    }

    @Test func perfectAgainstConstantHasNoSpreadAndPValueZero() {
        let labels = [true, true, false, false]
        let test = DeLongTest(a: [0.9, 0.8, 0.2, 0.1], b: [0.5, 0.5, 0.5, 0.5], labels: labels)
        #expect(test.difference == 0.5 && test.standardError == 0)
        #expect(test.z == .infinity && test.pValue == 0)
    }

    @Test func swappingTheScoresNegatesTheDifference() throws {
        let f = try EvaluationFixture.load("rare")
        let ab = DeLongTest(a: f.scores["model"]!, b: f.scores["rules"]!, labels: f.labels)
        let ba = DeLongTest(a: f.scores["rules"]!, b: f.scores["model"]!, labels: f.labels)
        #expect(ab.difference == -ba.difference && ab.pValue == ba.pValue)
        #expect(ab.standardError == ba.standardError)
    }
}
