import Foundation
@testable import LeadData
import Testing

/// Reading contacts.csv: ids, creation times, typed profile columns, lookups, and every bad row.
@Suite struct ContactsTests {
    func categories(_ column: TableColumn?) -> (codes: [Int32], levels: [String])? {
        if case .categorical(let codes, let levels) = column?.values { return (codes, levels) }
        return nil
    }

    func numbers(_ column: TableColumn?) -> [Double]? {
        if case .numeric(let values) = column?.values { return values }
        return nil
    }

    @Test func readsIdsTimesAndTypedProfileColumns() throws {
        let files = HistoryFiles(["contacts.csv": """
            contact_id,industry,created_at,company_size,zip,notes
            C1,software,2026-01-05,120,02134,
            C2,retail,2026-01-06T09:30:00+01:00,,10001,call back
            C3,software,2026-01-07 10:00,7.5,02134,

            """])
        defer { files.remove() }
        let contacts = try files.contacts()
        #expect(contacts.count == 3)
        #expect(contacts.ids == ["C1", "C2", "C3"])
        #expect(contacts.createdAt.map(\.iso8601) == ["2026-01-05T00:00:00Z", "2026-01-06T08:30:00Z", "2026-01-07T10:00:00Z"])
        #expect(contacts.rowLines == [2, 3, 4])
        #expect(contacts.profile.map(\.name) == ["industry", "company_size", "zip", "notes"])
        let industry = try #require(categories(contacts.column(named: "industry")))
        #expect(industry.levels == ["software", "retail"])
        #expect(industry.codes == [0, 1, 0])
        let size = try #require(numbers(contacts.column(named: "company_size")))
        #expect(size[0] == 120 && size[1].isNaN && size[2] == 7.5)
        #expect(numbers(contacts.column(named: "zip")) == [2134, 10001, 2134])
        #expect(categories(contacts.column(named: "notes"))?.levels == ["", "call back"])
        #expect(contacts.column(named: "created_at") == nil)
        #expect(contacts.index(of: "C2") == 1)
        #expect(contacts.index(of: "C4") == nil)
        #expect(Array("C3".utf8).withUnsafeBufferPointer { contacts.index(ofBytes: $0) } == 2)
    }

    @Test func optionsForceIgnoreAndAreChecked() throws {
        let files = HistoryFiles(["contacts.csv": "contact_id,created_at,zip,score,notes\nC1,2026-01-01,02134,1,x\nC2,2026-01-01,10001,,y\n"])
        defer { files.remove() }
        var skipped = SkippedRows()
        let contacts = try files.contacts(
            options: TableReadOptions(categorical: ["zip"], numeric: ["score"], ignore: ["notes"]), skipped: &skipped)
        #expect(contacts.profile.map(\.name) == ["zip", "score"])
        #expect(categories(contacts.column(named: "zip"))?.levels == ["02134", "10001"])
        #expect(files.contactsError(options: TableReadOptions(ignore: ["created_at"]))
            == "contacts.csv: column \"created_at\" is required and cannot be declared ignored; only profile columns can")
        #expect(files.contactsError(options: TableReadOptions(numeric: ["size"]))
            == "contacts.csv: column \"size\" was declared numeric, but the file has no such column (the header has: contact_id, created_at, zip, score, notes)")
        #expect(files.contactsError(options: TableReadOptions(categorical: ["zip"], ignore: ["zip"]))
            == "contacts.csv: column \"zip\" was declared both categorical and ignored; choose one")
    }

    @Test func idsMayHoldQuotesCommasAndAnyUTF8() throws {
        let files = HistoryFiles(["contacts.csv": "contact_id,created_at\n\"C,1\",2026-01-01\n\"say \"\"hi\"\"\",2026-01-01\nZoë 日本,2026-01-01\n\"two\nlines\",2026-01-01\nC5,2026-01-01\n"])
        defer { files.remove() }
        let contacts = try files.contacts()
        #expect(contacts.ids == ["C,1", "say \"hi\"", "Zoë 日本", "two\nlines", "C5"])
        #expect(contacts.rowLines == [2, 3, 4, 5, 7])
        for (k, id) in contacts.ids.enumerated() {
            #expect(contacts.index(of: id) == Int32(k))
        }
    }

    @Test func longAndShortIdsAreFoundAndNearMissesAreNot() throws {
        var random = SeededGenerator(seed: 3)
        var ids: [String] = []
        var seen = Set<String>()
        while ids.count < 3000 {
            let length = Int(random.next() % 41)
            let id = String((0..<length).map { _ in "abcXYZ019-_".randomElement(using: &random)! })
            if seen.insert(id).inserted { ids.append(id) }
        }
        let contacts = Contacts(path: "contacts.csv", ids: ids, createdAt: ids.map { _ in Timestamp(seconds: 0) })
        for (k, id) in ids.enumerated() {
            #expect(contacts.index(of: id) == Int32(k))
            for near in [id + "a", "a" + id, String(id.dropLast()), String(id.dropFirst()), id.uppercased()] where !seen.contains(near) {
                #expect(contacts.index(of: near) == nil, "\(near) is not \(id)")
            }
        }
    }

    @Test func missingRequiredColumnListsTheHeader() {
        let files = HistoryFiles(["contacts.csv": "contact_id,industry\nC1,retail\n"])
        defer { files.remove() }
        #expect(files.contactsError() == "contacts.csv:1: missing column \"created_at\" (the header has: contact_id, industry)")
        files.write("contacts.csv", "id,created_at\nC1,2026-01-01\n")
        #expect(files.contactsError() == "contacts.csv:1: missing column \"contact_id\" (the header has: id, created_at)")
    }

    @Test func structuralProblemsAlwaysStop() {
        let files = HistoryFiles(["contacts.csv": ""])
        defer { files.remove() }
        var skipped = SkippedRows()
        func error() -> String? {
            do throws(InputError) {
                _ = try files.contacts(policy: .skipAll, skipped: &skipped)
                return nil
            } catch {
                return files.shown(error)
            }
        }
        #expect(error() == "contacts.csv: the file is empty: expected a header row")
        files.write("contacts.csv", "contact_id,created_at\n")
        #expect(error() == "contacts.csv: the file has a header but no data rows")
        files.write("contacts.csv", "contact_id,created_at\n,2026-01-01\nC1,never\n")
        #expect(error()?.hasPrefix("contacts.csv: every one of the 2 data rows is bad, so the file was misread, not a few rows: bad timestamp 1 (first: ") == true)
    }

    @Test("each bad row stops the read with its line and reason", arguments: [
        ("C1,2026-01-01\n,2026-01-02\n", "contacts.csv:3: empty contact_id"),
        ("C1,2026-01-01\nC2,2026-01-01\nC7,2026-01-01\nC7,2026-01-02\n", "contacts.csv:5: duplicate contact \"C7\" (first seen on line 4)"),
        ("C1,2026-13-01\n", "contacts.csv:2: column \"created_at\": \"2026-13-01\" is not an ISO 8601 date or time"),
        ("C1,\n", "contacts.csv:2: column \"created_at\": \"\" is not an ISO 8601 date or time"),
        ("C1,2026-02-30T10:00:00Z\n", "contacts.csv:2: column \"created_at\": \"2026-02-30T10:00:00Z\" is not an ISO 8601 date or time"),
        ("C1,2026-01-01,x\n", "contacts.csv:2: expected 2 fields (as in the header), found 3"),
        ("C1;2026-01-01\n", "contacts.csv:2: expected 2 fields (as in the header), found 1 (is the file comma-separated? this line has semicolons)"),
        ("\"C1\"x,2026-01-01\n", "contacts.csv:2: unexpected character after closing quote in field 1"),
        ("C1,2026-01-01\n\"C2,2026-01-01\n", "contacts.csv:3: unbalanced quote: the quoted field that starts here never ends"),
    ])
    func badRowStops(rows: String, expected: String) {
        let files = HistoryFiles(["contacts.csv": "contact_id,created_at\n" + rows])
        defer { files.remove() }
        #expect(files.contactsError() == expected)
    }

    @Test func badProfileValuesStop() {
        let files = HistoryFiles(["contacts.csv": "contact_id,created_at,size\nC1,2026-01-01,10\nC2,2026-01-01,NaN\n"])
        defer { files.remove() }
        #expect(files.contactsError() == "contacts.csv:3: column \"size\": NaN is not a usable number")
        files.write("contacts.csv", "contact_id,created_at,size\nC1,2026-01-01,10\nC2,2026-01-01,lots\n")
        #expect(files.contactsError(options: TableReadOptions(numeric: ["size"]))
            == "contacts.csv:3: column \"size\": \"lots\" is not a number (the column was declared numeric)")
        files.write("contacts.csv", Array("contact_id,created_at,city\nC1,2026-01-01,Caf".utf8) + [0xE9, 0x0A])
        #expect(files.contactsError() == "contacts.csv:2: invalid UTF-8 in column \"city\"")
        files.write("contacts.csv", Array("contact_id,created_at\nC".utf8) + [0xE9] + Array(",2026-01-01\n".utf8))
        #expect(files.contactsError() == "contacts.csv:2: invalid UTF-8 in column \"contact_id\"")
    }

    @Test func skippingKeepsGoodRowsCountsBadOnesAndKeepsColumnsAligned() throws {
        let files = HistoryFiles(["contacts.csv": """
            contact_id,created_at,industry,size
            C1,2026-01-01,software,10
            ,2026-01-01,empty-id,1
            C2,2026-13-01,bad-time,2
            C1,2026-01-03,duplicate,3
            C3,2026-01-02,retail,x-not-a-number-makes-size-categorical
            C4,2026-01-02,too,many,fields
            C5,2026-01-04,"quote"x,5
            C6,2026-01-05,software,6

            """])
        defer { files.remove() }
        var skipped = SkippedRows()
        let contacts = try files.contacts(policy: .skipAll, skipped: &skipped)
        #expect(contacts.ids == ["C1", "C3", "C6"])
        #expect(contacts.rowLines == [2, 6, 9])
        #expect(categories(contacts.column(named: "industry"))?.levels == ["software", "retail"])
        #expect(categories(contacts.column(named: "industry"))?.codes == [0, 1, 0])
        #expect(categories(contacts.column(named: "size"))?.levels == ["10", "x-not-a-number-makes-size-categorical", "6"])
        #expect(files.shown(skipped) == [
            "contacts.csv: empty contact_id": 1, "contacts.csv: bad timestamp": 1, "contacts.csv: duplicate contact": 1,
            "contacts.csv: malformed row": 2,
        ])
        #expect(skipped.total == 5)
        #expect(skipped.firstExamples[files.path("contacts.csv") + ": duplicate contact"]
            == files.path("contacts.csv") + ":5: duplicate contact \"C1\" (first seen on line 2)")
        #expect(skipped.firstExamples[files.path("contacts.csv") + ": malformed row"]
            == files.path("contacts.csv") + ":7: expected 4 fields (as in the header), found 5")
    }

    @Test func skippingDropsRowsWithNaNInANumericColumnAndReindexes() throws {
        let files = HistoryFiles(["contacts.csv": "contact_id,created_at,size,tier\nC1,2026-01-01,1,a\nC2,2026-01-01,inf,b\nC3,2026-01-01,3,c\n"])
        defer { files.remove() }
        var skipped = SkippedRows()
        let contacts = try files.contacts(policy: .skipAll, skipped: &skipped)
        #expect(contacts.ids == ["C1", "C3"])
        #expect(contacts.index(of: "C3") == 1)
        #expect(contacts.index(of: "C2") == nil)
        #expect(numbers(contacts.column(named: "size")) == [1, 3])
        #expect(categories(contacts.column(named: "tier"))?.levels == ["a", "c"])
        #expect(files.shown(skipped) == ["contacts.csv: bad number": 1])
        #expect(contacts.rowLines == [2, 4])
    }

    @Test func tinyReadChunksGiveTheSameContacts() throws {
        let text = "\u{FEFF}contact_id,created_at,industry\r\n\"C,1\",2026-01-01,\"a\"\"b\"\r\n\r\nC2,2026-01-02T10:00:00Z,c\r\n"
        let files = HistoryFiles(["contacts.csv": text])
        defer { files.remove() }
        let reference = try files.contacts()
        #expect(reference.ids == ["C,1", "C2"])
        #expect(reference.rowLines == [2, 4])
        for chunkSize in [1, 2, 3, 5, 8] {
            var skipped = SkippedRows()
            let contacts = try files.contacts(skipped: &skipped, chunkSize: chunkSize)
            #expect(contacts.ids == reference.ids)
            #expect(contacts.createdAt == reference.createdAt)
            #expect(contacts.rowLines == reference.rowLines)
            #expect(categories(contacts.column(named: "industry"))?.levels == ["a\"b", "c"])
        }
    }

    /// Skipping stops rather than drop a whole category: every contact from "España", written in Windows-1252 and read
    /// as UTF-8, is a bad row, and the read names the level lost.
    @Test func skippingEveryRowOfALevelStops() throws {
        var bytes = Array("contact_id,created_at,country\n".utf8)
        for k in 0..<30 {
            let country: [UInt8] = k % 3 == 0 ? Array("Espa".utf8) + [0xF1] + Array("a".utf8) : Array((k % 3 == 1 ? "France" : "Italia").utf8)
            bytes += Array("C\(k),2026-01-01,".utf8) + country + [0x0A]
        }
        let files = HistoryFiles([:])
        defer { files.remove() }
        files.write("contacts.csv", bytes)
        var skipped = SkippedRows()
        #expect(throws: InputError.self) { _ = try files.contacts(policy: .skipAll, skipped: &skipped) }
        do throws(InputError) {
            _ = try files.contacts(policy: .skipAll, skipped: &skipped)
        } catch {
            #expect(files.shown(error).hasPrefix("contacts.csv: every row with \"country\" = \"Espa\u{FFFD}a\" (10 rows) is bad, so skipping would leave that whole category out (first: "))
        }
        // Read as Windows-1252, every row is good.
        var format = CSVFormat.standard
        format.encoding = .windows1252
        let contacts = try Contacts.read(file: SourceFile(path: files.path("contacts.csv"), format: format), skipped: &skipped)
        #expect(categories(contacts.column(named: "country"))?.levels == ["España", "France", "Italia"])
    }

    /// A profile column of dates is left out of the contacts, with a note.
    @Test func aProfileColumnOfDatesIsLeftOutWithANote() throws {
        let files = HistoryFiles(["contacts.csv": "contact_id,created_at,last_login,tier\nC1,2026-01-01,2026-02-01,a\nC2,2026-01-01,2026-03-01T10:00:00Z,b\n"])
        defer { files.remove() }
        let contacts = try files.contacts()
        #expect(contacts.profile.map(\.name) == ["tier"])
        #expect(contacts.notes == ["contacts.csv: column \"last_login\" holds dates (such as \"2026-02-01\"): left out, since a category per date means nothing"])
    }
}
