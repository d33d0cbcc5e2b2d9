import Foundation
import LeadData
import Scoring
import Testing

/// History training at the edges of time: spans far beyond any data must not overflow the arithmetic of cutoffs.
@Suite struct HistoryTrainingTests {
    @Test func anImplicitLossSpanBeyondAllTimeCountsNoContactAsLostInsteadOfOverflowing() throws {
        let f = HistoryScoringTests.files.write(withLater: false)
        let decided = try HistoryTraining(contacts: f.contacts, events: f.events, outcomes: f.outcomes).prepare().examples
        var forever = HistoryTraining(contacts: f.contacts, events: f.events, outcomes: f.outcomes)
        forever.implicitLostAfter = TimeSpan(seconds: .max)
        let examples = try forever.prepare().examples
        #expect(examples.implicitLosses == 0)
        #expect(examples.rows == decided.rows)
    }
}
