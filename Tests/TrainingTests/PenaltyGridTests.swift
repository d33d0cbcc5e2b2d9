import Foundation
import LeadData
import LinearAlgebra
import Testing
@testable import Training

/// `--l2 auto` never settles for a penalty at the edge of its grid: the default grid is widened until the best penalty
/// is inside it (or a far limit is reached), and the path says so.
@Suite struct PenaltyGridTests {
    /// Rows of seeded noise: the labels do not depend on the features, so the best penalty is as heavy as possible.
    static func noise(rows: Int, features: Int, seed: UInt64) -> TrainingData {
        var generator = SeededGenerator(seed: seed)
        var values: [Double] = []
        var labels: [Double] = []
        for _ in 0..<rows {
            for _ in 0..<features { values.append(Double.random(in: -1...1, using: &generator)) }
            labels.append(Double.random(in: 0..<1, using: &generator) < 0.3 ? 1 : 0)
        }
        return TrainingData(features: Matrix(rows: rows, columns: features, storage: values), labels: labels)
    }

    @Test func aBestPenaltyAtTheEdgeWidensTheGrid() throws {
        let data = Self.noise(rows: 400, features: 30, seed: 5)
        let path = try RegularizationSearch(folds: 5, seed: 1).run(data, estimator: LogisticRegression())
        let widened = try #require(path.widened)
        #expect(widened.hasPrefix("the best penalty was at an edge of the grid, so the grid was widened to"))
        // More than the default 13 penalties, largest first, and the chosen one not the largest tried unless the far
        // limit (10 per unit of weight) was reached.
        #expect(path.points.count > 13)
        #expect(path.points.map(\.l2) == path.points.map(\.l2).sorted(by: >))
        #expect(path.chosen > 400 * 0.1)
        #expect(path.chosen != path.points.first?.l2 || path.points.first!.l2 >= 400 * 10 * 0.999)
    }

    @Test func anInteriorBestLeavesTheDefaultGridAlone() throws {
        // A clean signal: the best penalty is light, well inside the default grid.
        var generator = SeededGenerator(seed: 9)
        var values: [Double] = [], labels: [Double] = []
        for _ in 0..<2000 {
            let x = Double.random(in: -2...2, using: &generator)
            values.append(x)
            labels.append(Double.random(in: 0..<1, using: &generator) < 1 / (1 + exp(-2 * x)) ? 1 : 0)
        }
        let data = TrainingData(features: Matrix(rows: 2000, columns: 1, storage: values), labels: labels)
        let path = try RegularizationSearch(folds: 5, seed: 1).run(data, estimator: LogisticRegression())
        #expect(path.widened == nil)
        #expect(path.points.count == 13)
    }
}
