import Foundation
@testable import LeadData
import Testing

/// The record splitter behind every reader splits alike whatever the read size: same records, lines and errors in
/// chunks of 1 byte as in chunks of a megabyte, and as the reference parser on random bytes; and it refuses records no
/// CSV file has.
@Suite struct CSVScannerTests {
    static let chunkSizes = [1, 2, 3, 7, 64, CSVReader.defaultChunkSize]

    static func scanAll(_ path: String, chunkSize: Int) throws -> [ReferenceCSVParser.Event] {
        try CSVChunkBoundaryTests.scanAll(path, chunkSize: chunkSize)
    }

    @Test("random well-formed files split alike in every chunk size", arguments: 0..<200 as Range<UInt64>)
    func randomFilesSplitAlikeInEveryChunkSize(seed: UInt64) throws {
        let csv = RandomCSV(seed: seed)
        let path = TemporaryFiles.write(csv.bytes)
        defer { TemporaryFiles.remove(path) }
        let expected = try CSVChunkBoundaryTests.scanAll(path, chunkSize: CSVReader.defaultChunkSize)
        for chunkSize in Self.chunkSizes {
            #expect(try Self.scanAll(path, chunkSize: chunkSize) == expected, "seed \(seed), chunk \(chunkSize)")
        }
    }

    @Test("random bytes split like the reference parser", arguments: 0..<60 as Range<UInt64>)
    func randomBytesMatchReferenceParser(seed: UInt64) throws {
        var random = SeededGenerator(seed: 7000 + seed)
        let alphabet: [UInt8] = Array("ab ,\"\n\r".utf8)
        for trial in 0..<25 {
            var bytes = (0..<Int(random.next() % 60)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            if trial % 5 == 0 { bytes = [0xEF, 0xBB, 0xBF] + bytes }
            let expected = ReferenceCSVParser.parse(bytes)
            let path = TemporaryFiles.write(bytes)
            defer { TemporaryFiles.remove(path) }
            #expect(try CSVChunkBoundaryTests.scanAll(path, chunkSize: 5) == expected)
            for chunkSize in Self.chunkSizes {
                let scanned = try Self.scanAll(path, chunkSize: chunkSize)
                #expect(scanned == expected, "bytes \(String(decoding: bytes, as: UTF8.self).debugDescription), chunk \(chunkSize)")
            }
        }
    }

    /// Unquoted fields of every length 0...40 with every separator, so the eight-bytes-at-a-time search meets
    /// its target at every offset (bytes just below and above the separators too).
    @Test func unquotedFieldsOfEveryLengthSplitExactly() throws {
        var random = SeededGenerator(seed: 99)
        let filler = Array("ab-+/.;:\u{7F}\u{0B}\u{0C}\u{0E}\u{2B}\u{2D}".utf8)
        var bytes: [UInt8] = []
        var expected: [ReferenceCSVParser.Event] = []
        var line = 1
        for length in 0...40 {
            for end in ["\n", "\r\n", "\r"] {
                let fields = (0..<3).map { k in
                    (0..<(k == 1 ? length : Int(random.next() % 12))).map { _ in filler[Int(random.next() % UInt64(filler.count))] }
                }
                expected.append(.record(line: line, fields: fields))
                bytes += fields.map { $0 }.joined(separator: [UInt8(ascii: ",")]) + Array(end.utf8)
                line += 1
            }
        }
        let path = TemporaryFiles.write(bytes)
        defer { TemporaryFiles.remove(path) }
        #expect(ReferenceCSVParser.parse(bytes) == expected)
        for chunkSize in Self.chunkSizes {
            #expect(try Self.scanAll(path, chunkSize: chunkSize) == expected, "chunk \(chunkSize)")
        }
    }

    @Test func recordsLongerThanTheBufferGrowIt() throws {
        let long = String(repeating: "x", count: 5000)
        let text = "a,b\n\(long),\"\(long)\"\"\(long)\"\n1,2"
        let path = TemporaryFiles.write(text)
        defer { TemporaryFiles.remove(path) }
        for chunkSize in [1, 100, 4096] {
            let events = try Self.scanAll(path, chunkSize: chunkSize)
            #expect(events == [
                .record(line: 1, fields: [Array("a".utf8), Array("b".utf8)]),
                .record(line: 2, fields: [Array(long.utf8), Array((long + "\"" + long).utf8)]),
                .record(line: 3, fields: [Array("1".utf8), Array("2".utf8)]),
            ])
        }
    }

    @Test func countsTheBytesItConsumed() throws {
        let text = "\u{FEFF}a,b\r\n1,2\r\n\r\n3,4"
        let path = TemporaryFiles.write(text)
        defer { TemporaryFiles.remove(path) }
        let scanner = try CSVScanner(path: path, chunkSize: 3)
        while try scanner.nextRecord() {}
        #expect(scanner.bytesConsumed == text.utf8.count)
    }

    /// A line with no end (`/dev/zero`, a binary file) stops at 1 MiB with one clear error, rather than reading until
    /// memory runs out; so does a record of more than 10,000 fields.
    @Test func recordsNoCSVFileHasAreRefused() throws {
        let long = TemporaryFiles.write([UInt8](repeating: 0, count: (1 << 20) + 10))
        defer { TemporaryFiles.remove(long) }
        let wide = TemporaryFiles.write(String(repeating: "a,", count: 10_001) + "a\n")
        defer { TemporaryFiles.remove(wide) }
        for (path, message) in [(long, "a record longer than 1 MiB"), (wide, "a record with more than 10000 fields")] {
            for chunkSize in [7, CSVReader.defaultChunkSize] {
                let events = try Self.scanAll(path, chunkSize: chunkSize)
                #expect(events.count == 1, "\(message), chunk \(chunkSize)")
                guard case .error(let line, let text)? = events.first else {
                    Issue.record("no error for \(message)")
                    continue
                }
                #expect(line == 1)
                #expect(text.hasPrefix(message))
            }
        }
        #expect(throws: InputError.self) { _ = try CSVReader(path: "/dev/zero") }
    }
}
