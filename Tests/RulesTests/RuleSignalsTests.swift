import Foundation
@testable import LeadData
@testable import Rules
import Testing

/// Turning rules into per-lead signals and points, in table mode and from history, point in time.
@Suite struct RuleSignalsTests {
    @Test func tableRulesReadCountsProfileValuesAndInactivity() throws {
        let table = Table(path: "t.csv", columns: [
            TableColumn(name: "demos", values: .numeric([0, 1, 3, .nan])),
            TableColumn(name: "opens", values: .numeric([10, 0, 2, 1])),
            TableColumn(name: "title", values: .categorical(codes: [0, 1, 0, 2], levels: ["VP", "Engineer", ""])),
            TableColumn(name: "size", values: .numeric([50, 200, 1000, .nan])),
            TableColumn(name: "quiet_days", values: .numeric([40, 3, 30, 29])),
        ], rowLines: [2, 3, 4, 5])
        let rules = RuleSet(events: [EventRule(event: "demos", points: 25, per: .once),
                                     EventRule(event: "opens", points: 2, cap: 6),
                                     EventRule(event: "chats", points: 3)],
                            profile: [ProfileRule(field: "title", points: 10, equals: "VP"),
                                      ProfileRule(field: "size", points: 5, min: 200, max: 1000)],
                            inactivity: InactivityRule(days: 30, points: -5, column: "quiet_days"))
        let signals = try RuleSignals.table(table, rules: rules, rulesPath: "r.json")
        #expect(signals.column(0) == [0, 1, 1, 0])
        #expect(signals.column(1) == [3, 0, 2, 1])          // capped at 6 points = 3 opens
        #expect(signals.column(2) == [0, 0, 0, 0])
        #expect(signals.unmatched == ["events[2]": "no column \"chats\" in t.csv"])
        #expect(signals.column(3) == [1, 0, 1, 0])
        #expect(signals.column(4) == [0, 1, 0, 0])          // max excluded, missing never matches
        #expect(signals.column(5) == [1, 0, 1, 0])
        let expected: [Double] = [11, 30, 34, 2]  // 6 opens pts + VP 10 - inactive 5; demo 25 + size 5; demo 25 + 4 + VP 10 - 5; 2
        #expect(signals.points == expected)
        #expect(signals.bands == ["early-stage", "early-stage", "early-stage", "early-stage"])
        #expect(signals.selectingRows([2, 0]).points == [34, 11])
    }

    @Test func tableModeRejectsWindowsAndInactivityWithoutAColumn() {
        let table = Table(path: "t.csv", columns: [TableColumn(name: "demos", values: .numeric([1]))], rowLines: [2])
        #expect(throws: InputError.self) {
            try RuleSignals.table(table, rules: RuleSet(events: [EventRule(event: "demos", points: 1, windowDays: 30)]), rulesPath: "r.json")
        }
        #expect(throws: InputError.self) {
            try RuleSignals.table(table, rules: RuleSet(inactivity: InactivityRule(days: 30, points: -5)), rulesPath: "r.json")
        }
    }

    @Test func historyRulesCountOnlyEventsBeforeEachCutoffWithinTheirWindows() throws {
        let day: Int64 = 86_400
        let t0 = Timestamp(seconds: 1_750_000_000)
        func at(_ days: Double) -> Timestamp { Timestamp(seconds: t0.seconds + Int64(days * Double(day))) }
        let contacts = Contacts(path: "contacts.csv", ids: ["A", "B", "C"], createdAt: [t0, t0, t0],
                                profile: [TableColumn(name: "title", values: .categorical(codes: [0, 1, 0], levels: ["VP", "Eng"]))])
        let rules = RuleSet(events: [EventRule(event: "demo", points: 25),
                                     EventRule(event: "view", points: 5, windowDays: 30),
                                     EventRule(event: "view", points: 1)],
                            profile: [ProfileRule(field: "title", points: 10, equals: "VP")],
                            inactivity: InactivityRule(days: 30, points: -5))
        // Rows: A and B (C is not selected); A's cutoff at day 100, B's at day 50.
        var accumulator = HistoryRuleAccumulator(rules: rules, rows: [0, 1], cutoffs: [at(100), at(50)], contacts: 3)
        let events: [(Int32, Timestamp, Int32)] = [
            (0, at(10), 1), (0, at(80), 1), (0, at(99), 0), (0, at(100), 0),   // A: views at 90 and 20 days back; a demo 1 day back; one at the cutoff
            (1, at(5), 1), (1, at(60), 0),                                       // B: a view 45 days back; a demo after its cutoff
            (2, at(1), 0),                                                       // C: not selected
        ]
        let c = events.map(\.0), t = events.map(\.1), e = events.map(\.2)
        c.withUnsafeBufferPointer { cp in
            t.withUnsafeBufferPointer { tp in
                e.withUnsafeBufferPointer { ep in accumulator.add(EventBatch(contacts: cp, times: tp, events: ep)) }
            }
        }
        let signals = try accumulator.signals(eventNames: ["demo", "view"], contacts: contacts)
        #expect(signals.column(0) == [1, 0])
        #expect(signals.column(1) == [1, 0])   // A: one view in the last 30 days; B's view is 45 days back
        #expect(signals.column(2) == [2, 1])
        #expect(signals.column(3) == [1, 0])
        #expect(signals.column(4) == [0, 1])   // A active 1 day back; B quiet 45 days
        let expected: [Double] = [42, -4]  // demo 25 + recent view 5 + two views 2 + VP 10; one view 1 - inactive 5
        #expect(signals.points == expected)
        #expect(signals.unmatched.isEmpty)
    }
}
