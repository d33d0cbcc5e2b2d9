import Foundation
@testable import LeadData
import Testing

/// The reader on hand-written files: quoting, line ends, BOM, empty lines and line numbers.
@Suite struct CSVReaderTests {
    /// Reads `text` (written to a temporary file) with the default chunk and with 1-byte chunks, which must agree.
    func read(_ text: String) -> ParsedCSV {
        read(Array(text.utf8))
    }

    func read(_ bytes: [UInt8]) -> ParsedCSV {
        let path = TemporaryFiles.write(bytes)
        defer { TemporaryFiles.remove(path) }
        let parsed = ParsedCSV.read(path)
        let tiny = ParsedCSV.read(path, chunkSize: 1)
        #expect(parsed.records == tiny.records)
        #expect(parsed.error?.message == tiny.error?.message)
        return parsed
    }

    typealias Row = ParsedCSV.Row

    @Test func plainRecordsKeepTheirFieldsAndLines() {
        let parsed = read("id,name\n1,Ann\n2,Bob\n")
        #expect(parsed.header == ["id", "name"])
        #expect(parsed.records == [Row(line: 2, fields: ["1", "Ann"]), Row(line: 3, fields: ["2", "Bob"])])
        #expect(parsed.error == nil)
    }

    @Test func quotedFieldsMayContainCommas() {
        let parsed = read("id,company\n1,\"Acme, Inc.\"\n")
        #expect(parsed.records == [Row(line: 2, fields: ["1", "Acme, Inc."])])
    }

    @Test func doubledQuotesInsideQuotesAreOneQuote() {
        let parsed = read("id,note\n1,\"say \"\"hi\"\"\"\n2,\"\"\"\"\n")
        #expect(parsed.records == [Row(line: 2, fields: ["1", "say \"hi\""]), Row(line: 3, fields: ["2", "\""])])
    }

    @Test func embeddedLineFeedStaysInTheFieldAndCountsAsALine() {
        let parsed = read("id,note\n1,\"first\nsecond\"\n2,x\n")
        #expect(parsed.records == [Row(line: 2, fields: ["1", "first\nsecond"]), Row(line: 4, fields: ["2", "x"])])
    }

    @Test func embeddedCRLFStaysInTheFieldAndCountsAsOneLine() {
        let parsed = read("id,note\r\n1,\"a\r\nb\r\nc\"\r\n2,x\r\n")
        #expect(parsed.records == [Row(line: 2, fields: ["1", "a\r\nb\r\nc"]), Row(line: 5, fields: ["2", "x"])])
    }

    @Test func embeddedLoneCRCountsAsALine() {
        let parsed = read("id,note\n1,\"a\rb\"\n2,x\n")
        #expect(parsed.records == [Row(line: 2, fields: ["1", "a\rb"]), Row(line: 4, fields: ["2", "x"])])
    }

    @Test func crlfFilesReadLikeLFFiles() {
        let parsed = read("id,name\r\n1,Ann\r\n2,Bob\r\n")
        #expect(parsed.records == [Row(line: 2, fields: ["1", "Ann"]), Row(line: 3, fields: ["2", "Bob"])])
    }

    @Test func loneCRFilesReadLikeLFFiles() {
        let parsed = read("id,name\r1,Ann\r2,Bob\r")
        #expect(parsed.header == ["id", "name"])
        #expect(parsed.records == [Row(line: 2, fields: ["1", "Ann"]), Row(line: 3, fields: ["2", "Bob"])])
    }

    @Test func byteOrderMarkIsStrippedFromTheFirstName() {
        let parsed = read([0xEF, 0xBB, 0xBF] + Array("id,name\n1,Ann\n".utf8))
        #expect(parsed.header == ["id", "name"])
        #expect(parsed.records == [Row(line: 2, fields: ["1", "Ann"])])
    }

    @Test func byteOrderMarkBeforeAQuotedNameIsStripped() {
        let parsed = read([0xEF, 0xBB, 0xBF] + Array("\"id\",name\n1,Ann\n".utf8))
        #expect(parsed.header == ["id", "name"])
    }

    @Test func emptyLinesAreSkippedButCounted() {
        let parsed = read("\nid,name\n\n1,Ann\r\n\r\n\n2,Bob\n\n")
        #expect(parsed.header == ["id", "name"])
        #expect(parsed.records == [Row(line: 4, fields: ["1", "Ann"]), Row(line: 7, fields: ["2", "Bob"])])
    }

    @Test func lastRecordNeedsNoLineEnd() {
        let parsed = read("id,name\n1,Ann")
        #expect(parsed.records == [Row(line: 2, fields: ["1", "Ann"])])
    }

    @Test func emptyFieldsAndTrailingCommaGiveEmptyStrings() {
        let parsed = read("a,b,c\n,,\n1,,\"\"\n1,2,")
        #expect(parsed.records == [
            Row(line: 2, fields: ["", "", ""]), Row(line: 3, fields: ["1", "", ""]), Row(line: 4, fields: ["1", "2", ""]),
        ])
    }

    @Test func quoteInsideAnUnquotedFieldIsKeptLiterally() {
        let parsed = read("a,b\nab\"c,5 \" x\n")
        #expect(parsed.records == [Row(line: 2, fields: ["ab\"c", "5 \" x"])])
    }

    @Test func spacesAreKeptAsData() {
        let parsed = read("a,b\n x , \"y\" \n")
        // A space before the quote makes the field unquoted, so its quotes are literal.
        #expect(parsed.records == [Row(line: 2, fields: [" x ", " \"y\" "])])
    }

    @Test func multiByteUTF8SurvivesTinyChunks() {
        let parsed = read("name,city\nRené,東京\n")
        #expect(parsed.records == [Row(line: 2, fields: ["René", "東京"])])
    }

    @Test func recordHoldsTheHeaderBeforeTheFirstNext() throws {
        let path = TemporaryFiles.write("id,name\n1,Ann\n")
        defer { TemporaryFiles.remove(path) }
        let reader = try CSVReader(path: path)
        #expect(reader.record.line == 1)
        #expect(try reader.record.string(at: 1) == "name")
        #expect(reader.headerLine == 1)
    }

    @Test func recordGivesBytesNumbersAndEmptiness() throws {
        let path = TemporaryFiles.write("id,score,note\n7, 2.5 ,\n")
        defer { TemporaryFiles.remove(path) }
        let reader = try CSVReader(path: path)
        #expect(try reader.next())
        let record = reader.record
        #expect(record.count == 3)
        #expect(record.number(at: 0) == .value(7))
        #expect(record.number(at: 1) == .value(2.5))
        #expect(record.number(at: 2) == .missing)
        #expect(record.isEmpty(at: 2))
        #expect(!record.isEmpty(at: 1))
        #expect(record.withBytes(at: 1) { Array($0) } == Array(" 2.5 ".utf8))
        #expect(try reader.next() == false)
        #expect(try reader.next() == false)
    }

    @Test func columnLookupFindsNamesAndRequireColumnListsTheHeader() throws {
        let path = TemporaryFiles.write("id,name,score\n1,a,2\n")
        defer { TemporaryFiles.remove(path) }
        let reader = try CSVReader(path: path)
        #expect(reader.columnIndex("score") == 2)
        #expect(reader.columnIndex("nope") == nil)
        #expect(try reader.requireColumn("name") == 1)
        #expect(throws: InputError(file: path, line: 1, message: "missing column \"x\" (the header has: id, name, score)")) {
            try reader.requireColumn("x")
        }
    }

    @Test func requireColumnPointsOutNamesThatDifferOnlyInSpacesOrCase() throws {
        let path = TemporaryFiles.write("id, name,Score\n1,a,2\n")
        defer { TemporaryFiles.remove(path) }
        let reader = try CSVReader(path: path)
        #expect(throws: InputError(
            file: path, line: 1,
            message: "missing column \"name\" (the header has: id,  name, Score); column 2 is \" name\", with extra spaces")) {
            try reader.requireColumn("name")
        }
        #expect(throws: InputError(
            file: path, line: 1,
            message: "missing column \"score\" (the header has: id,  name, Score); column 3 is \"Score\": names are case-sensitive")) {
            try reader.requireColumn("score")
        }
    }

    @Test func requireColumnSuspectsSemicolonsInAOneColumnHeader() throws {
        let path = TemporaryFiles.write("id;name\n1;a\n")
        defer { TemporaryFiles.remove(path) }
        let reader = try CSVReader(path: path)
        #expect(throws: InputError(
            file: path, line: 1,
            message: "missing column \"id\" (the header has: id;name) (is the file comma-separated? the header has semicolons)")) {
            try reader.requireColumn("id")
        }
    }

    @Test func readerContinuesAfterABadRecordSoCallersCanSkipIt() throws {
        let path = TemporaryFiles.write("a,b\n1,2\n3\n\"x\"y,z\n4,5\n")
        defer { TemporaryFiles.remove(path) }
        let reader = try CSVReader(path: path, chunkSize: 2)
        var good: [Int] = []
        var bad: [Int?] = []
        while true {
            do throws(InputError) {
                guard try reader.next() else { break }
                good.append(reader.record.line)
            } catch {
                bad.append(error.line)
            }
        }
        #expect(good == [2, 5])
        #expect(bad == [3, 4])
    }
}
