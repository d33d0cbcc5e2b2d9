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
}
