@testable import LeadData
import Testing

/// Counting skipped rows per file and reason, keeping the first example of each.
@Suite struct SkippedRowsTests {
    @Test func countsPerFileAndReasonWithTheFirstExample() {
        var skipped = SkippedRows()
        #expect(skipped.isEmpty)
        #expect(skipped.description == "")
        skipped.record(InputError(file: "events.csv", line: 17, message: "unknown contact_id \"C999\" (not in contacts.csv)"), reason: "unknown contact id")
        skipped.record(InputError(file: "events.csv", line: 20, message: "unknown contact_id \"C998\" (not in contacts.csv)"), reason: "unknown contact id")
        skipped.record(InputError(file: "contacts.csv", line: 3, message: "empty contact_id"), reason: "empty contact_id")
        #expect(!skipped.isEmpty)
        #expect(skipped.total == 3)
        #expect(skipped.counts == ["events.csv: unknown contact id": 2, "contacts.csv: empty contact_id": 1])
        #expect(skipped.firstExamples["events.csv: unknown contact id"] == "events.csv:17: unknown contact_id \"C999\" (not in contacts.csv)")
        #expect(skipped.count(inFile: "events.csv") == 2)
        #expect(skipped.lines == [
            "contacts.csv: empty contact_id: 1 row (first: contacts.csv:3: empty contact_id)",
            "events.csv: unknown contact id: 2 rows (first: events.csv:17: unknown contact_id \"C999\" (not in contacts.csv))",
        ])
    }

    /// `--max-bad-rows` values: a count or a share; anything else is nil.
    @Test func limitsReadAsCountsOrShares() {
        #expect(BadRowPolicy.Limit("250") == .rows(250))
        #expect(BadRowPolicy.Limit("2.5%") == .share(0.025))
        #expect(BadRowPolicy.Limit("0") == .rows(0))
        #expect(BadRowPolicy.Limit("100%") == .share(1))
        for bad in ["-1", "101%", "x", "", "%", "1.5", "nan%"] { #expect(BadRowPolicy.Limit(bad) == nil, "\(bad)") }
        #expect(BadRowPolicy.Limit.standard.description == "1%")
        #expect(BadRowPolicy.Limit.rows(1).description == "1 row")
    }
}
