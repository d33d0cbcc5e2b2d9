import Foundation
@testable import LeadData
import Testing

/// Streaming events.csv: file order, event codes, every bad row, skipping, and agreement with a simple
/// reference on random files.
@Suite struct EventReaderTests {
    static let contacts = "contact_id,created_at\nC1,2026-01-01\nC2,2026-02-01\n\"C,3\",2026-01-01\nC7,2026-01-01\n"

    func files(_ events: String) -> HistoryFiles {
        HistoryFiles(["contacts.csv": Self.contacts, "events.csv": events])
    }

    func read(_ events: String, policy: BadRowPolicy = .init()) throws -> HistoryFiles.EventResult {
        let files = files(events)
        defer { files.remove() }
        return files.events(contacts: try files.contacts(), policy: policy)
    }

    func error(_ rows: String) throws -> String? {
        try read("contact_id,timestamp,event\n" + rows).error
    }

    @Test func unsortedEventsArriveInFileOrderWithCodesByFirstAppearance() throws {
        let result = try read("""
            event,url,timestamp,contact_id
            webinar_attended,https://x/1,2026-03-05T10:00:00Z,C2
            page_view,"https://x/a,b",2026-02-01T09:00:00+01:00,C1
            webinar_attended,,2026-03-01,"C,3"
            demo_request,"multi
            line",2026-01-20 12:00,C1

            """)
        #expect(result.error == nil)
        #expect(result.names == ["webinar_attended", "page_view", "demo_request"])
        #expect(result.events == [
            "C2 2026-03-05T10:00:00Z webinar_attended",
            "C1 2026-02-01T08:00:00Z page_view",
            "C,3 2026-03-01T00:00:00Z webinar_attended",
            "C1 2026-01-20T12:00:00Z demo_request",
        ])
    }

    @Test func headerOnlyIsAnEmptyHistory() throws {
        let result = try read("contact_id,timestamp,event\n")
        #expect(result.error == nil)
        #expect(result.events.isEmpty)
    }

    @Test func missingColumnsAndEmptyFilesStop() throws {
        #expect(try read("contact_id,time,event\nC1,2026-03-01,x\n").error
            == "events.csv:1: missing column \"timestamp\" (the header has: contact_id, time, event)")
        #expect(try read("contact_id,timestamp,Event\nC1,2026-03-01,x\n").error
            == "events.csv:1: missing column \"event\" (the header has: contact_id, timestamp, Event); column 3 is \"Event\": names are case-sensitive")
        #expect(try read("").error == "events.csv: the file is empty: expected a header row")
        #expect(try read("", policy: .skipAll).error == "events.csv: the file is empty: expected a header row")
    }

    @Test("each bad row stops the read with its line and reason", arguments: [
        ("C1,2026-03-01,a\nC999,2026-03-01,a\n", "events.csv:3: unknown contact_id \"C999\" (not in contacts.csv)"),
        ("C1,2026-03-01,a\n,2026-03-01,a\n", "events.csv:3: empty contact_id"),
        ("C1,2026-03-01,\n", "events.csv:2: empty event name"),
        ("C1,2026-03-01,a\nC1,2026-03-01,\n", "events.csv:3: empty event name"),
        ("C1,2026-13-01,a\n", "events.csv:2: column \"timestamp\": \"2026-13-01\" is not an ISO 8601 date or time"),
        ("C1,,a\n", "events.csv:2: column \"timestamp\": \"\" is not an ISO 8601 date or time"),
        ("C2,2026-01-01T00:00:00Z,a\n", "events.csv:2: event at 2026-01-01T00:00:00Z is before the contact was created (2026-02-01T00:00:00Z)"),
        ("C1,2026-03-01,a\nC2,2026-01-31T23:59:59Z,a\n", "events.csv:3: event at 2026-01-31T23:59:59Z is before the contact was created (2026-02-01T00:00:00Z)"),
        ("C1,2026-03-01\n", "events.csv:2: expected 3 fields (as in the header), found 2"),
        ("C1;2026-03-01;a\n", "events.csv:2: expected 3 fields (as in the header), found 1 (is the file comma-separated? this line has semicolons)"),
        ("C1\t2026-03-01\ta\n", "events.csv:2: expected 3 fields (as in the header), found 1 (is the file comma-separated? this line has tabs)"),
        ("C1,2026-03-01,a,b\n", "events.csv:2: expected 3 fields (as in the header), found 4"),
        ("\"C1\"x,2026-03-01,a\n", "events.csv:2: unexpected character after closing quote in field 1"),
        ("C1,2026-03-01,a\nC1,2026-03-01,\"a\n", "events.csv:3: unbalanced quote: the quoted field that starts here never ends"),
        ("C1,2026-03-01,\"two-line\nevent\"\nC9,2026-03-01,a\n", "events.csv:4: unknown contact_id \"C9\" (not in contacts.csv)"),
    ])
    func badRowStops(rows: String, expected: String) throws {
        #expect(try error(rows) == expected)
    }

    @Test func invalidUTF8InAnEventNameStops() throws {
        let files = HistoryFiles(["contacts.csv": Self.contacts])
        defer { files.remove() }
        files.write("events.csv", Array("contact_id,timestamp,event\nC1,2026-03-01,caf".utf8) + [0xE9, 0x0A])
        #expect(files.events(contacts: try files.contacts()).error == "events.csv:2: invalid UTF-8 in column \"event\"")
    }

    @Test func eventsAtTheMomentOfCreationAreKept() throws {
        #expect(try read("contact_id,timestamp,event\nC2,2026-02-01T00:00:00Z,a\nC2,2026-02-01T01:00:00+01:00,b\n").events.count == 2)
    }

    @Test func goodRowsBeforeAnErrorAreHandedOverFirst() throws {
        var text = "contact_id,timestamp,event\n"
        for k in 0..<1000 { text += "C1,2026-03-01T00:00:00Z,e\(k % 3)\n" }
        text += "C9,2026-03-01,e0\n"
        for _ in 0..<10 { text += "C1,2026-03-01,e0\n" }
        let result = try read(text)
        #expect(result.events.count == 1000)
        #expect(result.error == "events.csv:1002: unknown contact_id \"C9\" (not in contacts.csv)")
    }

    @Test func skippingPassesOverBadRowsAndCountsEachReason() throws {
        let result = try read("""
            contact_id,timestamp,event
            C1,2026-03-01,a
            C999,2026-03-01,a
            ,2026-03-01,a
            C1,yesterday,a
            C1,2026-03-01,
            C2,2026-01-15,a
            C1,2026-03-01
            C1,2026-03-02,b
            C999,2026-03-01,a
            "C,3",2026-03-03,a

            """, policy: .skipAll)
        #expect(result.error == nil)
        #expect(result.events == ["C1 2026-03-01T00:00:00Z a", "C1 2026-03-02T00:00:00Z b", "C,3 2026-03-03T00:00:00Z a"])
        #expect(result.skipped == [
            "events.csv: unknown contact id": 2, "events.csv: empty contact_id": 1, "events.csv: bad timestamp": 1,
            "events.csv: empty event name": 1, "events.csv: event before created_at": 1, "events.csv: malformed row": 1,
        ])
    }

    @Test func skippedExamplesAreTheFirstOfEachReason() throws {
        let files = files("contact_id,timestamp,event\nC1,2026-03-01,a\nC999,2026-03-01,a\nC998,2026-03-01,a\n")
        defer { files.remove() }
        var skipped = SkippedRows()
        let events = try EventReader(path: files.path("events.csv"))
        var count = 0
        try events.forEach(contacts: try files.contacts(), policy: .skipAll, skipped: &skipped) { _, _, _ in count += 1 }
        #expect(count == 1)
        let key = files.path("events.csv") + ": unknown contact id"
        #expect(skipped.counts == [key: 2])
        #expect(skipped.firstExamples == [key: files.path("events.csv") + ":3: unknown contact_id \"C999\" (not in contacts.csv)"])
        #expect(skipped.total == 2)
        #expect(skipped.lines == [key + ": 2 rows (first: " + files.path("events.csv") + ":3: unknown contact_id \"C999\" (not in contacts.csv))"])
        #expect(events.rowsRead == 3)
    }

    @Test func countsRowsAndBytes() throws {
        let text = "contact_id,timestamp,event\r\nC1,2026-03-01,a\r\nC1,2026-03-02,b\r\n"
        let files = files(text)
        defer { files.remove() }
        let events = try EventReader(path: files.path("events.csv"))
        #expect(events.header == ["contact_id", "timestamp", "event"])
        var skipped = SkippedRows()
        try events.forEach(contacts: try files.contacts(), skipped: &skipped) { _, _, _ in }
        #expect(events.rowsRead == 2)
        #expect(events.bytesRead == text.utf8.count)
        #expect(events.eventNames == ["a", "b"])
    }

    @Test func longAndOddEventNamesAndIds() throws {
        let names = ["a", "ab", "abc", "abcd", "abcde", "page_vie", "page_view", "pricing_page_view", "pricing_page_vie",
                     "webinar_attended", "webinar_attendee", "a much longer event name with spaces, commas and \"quotes\"",
                     "a much longer event name with spaces, commas and \"quotez\"", "日本語のイベント", "é"]
        var text = "contact_id,timestamp,event\n"
        var expected: [String] = []
        for round in 0..<3 {
            for (k, name) in names.enumerated() {
                let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                text += "C1,2026-03-0\(round + 1)T00:00:\(10 + k)Z,\(quoted)\n"
                expected.append("C1 2026-03-0\(round + 1)T00:00:\(10 + k)Z \(name)")
            }
        }
        let result = try read(text)
        #expect(result.error == nil)
        #expect(result.names == names)
        #expect(result.events == expected)
    }

    /// Enough contacts that many lookups run past their first cache line of the index (probed in later rounds).
    @Test func everyContactOfALargeTableIsFound() throws {
        var contactsText = "contact_id,created_at\n"
        let ids = (0..<20_000).map { k in k % 3 == 0 ? "lead-\(k)" : k % 3 == 1 ? "C\(k)" : "00Q5e00000\(k)ABCDEFGHIJ" }
        for id in ids { contactsText += "\(id),2026-01-01\n" }
        var eventsText = "contact_id,timestamp,event\n"
        var expected: [String] = []
        var random = SeededGenerator(seed: 11)
        for _ in 0..<30_000 {
            let id = ids[Int(random.next() % UInt64(ids.count))]
            eventsText += "\(id),2026-02-01T00:00:00Z,visit\n"
            expected.append("\(id) 2026-02-01T00:00:00Z visit")
        }
        eventsText += "lead-20000,2026-02-01,visit\n"
        let files = HistoryFiles(["contacts.csv": contactsText, "events.csv": eventsText])
        defer { files.remove() }
        let contacts = try files.contacts()
        let result = files.events(contacts: contacts)
        #expect(result.events == expected)
        #expect(result.error == "events.csv:30002: unknown contact_id \"lead-20000\" (not in contacts.csv)")
    }

    /// Random histories with good and bad rows, read with and without skipping, with every read size, one
    /// row at a time and in batches: the same events and counts as a dictionary-based reference.
    @Test("random histories agree with a simple reference", arguments: 0..<12 as Range<UInt64>)
    func randomHistoriesAgreeWithReference(seed: UInt64) throws {
        var random = SeededGenerator(seed: 500 + seed)
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        let contactCount = 1 + Int(random.next() % 300)
        var ids: [String] = []
        var seen = Set<String>()
        while ids.count < contactCount {
            let id = pick(["C", "lead-", "003xx000004TmiQAAS-", "a,b", "q\"", "Zoë", ""]) + String(random.next() % 5000)
            if seen.insert(id).inserted { ids.append(id) }
        }
        let created = ids.map { _ in Int64(1_767_225_600 + Int(random.next() % 5_000_000)) }
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) || random.next() % 10 == 0
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var contactsText = "contact_id,created_at\n"
        for (id, time) in zip(ids, created) { contactsText += field(id) + "," + Timestamp(seconds: time).iso8601 + "\n" }

        let names = ["page_view", "email_open", "pricing_page_view", "demo_request", "a", "content_download_whitepaper_2026"]
        var eventsText = "contact_id,timestamp,event,campaign\n"
        var line = 2
        var expected: [String] = []
        var firstError: String?
        var reasons: [String: Int] = [:]
        var goodBeforeError = 0
        func bad(_ reason: String, _ message: String) {
            if firstError == nil {
                firstError = "events.csv:\(line): " + message
                goodBeforeError = expected.count
            }
            reasons["events.csv: " + reason, default: 0] += 1
        }
        let rowCount = Int(random.next() % 3000)
        for _ in 0..<rowCount {
            let c = Int(random.next() % UInt64(contactCount))
            var time = created[c] + Int64(random.next() % 10_000_000)
            var id = ids[c]
            var name = pick(names)
            var timeText = Timestamp(seconds: time).iso8601
            let extra = pick(["", "spring", "multi\nline", "x,y"])
            var tail = ""
            switch random.next() % 40 {
            case 0:
                id = "nobody"
                bad("unknown contact id", "unknown contact_id \"nobody\" (not in contacts.csv)")
            case 1:
                timeText = "2026-02-30"
                bad("bad timestamp", "column \"timestamp\": \"2026-02-30\" is not an ISO 8601 date or time")
            case 2:
                name = ""
                bad("empty event name", "empty event name")
            case 3:
                time = created[c] - 1
                timeText = Timestamp(seconds: time).iso8601
                bad("event before created_at", "event at \(timeText) is before the contact was created (\(Timestamp(seconds: created[c]).iso8601))")
            case 4:
                id = ""
                bad("empty contact_id", "empty contact_id")
            case 5:
                tail = ",surplus"
                bad("malformed row", "expected 4 fields (as in the header), found 5")
            default:
                expected.append("\(ids[c]) \(timeText) \(name)")
            }
            let row = [field(id), timeText, field(name), field(extra)].joined(separator: ",") + tail + pick(["\n", "\r\n"])
            eventsText += row
            line += row.filter { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }.count
        }
        let files = HistoryFiles(["contacts.csv": contactsText, "events.csv": eventsText])
        defer { files.remove() }
        let contacts = try files.contacts()
        #expect(contacts.ids == ids)
        for chunkSize in [1, 13, 4096, 1 << 20] {
            for batches in [false, true] {
                let skipping = files.events(contacts: contacts, policy: .skipAll, chunkSize: chunkSize, batches: batches)
                #expect(skipping.error == nil)
                #expect(skipping.events == expected, "seed \(seed), chunk \(chunkSize)")
                #expect(skipping.skipped == reasons, "seed \(seed), chunk \(chunkSize)")
                let stopping = files.events(contacts: contacts, chunkSize: chunkSize, batches: batches)
                #expect(stopping.error == firstError, "seed \(seed), chunk \(chunkSize)")
                #expect(stopping.events == Array(expected.prefix(firstError == nil ? expected.count : goodBeforeError)))
            }
        }
    }

    /// By default events logged before their contact was created (back-filled from cookies) are kept and counted.
    @Test func eventsBeforeCreationAreKeptAndCounted() throws {
        let files = files("contact_id,timestamp,event\nC1,2026-03-01,a\nC2,2026-01-15,a\nC2,2026-02-15,b\n")
        defer { files.remove() }
        let result = files.events(contacts: try files.contacts(), early: .keep)
        #expect(result.error == nil)
        #expect(result.events == ["C1 2026-03-01T00:00:00Z a", "C2 2026-01-15T00:00:00Z a", "C2 2026-02-15T00:00:00Z b"])
        #expect(result.early == 1)
    }
}
