import Evaluation
import Foundation
import Testing

/// Every result type survives a JSON round trip with snake_case keys (what a report writer would use).
@Suite struct SnakeCaseCodingTests {
    func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: encoder.encode(value))
    }

    @Test func resultsRoundTripThroughSnakeCaseJSON() throws {
        let f = try EvaluationFixture.load("tiny")
        let model = f.scores["model"]!, rules = f.scores["rules"]!
        let roc = ROCCurve(scores: model, labels: f.labels)
        #expect(try roundTrip(roc) == roc)
        let estimate = AUCEstimate(scores: model, labels: f.labels)
        #expect(try roundTrip(estimate) == estimate)
        let test = DeLongTest(a: model, b: rules, labels: f.labels)
        #expect(try roundTrip(test) == test)
        let pr = PrecisionRecall(scores: model, labels: f.labels)
        #expect(try roundTrip(pr) == pr)
        let gains = GainsTable(scores: rules, labels: f.labels, groups: 4)
        #expect(try roundTrip(gains) == gains)
        let capture = CapacityCapture.top(fraction: 0.5, scores: rules, labels: f.labels)
        #expect(try roundTrip(capture) == capture)
        let band = ThresholdSummary(threshold: 50, scores: rules, labels: f.labels)
        #expect(try roundTrip(band) == band)
        let calibration = CalibrationTable(probabilities: model, labels: f.labels, strategy: .quantile)
        #expect(try roundTrip(calibration) == calibration)
    }
}
