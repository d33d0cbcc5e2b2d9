import Foundation
import LeadData
import Rules
import Scoring
import Testing
@testable import Workflows

/// What a model learns about a rules file: the points-to-probability calibration, the weight of each rule's own
/// signal, and the re-fitted rules written from them.
@Suite struct RulesBaselineTests {
    /// 20,000 leads with two rule signals: demos (0-3 occurrences) that matter, opens (0-9) that do not.
    func simulated() -> (RuleSignals, [Bool]) {
        let rules = RuleSet(events: [EventRule(event: "demo", points: 25), EventRule(event: "open", points: 2)],
                            inactivity: InactivityRule(days: 30, points: -5))
        var generator = SeededGenerator(seed: 42)
        var values: [Double] = [], labels: [Bool] = []
        for _ in 0..<20_000 {
            let demos = Double(generator.next() % 4), opens = Double(generator.next() % 10), quiet = Double(generator.next() % 2)
            values += [demos, opens, quiet]
            let logOdds = -3 + 0.8 * demos - 0.6 * quiet
            labels.append(generator.nextDouble() < 1 / (1 + exp(-logOdds)))
        }
        return (RuleSignals(rules: rules, rows: 20_000, values: values, unmatched: [:]), labels)
    }

    @Test func theRefitRecoversEachRulesOwnWeight() throws {
        let (signals, labels) = simulated()
        let baseline = try RulesFitter().fit(signals, labels: labels)
        let demo = baseline.refit[0], open = baseline.refit[1], quiet = baseline.refit[2]
        for (signal, truth) in [(demo, 0.8), (open, 0.0), (quiet, -0.6)] {
            let interval = try #require(signal.interval)
            #expect(interval.contains(truth), "\(signal.label): \(interval) should hold \(truth)")
        }
        #expect(baseline.calibration.perPoint > 0, "more points, more conversions")
        #expect(baseline.fingerprint == signals.rules.fingerprint)
    }

    @Test func aRuleThatNeverAppliesHasNoWeightAndSaysWhy() throws {
        let (signals, labels) = simulated()
        var values = signals.values
        for i in 0..<signals.rows { values[i * 3 + 1] = 0 }
        let silent = RuleSignals(rules: signals.rules, rows: signals.rows, values: values, unmatched: ["events[1]": "no \"open\" event in the data"])
        let baseline = try RulesFitter().fit(silent, labels: labels)
        #expect(baseline.refit[1].weight == nil)
        #expect(baseline.refit[1].note == "no \"open\" event in the data")
        #expect(baseline.refit[0].weight != nil)
    }

    @Test func refittedRulesKeepEachBandAtItsProbability() throws {
        let (signals, labels) = simulated()
        let baseline = try RulesFitter().fit(signals, labels: labels)
        let refitted = baseline.refittedRules()
        let scale = baseline.logOddsPerPoint
        #expect(refitted.events.map(\.event) == ["demo", "open"])
        for (rule, signal) in zip(refitted.events, baseline.refit) {
            #expect(rule.points == ((signal.weight ?? 0) / scale).rounded())
        }
        let calibration = try #require(refitted.calibration)
        for (old, new) in zip(signals.rules.bands, refitted.bands) {
            guard let before = old.minPoints, let after = new.minPoints else {
                #expect(old.minPoints == nil && new.minPoints == nil)
                continue
            }
            let was = baseline.calibration.intercept + baseline.calibration.perPoint * before
            let now = calibration.intercept + calibration.perPoint * after
            #expect(abs(was - now) <= scale / 2 + 1e-12, "\(old.name) starts at log-odds \(was) before and \(now) after")
        }
        // The written file reads back and scores like the fitted weights.
        let path = NSTemporaryDirectory() + "refit-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try RuleSetFile.write(refitted, to: path)
        #expect(try RuleSetFile.load(path: path) == refitted)
    }
}
