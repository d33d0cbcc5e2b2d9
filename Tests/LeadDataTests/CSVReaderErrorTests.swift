import Foundation
@testable import LeadData
import Testing

/// Every error the reader reports, with its exact `file:line: message` text.
@Suite struct CSVReaderErrorTests {
    /// The description of the first error reading `text` gives, or nil; also checks 1-byte chunks agree.
    func firstError(_ text: String) -> String? {
        firstError(Array(text.utf8))
    }

    func firstError(_ bytes: [UInt8], name: String = "leads.csv") -> String? {
        let path = TemporaryFiles.write(bytes, name: name)
        defer { TemporaryFiles.remove(path) }
        let parsed = ParsedCSV.read(path)
        #expect(ParsedCSV.read(path, chunkSize: 1).error == parsed.error)
        guard let error = parsed.error else { return nil }
        #expect(error.file == path)
        // Report relative to the file name so the expectations read like what a user sees.
        var shown = error
        shown.file = name
        return shown.description
    }

    @Test func emptyFileNeedsAHeader() {
        #expect(firstError("") == "leads.csv: the file is empty: expected a header row")
    }

    @Test func fileOfEmptyLinesAndABOMIsEmpty() {
        #expect(firstError([0xEF, 0xBB, 0xBF, 0x0A, 0x0D, 0x0A]) == "leads.csv: the file is empty: expected a header row")
    }

    @Test func emptyHeaderNameIsNamedByPosition() {
        #expect(firstError("id,,name\n") == "leads.csv:1: column 2 has an empty name in the header")
        #expect(firstError("id,name,\n") == "leads.csv:1: column 3 has an empty name in the header")
    }

    @Test func duplicateHeaderNamesGiveBothPositions() {
        #expect(firstError("x,id,b,c,id\n") == "leads.csv:1: column \"id\" appears twice in the header (columns 2 and 5)")
    }

    @Test func invalidUTF8InTheHeaderIsAnError() {
        #expect(firstError([0x69, 0x64, 0x2C, 0xE9, 0x0A]) == "leads.csv:1: invalid UTF-8 in the header (column 2)")
    }

    @Test func invalidUTF8InAFieldNamesTheColumn() {
        // "Café" in Latin-1.
        #expect(firstError(Array("id,name\n1,ok\n2,Caf".utf8) + [0xE9, 0x0A]) == "leads.csv:3: invalid UTF-8 in column \"name\"")
    }

    @Test func tooFewFieldsIsAnErrorAtTheRecordsLine() {
        #expect(firstError("a,b,c,d,e\n1,2,3,4,5\n1,2,3\n") == "leads.csv:3: expected 5 fields (as in the header), found 3")
    }

    @Test func tooManyFieldsIsAnError() {
        #expect(firstError("a,b\n1,2,3\n") == "leads.csv:2: expected 2 fields (as in the header), found 3")
    }

    @Test func fieldCountErrorLineAccountsForEmbeddedNewlines() {
        #expect(firstError("a,b\n1,\"x\ny\nz\"\n2\n") == "leads.csv:5: expected 2 fields (as in the header), found 1")
    }

    @Test func semicolonSeparatedFileGetsAHint() {
        #expect(firstError("id;name;score\n1;Ann;3,5\n")
            == "leads.csv:2: expected 1 field (as in the header), found 2 (is the file comma-separated? this line has semicolons)")
    }

    @Test func semicolonsInARowWithTooFewFieldsGetAHint() {
        #expect(firstError("id,name,score\n1;Ann;3\n")
            == "leads.csv:2: expected 3 fields (as in the header), found 1 (is the file comma-separated? this line has semicolons)")
    }

    @Test func tabSeparatedFileGetsAHint() {
        #expect(firstError("id\tname\n1\tAnn, Jr.\n")
            == "leads.csv:2: expected 1 field (as in the header), found 2 (is the file comma-separated? this line has tabs)")
    }

    @Test func oneColumnHeaderWithSemicolonsGetsAHintEvenIfTheRowHasNone() {
        #expect(firstError("id;name\n1,2\n")
            == "leads.csv:2: expected 1 field (as in the header), found 2 (is the file comma-separated? the header has semicolons)")
    }

    @Test func titleLineAboveTheHeaderGetsAHint() {
        #expect(firstError("CRM export\nid,name\n1,Ann\n")
            == "leads.csv:2: expected 1 field (as in the header), found 2 (the header has a single column, \"CRM export\": is the first line of the file the header row?)")
    }

    @Test func textAfterAClosingQuoteIsAnError() {
        #expect(firstError("a,b,c\n1,\"ab\"c,3\n") == "leads.csv:2: unexpected character after closing quote in field 2")
    }

    @Test func unterminatedQuoteNamesTheLineWhereTheFieldStarts() {
        #expect(firstError("a,b\n1,2\n3,\"never\nends,\n4,5\n") == "leads.csv:3: unbalanced quote: the quoted field that starts here never ends")
    }

    @Test func unterminatedQuoteLineIsTheFieldsNotTheRecords() {
        #expect(firstError("a,b\n\"x\ny\",\"open\n") == "leads.csv:3: unbalanced quote: the quoted field that starts here never ends")
    }

    @Test func missingFileIsAnErrorWithoutALine() {
        let folder = TemporaryFiles.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/absent.csv"
        #expect(throws: InputError(file: path, line: nil, message: "cannot open the file: it does not exist")) {
            try CSVReader(path: path)
        }
        #expect(throws: InputError(file: folder, line: nil, message: "this is a folder, not a CSV file")) {
            try CSVReader(path: folder)
        }
    }

    @Test func descriptionLeavesOutAMissingLine() {
        #expect(InputError(file: "a.csv", line: 3, message: "bad").description == "a.csv:3: bad")
        #expect(InputError(file: "a.csv", line: nil, message: "bad").description == "a.csv: bad")
    }
}
