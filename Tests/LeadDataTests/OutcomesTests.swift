import Foundation
@testable import LeadData
import Testing

/// Reading outcomes.csv against the contacts: values, one outcome per contact, and every bad row.
@Suite struct OutcomesTests {
    static let contacts = "contact_id,created_at\nC1,2026-01-01\nC2,2026-01-01\nC3,2026-02-01\nC7,2026-01-01\n"

    /// Reads outcomes.csv with a second decided row for a contact refused, unless `several` says otherwise (most tests
    /// pin down the strict reader's errors); `values` maps the outcome column.
    func read(_ outcomes: String, policy: BadRowPolicy = .init(), several: SeveralOutcomes = .refuse,
              values: OutcomeValues? = nil) -> (Outcomes?, String?, [String: Int]) {
        let files = HistoryFiles(["contacts.csv": Self.contacts, "outcomes.csv": outcomes])
        defer { files.remove() }
        var skipped = SkippedRows()
        do throws(InputError) {
            let contacts = try files.contacts()
            let outcomes = try Outcomes.read(file: SourceFile(path: files.path("outcomes.csv")), contacts: contacts, values: values,
                                             several: several, policy: policy, skipped: &skipped)
            return (outcomes, nil, files.shown(skipped))
        } catch {
            return (nil, files.shown(error), files.shown(skipped))
        }
    }

    func error(_ rows: String) -> String? {
        read("contact_id,outcome,decided_at\n" + rows).1
    }

    @Test func readsOutcomesInFileOrder() throws {
        let (outcomes, error, _) = read("decided_at,contact_id,outcome,owner\n2026-03-01,C3,won,ann\n2026-03-02T10:00:00Z,C1,lost,bob\n")
        #expect(error == nil)
        let read = try #require(outcomes)
        #expect(read.count == 2)
        #expect(read.contact == [2, 0])
        #expect(read.won == [true, false])
        #expect(read.decidedAt.map(\.iso8601) == ["2026-03-01T00:00:00Z", "2026-03-02T10:00:00Z"])
        #expect(read.rowLines == [2, 3])
        #expect(read.byContact(count: 4) == [1, -1, 0, -1])
    }

    @Test("outcome spellings, any case", arguments: [
        ("won", true), ("lost", false), ("1", true), ("0", false), ("true", true), ("false", false), ("yes", true),
        ("no", false), ("WON", true), ("Lost", false), ("TRUE", true), ("No", false), (" won ", true),
    ])
    func outcomeSpellings(text: String, won: Bool) {
        let (outcomes, error, _) = read("contact_id,outcome,decided_at\nC1,\(text),2026-03-01\n")
        #expect(error == nil)
        #expect(outcomes?.won == [won])
    }

    /// A close date without a time on the day the contact was created (midnight, before the contact's time of day)
    /// means that day: decided at creation. A date-time before creation, or a date a day earlier, is still an error.
    @Test func aDateOnlyDecisionOnTheCreationDayIsTakenAsDecidedAtCreation() throws {
        let contacts = "contact_id,created_at\nC1,2026-03-01T15:30:00Z\nC2,2026-03-01T15:30:00Z\nC3,2026-03-01T15:30:00Z\n"
        func read(_ row: String) -> (Outcomes?, String?) {
            let files = HistoryFiles(["contacts.csv": contacts, "outcomes.csv": "contact_id,outcome,decided_at\n" + row])
            defer { files.remove() }
            var skipped = SkippedRows()
            do throws(InputError) {
                let outcomes = try Outcomes.read(file: SourceFile(path: files.path("outcomes.csv")), contacts: try files.contacts(), values: nil,
                                                 several: .refuse, policy: .init(), skipped: &skipped)
                return (outcomes, nil)
            } catch {
                return (nil, files.shown(error))
            }
        }
        #expect(read("C1,won,2026-03-01\n").0?.decidedAt.map(\.iso8601) == ["2026-03-01T15:30:00Z"])
        #expect(read("C2,won,2026-03-01T09:00:00Z\n").1 == "outcomes.csv:2: decided_at 2026-03-01T09:00:00Z is before the contact was created (2026-03-01T15:30:00Z)")
        #expect(read("C3,lost,2026-02-28\n").1 == "outcomes.csv:2: decided_at 2026-02-28T00:00:00Z is before the contact was created (2026-03-01T15:30:00Z)")
    }

    @Test func missingColumnListsTheHeader() {
        #expect(read("contact_id,result,decided_at\nC1,won,2026-03-01\n").1
            == "outcomes.csv:1: missing column \"outcome\" (the header has: contact_id, result, decided_at)")
        #expect(read("contact_id,outcome\nC1,won\n").1
            == "outcomes.csv:1: missing column \"decided_at\" (the header has: contact_id, outcome)")
        #expect(read("").1 == "outcomes.csv: the file is empty: expected a header row")
        #expect(read("contact_id,outcome,decided_at\n").1 == "outcomes.csv: the file has a header but no data rows")
    }

    @Test("each bad row stops the read with its line and reason", arguments: [
        ("C1,won,2026-03-01\nC999,won,2026-03-01\n", "outcomes.csv:3: unknown contact_id \"C999\" (not in contacts.csv)"),
        ("C1,won,2026-03-01\n,won,2026-03-01\n", "outcomes.csv:3: empty contact_id"),
        ("C1,maybe,2026-03-01\n", "outcomes.csv:2: outcome \"maybe\" is not won/lost (also accepted: 1/0, true/false, yes/no)"),
        ("C1,,2026-03-01\n", "outcomes.csv:2: outcome \"\" is not won/lost (also accepted: 1/0, true/false, yes/no)"),
        ("C1,won,03/01/2026\n", "outcomes.csv:2: column \"decided_at\": \"03/01/2026\" is not an ISO 8601 date or time"),
        ("C2,lost,2026-03-01\nC7,won,2026-03-01\nC7,lost,2026-03-05\n", "outcomes.csv:4: a second outcome for contact \"C7\" (first on line 3)"),
        ("C3,won,2026-01-01T00:00:00Z\n", "outcomes.csv:2: decided_at 2026-01-01T00:00:00Z is before the contact was created (2026-02-01T00:00:00Z)"),
        ("C1,won\n", "outcomes.csv:2: expected 3 fields (as in the header), found 2"),
    ])
    func badRowStops(rows: String, expected: String) {
        #expect(error(rows) == expected)
    }

    @Test func decidedAtTheMomentOfCreationIsFine() {
        #expect(error("C3,won,2026-02-01T00:00:00Z\n") == nil)
    }

    @Test func skippingKeepsTheFirstOutcomeAndCountsEachReason() throws {
        let (outcomes, error, skipped) = read("""
            contact_id,outcome,decided_at
            C1,won,2026-03-01
            C999,won,2026-03-01
            C2,maybe,2026-03-01
            C2,lost,2026-03-02
            C1,lost,2026-03-09
            C3,won,2026-01-15
            ,won,2026-03-01
            C7,won,soon
            C7,won,2026-03-01,extra

            """, policy: .skipAll)
        #expect(error == nil)
        #expect(outcomes?.contact == [0, 1])
        #expect(outcomes?.won == [true, false])
        #expect(outcomes?.rowLines == [2, 5])
        #expect(skipped == [
            "outcomes.csv: unknown contact id": 1, "outcomes.csv: bad outcome": 1, "outcomes.csv: second outcome": 1,
            "outcomes.csv: decided before created_at": 1, "outcomes.csv: empty contact_id": 1,
            "outcomes.csv: bad timestamp": 1, "outcomes.csv: malformed row": 1,
        ])
    }

    @Test func everyRowSkippedStops() {
        let (_, error, skipped) = read("contact_id,outcome,decided_at\nC9,won,2026-03-01\n", policy: .skipAll)
        #expect(error?.hasPrefix("outcomes.csv: every one of the 1 data row is bad, so the file was misread") == true)
        #expect(skipped == ["outcomes.csv: unknown contact id": 1])
    }

    /// By default a contact's outcome is its first decided row (the earliest), and later ones are counted, not errors.
    @Test func theFirstDecidedOutcomeCountsAndLaterOnesAreCounted() throws {
        let (outcomes, error, skipped) = read("""
            contact_id,outcome,decided_at
            C1,won,2026-03-09
            C1,lost,2026-03-01
            C2,won,2026-03-02
            C1,won,2027-03-01

            """, several: .first)
        #expect(error == nil)
        #expect(skipped.isEmpty)
        let read = try #require(outcomes)
        #expect(read.contact == [0, 1])
        #expect(read.won == [false, true])
        #expect(read.decidedAt.map(\.iso8601) == ["2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z"])
        #expect(read.rowLines == [3, 4])
        #expect(read.laterRows == 2)
        #expect(read.contactsWithSeveral == 1)
    }

    /// With won and lost values named (deal stages), every other value means still open: left out and counted.
    @Test func outcomeValuesMapDealStagesAndTheRestIsOpen() throws {
        let (outcomes, error, skipped) = read("""
            contact_id,outcome,decided_at
            C1,Closed Won,2026-03-09
            C2, closed lost ,2026-03-01
            C3,Appointment Scheduled,
            C3,Contract Sent,2026-03-01

            """, values: OutcomeValues(won: ["Closed Won"], lost: ["Closed Lost"]))
        #expect(error == nil)
        #expect(skipped.isEmpty)
        let read = try #require(outcomes)
        #expect(read.contact == [0, 1])
        #expect(read.won == [true, false])
        #expect(read.openRows == 2)
    }

    /// With every row open, nothing is decided: an error naming the values taken as won and lost.
    @Test func onlyOpenRowsIsAnError() {
        let (_, error, _) = read("contact_id,outcome,decided_at\nC1,Appointment Scheduled,\n",
                                 values: OutcomeValues(won: ["Closed Won"], lost: ["Closed Lost"]))
        #expect(error == "outcomes.csv: none of the 1 rows is decided: every \"outcome\" value is neither won (\"Closed Won\") nor lost (\"Closed Lost\")")
    }

    /// Skipping stops when a file loses more rows than the limit: the message gives count, share and reasons.
    @Test func skippingMoreThanTheLimitStops() {
        let outcomes = "contact_id,outcome,decided_at\nC1,won,2026-03-01\nC2,lost,2026-03-01\nC9,won,2026-03-01\nC3,maybe,2026-03-01\n"
        let (_, error, _) = read(outcomes, policy: BadRowPolicy(skip: true))
        #expect(error?.hasPrefix("outcomes.csv: 2 of 4 data rows (50%) are bad, more than the limit of 1%: ") == true)
        #expect(error?.contains("bad outcome 1 (first: ") == true)
        #expect(error?.contains("unknown contact id 1 (first: ") == true)
        let (kept, within, _) = read(outcomes, policy: BadRowPolicy(skip: true, limit: .rows(2)))
        #expect(within == nil)
        #expect(kept?.count == 2)
        let (_, over, _) = read(outcomes, policy: BadRowPolicy(skip: true, limit: .share(0.49)))
        #expect(over?.contains("more than the limit of 49%") == true)
    }
}
