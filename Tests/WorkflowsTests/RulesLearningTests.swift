import Foundation
import Rules
import Testing
import _TestSupport
import Workflows

/// The points-card search finds a planted card: conversion generated from a demo request (ever), pricing page views
/// in the last 30 days (up to three count) and being a student, among noise events and profile values.
@Suite struct RulesLearningTests {
    static let files: (contacts: String, events: String, outcomes: String) = {
        var state: UInt64 = 18
        func uniform() -> Double { SyntheticHistory.uniform(&state) }
        let day = SyntheticHistory.day, start = SyntheticHistory.start
        var contacts = ["contact_id,created_at,job_title,region"], events = ["contact_id,timestamp,event"], outcomes = ["contact_id,outcome,decided_at"]
        for i in 0..<5000 {
            let id = "P\(i)"
            let created = start + Int64(uniform() * 300 * Double(day))
            let title = ["Student", "Manager", "VP", "Engineer", "Analyst"][Int(uniform() * 5)]
            contacts.append("\(id),\(SyntheticHistory.iso(created)),\(title),\(["north", "south", "east", "west"][Int(uniform() * 4)])")
            let decided = created + (30 + Int64(uniform() * 120)) * day
            var history: [(Int64, String)] = []
            func occur(_ kind: String, _ times: Int, before: Int64) {
                for _ in 0..<times { history.append((created + Int64(uniform() * Double(before - created)), kind)) }
            }
            occur("page_view", Int(uniform() * 8), before: decided)
            occur("email_open", Int(uniform() * 6), before: decided)
            occur("pricing_page_view", Int(uniform() * uniform() * 7), before: decided)
            if uniform() < 0.3 { occur("demo_request", 1 + Int(uniform() * 2), before: decided) }
            for (time, kind) in history { events.append("\(id),\(SyntheticHistory.iso(time)),\(kind)") }
            let demo = history.contains { $0.1 == "demo_request" }
            let pricing30 = history.filter { $0.1 == "pricing_page_view" && decided - $0.0 <= 30 * day }.count
            let logOdds = -3.0 + (demo ? 1.8 : 0) + 0.6 * Double(min(pricing30, 3)) + (title == "Student" ? -1.8 : 0)
            outcomes.append("\(id),\(uniform() < 1 / (1 + exp(-logOdds)) ? "won" : "lost"),\(SyntheticHistory.iso(decided))")
        }
        return SyntheticHistory.write(contacts: contacts, events: events, outcomes: outcomes)
    }()

    @Test func theSearchFindsThePlantedCard() throws {
        var learning = RulesLearning(training: HistoryTraining(contacts: Self.files.contacts, events: Self.files.events,
                                                               outcomes: Self.files.outcomes))
        learning.ruleCount = 3
        let card = try learning.run().card
        #expect(card.signals.count == 3, "\(card)")
        let demo = try #require(card.events.first { $0.event == "demo_request" }, "\(card)")
        #expect(demo.points > 0)
        let pricing = try #require(card.events.first { $0.event == "pricing_page_view" }, "\(card)")
        #expect(pricing.points > 0)
        let student = try #require(card.profile.first { $0.field == "job_title" }, "\(card)")
        #expect(student.points < 0 && (student.equals == "Student" || student.oneOf?.contains("Student") == true), "\(student)")
        // At 20 points per doubling, the demo request is worth about 1.8 / ln 2 * 20 = 52 points.
        #expect(abs(demo.points - 52) <= 12, "\(demo)")
        // Bands at the model's: about a tenth of the decided contacts sales-ready.
        #expect(card.bands.count == 3 && card.bands[0].minPoints != nil)
        #expect(card.calibration.map { $0.perPoint > 0.02 && $0.perPoint < 0.05 } == true, "\(String(describing: card.calibration))")
    }

    /// With more examples than the search takes, an evenly spaced sample chooses the rules and every example fits
    /// their weights: the planted card is still found.
    @Test func aSampleOfTheExamplesChoosesTheRules() throws {
        var learning = RulesLearning(training: HistoryTraining(contacts: Self.files.contacts, events: Self.files.events,
                                                               outcomes: Self.files.outcomes))
        learning.ruleCount = 3
        learning.searchRows = 1_500
        let card = try learning.run().card
        #expect(card.events.contains { $0.event == "demo_request" && $0.points > 0 }, "\(card)")
        #expect(card.events.contains { $0.event == "pricing_page_view" && $0.points > 0 }, "\(card)")
        #expect(card.profile.contains { $0.field == "job_title" && $0.points < 0 }, "\(card)")
    }
}
