import Foundation
import LeadData
@testable import Rules
import Testing

/// Reading rules files: defaults, the shipped seed, and an error naming the key for every kind of mistake.
@Suite struct RuleSetFileTests {
    func load(_ text: String) throws(InputError) -> RuleSet {
        let path = NSTemporaryDirectory() + "rules-\(UUID().uuidString).json"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try RuleSetFile.load(path: path)
    }

    func message(_ text: String) -> String? {
        do { _ = try load(text); return nil } catch { return error.message }
    }

    @Test func readsTheShippedSeedRules() throws {
        let seed = try RuleSetFile.load(path: "datasets/rules/seed.json")
        #expect(seed.name == "seed")
        #expect(seed.events.map(\.event) == ["demo_request", "pricing_page_view", "webinar_attended", "page_view", "email_open", "unsubscribe"])
        #expect(seed.events.map(\.points) == [25, 15, 20, 5, 2, -10])
        #expect(seed.events.allSatisfy { $0.per == .occurrence && $0.cap == nil && $0.windowDays == nil })
        #expect(seed.inactivity == InactivityRule(days: 30, points: -5))
        #expect(seed.bands == PointBand.standard)
    }

    @Test func defaultsApplyAndTheNameComesFromTheFile() throws {
        let rules = try load(#"{"events": [{"event": "demo_request", "points": 25, "per": "once"}]}"#)
        #expect(rules.bands == PointBand.standard)
        #expect(rules.events[0].per == .once)
        #expect(rules.name?.hasPrefix("rules-") == true)
    }

    @Test(arguments: [
        (#"{"events": [{"event": "x", "points": 1, "pts": 2}]}"#, "unknown key \"events[0].pts\""),
        (#"{"event": []}"#, "unknown key \"event\""),
        (#"{"events": [{"event": "x", "points": "ten"}]}"#, "\"events[0].points\" should be a number, found a string"),
        (#"{"events": [{"event": "x"}]}"#, "\"events[0].points\" is missing"),
        (#"{"events": [{"event": "x", "points": 1, "per": "day"}]}"#, "\"events[0].per\""),
        (#"{"events": [{"event": "x", "points": 1, "cap": 0}]}"#, "\"events[0].cap\" must be a positive number"),
        (#"{"events": [{"event": "x", "points": 1, "per": "once", "cap": 5}]}"#, "\"events[0].cap\" only applies"),
        (#"{"events": [{"event": "x", "points": 1, "window_days": 0}]}"#, "\"events[0].window_days\" must be from 1"),
        (#"{"events": [{"event": "x", "points": 1}, {"event": "x", "points": 2}]}"#, "\"events[1]\" repeats \"events[0]\""),
        (#"{"profile": [{"field": "title", "points": 5}]}"#, "\"profile[0]\" needs exactly one of"),
        (#"{"profile": [{"field": "title", "points": 5, "equals": "VP", "min": 3}]}"#, "\"profile[0]\" needs exactly one of"),
        (#"{"profile": [{"field": "size", "points": 5, "min": 30, "max": 3}]}"#, "\"profile[0]\": \"min\" must be below \"max\""),
        (#"{"inactivity": {"days": 0, "points": -5}}"#, "\"inactivity.days\" must be from 1"),
        (#"{}"#, "the rules file has no rules"),
        (#"{"inactivity": {"days": 30, "points": -5}, "bands": [{"name": "hot"}, {"name": "cold"}]}"#, "\"bands[0].min_points\" is missing"),
        (#"{"inactivity": {"days": 30, "points": -5}, "bands": [{"name": "hot", "min_points": 5}, {"name": "warm", "min_points": 9}, {"name": "cold"}]}"#,
         "\"bands[1].min_points\" must be below the band before it (5)"),
        (#"{"inactivity": {"days": 30, "points": -5}, "bands": [{"name": "hot", "min_points": 5}]}"#, "\"bands[0]\" is the last band"),
        (#"{"events": [{"event": "x", "points": 1}]"#, "the JSON ends early at line 1: the file is truncated"),
        (#"{"events": [{"event": "x", "points": 1},]}"#, "not JSON (found \"]\" where a value should be)"),
    ])
    func mistakesAreErrorsThatNameTheKey(text: String, expected: String) {
        let got = message(text)
        #expect(got?.contains(expected) == true, "got: \(got ?? "no error")")
    }

    @Test func writtenRulesReadBackTheSame() throws {
        let rules = RuleSet(name: "mine", events: [EventRule(event: "demo_request", points: 25, cap: 50, windowDays: 90)],
                            profile: [ProfileRule(field: "size", points: 10, min: 200)],
                            inactivity: InactivityRule(days: 30, points: -5),
                            calibration: PointsCalibration(intercept: -3.5, perPoint: 0.04))
        let path = NSTemporaryDirectory() + "rules-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try RuleSetFile.write(rules, to: path)
        #expect(try RuleSetFile.load(path: path) == rules)
        #expect(rules.fingerprint.count == 16)
        var renamed = rules
        renamed.name = "other"
        #expect(renamed.fingerprint == rules.fingerprint)
        renamed.events[0].points = 26
        #expect(renamed.fingerprint != rules.fingerprint)
    }

    @Test func bandsFollowPoints() {
        let rules = RuleSet(inactivity: InactivityRule(days: 30, points: -5))
        #expect(rules.band(points: 80) == "sales-ready")
        #expect(rules.band(points: 79.5) == "MQL")
        #expect(rules.band(points: 50) == "MQL")
        #expect(rules.band(points: -20) == "early-stage")
    }
}
