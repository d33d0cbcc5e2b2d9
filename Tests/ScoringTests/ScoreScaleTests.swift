import Foundation
import LeadData
import Scoring
import Testing

/// The 0-100 score: the percentage of training leads strictly below, rounded down, from 100 stored percentiles.
@Suite struct ScoreScaleTests {
    /// Seeded probabilities with many ties (a coarse grid), so that ties at the percentiles are exercised.
    func probabilities(_ n: Int, seed: UInt64, grid: Double) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<n).map { _ in (generator.nextDouble() * grid).rounded(.down) / grid }
    }

    @Test(arguments: [(1, 1.0), (7, 1e3), (99, 20.0), (100, 1e6), (101, 50.0), (1_000, 37.0), (6_000, 1e9)])
    func scoreIsThePercentageOfTrainingLeadsStrictlyBelowRoundedDown(n: Int, grid: Double) {
        let training = probabilities(n, seed: UInt64(n), grid: grid)
        let scale = ScoreScale(trainingProbabilities: training)
        #expect(scale.boundaries.count == 100)
        let probes = training + probabilities(500, seed: 99, grid: grid) + [0, 1, 0.5, 1e-12, training.max()!, training.min()!]
        for p in probes {
            let below = training.filter { $0 < p }.count
            #expect(scale.score(probability: p) == 100 * below / n, "p = \(p)")
        }
    }

    @Test func oneHundredMeansAboveEveryTrainingLead() {
        let training = probabilities(1_000, seed: 3, grid: 1e6)
        let scale = ScoreScale(trainingProbabilities: training)
        let top = training.max()!
        #expect(scale.score(probability: top) < 100)
        #expect(scale.score(probability: top.nextUp) == 100)
        #expect(scale.score(probability: training.min()!) == 0)
    }

    @Test func roundTripsThroughJSONAndRejectsDamagedPercentiles() throws {
        let scale = ScoreScale(trainingProbabilities: probabilities(300, seed: 4, grid: 1e4))
        let data = try DeterministicJSON.encode(scale)
        #expect(try DeterministicJSON.decoder().decode(ScoreScale.self, from: data) == scale)
        let descending = #"{"boundaries": [\#((0..<100).map { String(1 - Double($0) / 100) }.joined(separator: ","))]}"#
        #expect(throws: DecodingError.self) { try DeterministicJSON.decoder().decode(ScoreScale.self, from: Data(descending.utf8)) }
        #expect(ScoreScale(boundaries: [0.1, 0.2]) == nil)
        #expect(ScoreScale(boundaries: scale.boundaries) == scale)
    }
}
