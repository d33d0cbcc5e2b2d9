import Evaluation
import Foundation
import Testing

@Suite struct GainsTableTests {
    @Test(arguments: EvaluationFixture.names, ["model", "rules"])
    func matchesTheExactExpectationsOverOrdersWithinTies(fixture: String, score: String) throws {
        let f = try EvaluationFixture.load(fixture)
        for (key, expected) in f.reference(score).gains {
            let table = GainsTable(scores: f.scores[score]!, labels: f.labels, groups: Int(key)!)
            #expect(table.leads == f.rows && table.conversions == f.positives)
            #expect(table.rows.count == expected.count)
            var worst = 0.0
            for (row, e) in zip(table.rows, expected) {
                #expect(row.rank == e.rank)
                for (a, b) in [(row.fromShare, e.from_share), (row.toShare, e.to_share), (row.leads, e.leads),
                               (row.conversions, e.conversions), (row.conversionRate, e.conversion_rate),
                               (row.cumulativeConversions, e.cumulative_conversions),
                               (row.cumulativeShareOfConversions, e.cumulative_share_of_conversions),
                               (row.lift, e.lift), (row.cumulativeLift, e.cumulative_lift)] {
                    worst = max(worst, relativeDifference(a, b))
                }
            }
            #expect(worst <= 1e-12, "\(fixture) \(score) \(key) groups: largest relative difference \(worst)")
        }
    }

    @Test(arguments: EvaluationFixture.names, [1, 3, 10, 7, 20])
    func theGainEndsAtExactlyOne(fixture: String, groups: Int) throws {
        let f = try EvaluationFixture.load(fixture)
        for scores in f.scores.values {
            let table = GainsTable(scores: scores, labels: f.labels, groups: groups)
            #expect(table.rows.last?.cumulativeShareOfConversions == 1)
            #expect(table.rows.last?.cumulativeConversions == Double(f.positives))
            #expect(table.rows.last?.cumulativeLift == 1)
            let total = table.rows.reduce(0) { $0 + $1.conversions }
            #expect(abs(total - Double(f.positives)) <= 1e-9)
            let gains = table.rows.map(\.cumulativeShareOfConversions)
            #expect(zip(gains.dropFirst(), gains).allSatisfy { $0 >= $1 })
        }
    }

    @Test func inputOrderDoesNotMatter() throws {
        let f = try EvaluationFixture.load("points")
        let order = shuffledIndices(f.rows, seed: 9)
        for scores in f.scores.values {
            let a = GainsTable(scores: scores, labels: f.labels, groups: 7)
            let b = GainsTable(scores: order.map { scores[$0] }, labels: order.map { f.labels[$0] }, groups: 7)
            #expect(a == b)
        }
    }

    @Test func aStraddlingTieGroupIsSharedInProportion() {
        // Four leads tied, two converted, cut in half: one expected conversion on each side.
        let table = GainsTable(scores: [1, 1, 1, 1], labels: [true, false, true, false], groups: 2)
        #expect(table.rows.map(\.conversions) == [1, 1])
        #expect(table.rows.map(\.lift) == [1, 1])
        // A lone top lead that converted, then a tie of 3 with 1 conversion, in 2 groups of 2 leads.
        let split = GainsTable(scores: [5, 2, 2, 2], labels: [true, false, true, false], groups: 2)
        let expected: [Double] = [1 + 1.0 / 3, 2.0 / 3]
        #expect(split.rows.map(\.conversions) == expected)
    }

    @Test func withoutConversionsSharesAreUndefined() {
        let table = GainsTable(scores: [0.3, 0.2], labels: [false, false], groups: 2)
        #expect(table.rows.map(\.conversions) == [0, 0])
        #expect(table.rows.allSatisfy { $0.cumulativeShareOfConversions.isNaN && $0.lift.isNaN })
        #expect(GainsTable(scores: [], labels: []).rows.isEmpty)
    }
}
