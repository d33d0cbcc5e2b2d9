import Evaluation
import Foundation
import Testing

@Suite struct CalibrationTableTests {
    static let tables: [(key: String, strategy: CalibrationTable.Strategy, bins: Int)] = [
        ("uniform_10", .uniform, 10), ("uniform_5", .uniform, 5), ("quantile_10", .quantile, 10),
    ]

    @Test(arguments: EvaluationFixture.names, [0, 1, 2])
    func binsMatchTheReference(fixture: String, table: Int) throws {
        let f = try EvaluationFixture.load(fixture)
        let (key, strategy, bins) = CalibrationTableTests.tables[table]
        let expected = try #require(f.model.calibration?[key])
        let calibration = CalibrationTable(probabilities: f.scores["model"]!, labels: f.labels, bins: bins, strategy: strategy)
        #expect(calibration.bins.count == expected.bins.count)
        #expect(calibration.bins.map(\.count) == expected.bins.map(\.count))
        #expect(calibration.bins.map(\.conversions) == expected.bins.map(\.conversions))
        #expect(calibration.bins.map(\.lower) == expected.bins.map(\.lower))
        #expect(calibration.bins.map(\.upper) == expected.bins.map(\.upper))
        #expect(largestDifference(calibration.bins.map(\.meanPredicted), expected.bins.map(\.mean_predicted)) <= 1e-12)
        #expect(largestDifference(calibration.bins.map(\.observedRate), expected.bins.map(\.observed_rate)) <= 1e-12)
        #expect(relativeDifference(calibration.expectedCalibrationError, expected.ece) <= 1e-12)
    }

    @Test(arguments: EvaluationFixture.names, CalibrationTable.Strategy.allCases)
    func countsSumToTheRows(fixture: String, strategy: CalibrationTable.Strategy) throws {
        let f = try EvaluationFixture.load(fixture)
        for bins in [1, 3, 10, 37] {
            let table = CalibrationTable(probabilities: f.scores["model"]!, labels: f.labels, bins: bins, strategy: strategy)
            #expect(table.bins.reduce(0) { $0 + $1.count } == f.rows)
            #expect(table.bins.reduce(0) { $0 + $1.conversions } == f.positives)
            #expect(table.bins.count <= bins && table.bins.allSatisfy { $0.count > 0 })
        }
    }

    @Test func quantileBinsNeverSplitATieGroup() throws {
        let f = try EvaluationFixture.load("points")
        let p = f.scores["model"]!
        let table = CalibrationTable(probabilities: p, labels: f.labels, bins: 10, strategy: .quantile)
        // Bins are ordered and disjoint in value, and each holds every lead with a probability in its range.
        #expect(zip(table.bins.dropFirst(), table.bins).allSatisfy { $0.lower > $1.upper })
        for bin in table.bins {
            #expect(bin.count == p.filter { $0 >= bin.lower && $0 <= bin.upper }.count)
        }
    }

    @Test func aProbabilityOnAnEdgeBelongsToTheBinBelow() {
        // 0.2 is an edge of the uniform 10-bin grid; 0.3 lies just below the edge 0.30000000000000004.
        let table = CalibrationTable(probabilities: [0.2, 0.3, 0.0, 1.0], labels: [true, false, false, true], bins: 10)
        #expect(table.bins.map(\.lower) == [0, 0.1, 0.2, 0.9])
        #expect(table.bins.map(\.count) == [1, 1, 1, 1])
    }

    @Test func quantileBinsOfEqualSizeWithoutTies() {
        let p = (0..<20).map { Double($0) / 20 }
        let table = CalibrationTable(probabilities: p, labels: p.map { $0 > 0.5 }, bins: 4, strategy: .quantile)
        #expect(table.bins.map(\.count) == [5, 5, 5, 5])
        #expect(table.bins.map(\.lower) == [0, 0.25, 0.5, 0.75])
    }

    @Test func aPerfectlyCalibratedTableHasNoError() {
        let table = CalibrationTable(probabilities: [0.5, 0.5, 1, 0], labels: [true, false, true, false], bins: 2)
        #expect(table.expectedCalibrationError == 0)
        #expect(CalibrationTable(probabilities: [], labels: []).expectedCalibrationError.isNaN)
    }
}
