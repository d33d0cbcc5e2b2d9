import Features
import Foundation
import LeadData
import Scoring
import Testing
import Workflows

/// History training at the edges: spans far beyond any data must not overflow the arithmetic of cutoffs, and a spec
/// that names event types the data never has says so.
@Suite struct HistoryTrainingTests {
    @Test func aSpecNamingEventTypesTheDataNeverHasGetsANote() throws {
        let f = HistoryScoringTests.write(withLater: false)
        var training = HistoryTraining(contacts: f.contacts, events: f.events, outcomes: f.outcomes)
        let seen = try training.prepare().vocabulary.kept
        #expect(try training.prepare().notes.allSatisfy { !$0.contains("names event types") })
        training.spec.events = seen + ["pricing_page_veiw"]
        training.spec.excludeEvents = ["no_such_event", seen[0]]
        training.specPath = "/tmp/spec.json"
        let notes = try training.prepare().notes
        #expect(notes.contains("spec.json: \"events\" names event types that no decided contact has before its cutoff: \"pricing_page_veiw\" (check the spelling against events.csv)"))
        // An excluded type that the data do have is not news.
        #expect(notes.contains("spec.json: \"exclude_events\" names event types that no decided contact has before its cutoff: \"no_such_event\" (check the spelling against events.csv)"))
    }

    @Test func anImplicitLossSpanBeyondAllTimeCountsNoContactAsLostInsteadOfOverflowing() throws {
        let f = HistoryScoringTests.write(withLater: false)
        let decided = try HistoryTraining(contacts: f.contacts, events: f.events, outcomes: f.outcomes).prepare().examples
        var forever = HistoryTraining(contacts: f.contacts, events: f.events, outcomes: f.outcomes)
        forever.implicitLostAfter = TimeSpan(seconds: .max)
        let examples = try forever.prepare().examples
        #expect(examples.implicitLosses == 0)
        #expect(examples.rows == decided.rows)
    }
}
