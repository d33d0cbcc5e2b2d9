import Foundation
@testable import LeadData
import Testing

/// Records that straddle read boundaries: the same content read with tiny chunks and with the default
/// chunk must give the same records, lines and errors, on many seeded random files.
@Suite struct CSVChunkBoundaryTests {
    static let chunkSizes = [1, 2, 3, 7, 64, CSVReader.defaultChunkSize]

    @Test("random well-formed files read back exactly, whatever the chunk size", arguments: 0..<300 as Range<UInt64>)
    func randomFilesReadBackExactly(seed: UInt64) {
        let csv = RandomCSV(seed: seed)
        let path = TemporaryFiles.write(csv.bytes)
        defer { TemporaryFiles.remove(path) }
        for chunkSize in Self.chunkSizes {
            let parsed = ParsedCSV.read(path, chunkSize: chunkSize)
            #expect(parsed.error == nil, "seed \(seed), chunk \(chunkSize)")
            #expect(parsed.header == csv.header, "seed \(seed), chunk \(chunkSize)")
            #expect(parsed.records == csv.rows, "seed \(seed), chunk \(chunkSize)")
        }
    }

    @Test("random bytes scan like the reference parser, errors and recovery included", arguments: 0..<40 as Range<UInt64>)
    func randomBytesMatchReferenceParser(seed: UInt64) throws {
        var random = SeededGenerator(seed: 1000 + seed)
        let alphabet: [UInt8] = Array("ab ,\"\n\r".utf8)
        for trial in 0..<25 {
            var bytes = (0..<Int(random.next() % 40)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            if trial % 5 == 0 { bytes = [0xEF, 0xBB, 0xBF] + bytes }
            let expected = ReferenceCSVParser.parse(bytes)
            let path = TemporaryFiles.write(bytes)
            defer { TemporaryFiles.remove(path) }
            for chunkSize in Self.chunkSizes {
                let scanned = try Self.scanAll(path, chunkSize: chunkSize)
                #expect(scanned == expected, "bytes \(bytes.map { String(UnicodeScalar($0)) }.joined().debugDescription), chunk \(chunkSize)")
            }
        }
    }

    /// Every record and error the scanner produces, continuing after record errors as callers may.
    static func scanAll(_ path: String, chunkSize: Int) throws -> [ReferenceCSVParser.Event] {
        let scanner = try CSVScanner(path: path, chunkSize: chunkSize)
        var events: [ReferenceCSVParser.Event] = []
        while true {
            do throws(InputError) {
                guard try scanner.nextRecord() else { return events }
                let fields = (0..<scanner.fieldCount).map { Array(scanner.field($0)) }
                events.append(.record(line: scanner.recordLine, fields: fields))
            } catch {
                #expect(error.file == path)
                events.append(.error(line: error.line ?? -1, message: error.message))
            }
        }
    }
}
