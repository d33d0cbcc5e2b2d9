import Foundation
@testable import LeadData
import Testing

/// Seeded mutation fuzzing of the CSV record splitter: valid CSV snippets (quotes, doubled quotes, embedded newlines,
/// CRLF, a byte-order mark, multi-byte UTF-8) mutated by flipping, inserting, deleting, duplicating and truncating
/// bytes. Every input must be split without a crash or a hang, exactly as ``ReferenceCSVParser`` splits it (records,
/// lines, errors), in chunks of every size.
///
/// The suite runs 20,000 inputs; `LEADSCORE_FUZZ_INPUTS=1000000 swift test -c release --filter CSVFuzzTests` runs a
/// million (about a minute in a release build).
@Suite struct CSVFuzzTests {
    static let seeds: [String] = [
        "contact_id,timestamp,event\nC1,2026-03-01,page_view\nC2,2026-03-02T10:00:00Z,demo_request\n",
        "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",3\r\n\"multi\nline\",,\r\n",
        "\u{FEFF}name,note\nJosé,\"Zürich, \"\"CH\"\"\"\n\"\",\"\"\n",
        "id,value\n1,\"\n\"\n2,\"a\"\"b\"\n\n\n3,end",
        "x\n\"unterminated,\n1,2\n",
        "k,v\r1,2\r3,\"4\r5\"\r",
    ]

    /// Bytes that steer a splitter into its corner cases, plus invalid UTF-8.
    static let dangerous: [UInt8] = Array("\",\r\n a".utf8) + [0xEF, 0xBB, 0xBF, 0xFF, 0xC3, 0x00, 0x80]

    static func mutate(_ input: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0...(random.next() % 4) {
            let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
            switch random.next() % 6 {
            case 0 where !bytes.isEmpty: bytes[position] ^= UInt8(1 << (random.next() % 8))
            case 1: bytes.insert(dangerous[Int(random.next() % UInt64(dangerous.count))], at: position)
            case 2 where !bytes.isEmpty: bytes.removeSubrange(position..<min(bytes.count, position + 1 + Int(random.next() % 4)))
            case 3 where !bytes.isEmpty:
                let end = min(bytes.count, position + 1 + Int(random.next() % 8))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            case 4: bytes = Array(bytes.prefix(position))
            default: bytes.insert(dangerous[Int(random.next() % 4)], at: position)
            }
        }
        return bytes
    }

    @Test func mutatedInputsSplitTheSameEverywhereWithoutACrash() throws {
        let total = Int(ProcessInfo.processInfo.environment["LEADSCORE_FUZZ_INPUTS"] ?? "") ?? 20_000
        // A memory-backed file where there is one: a million small writes to disk would take longer than the splitting.
        let memory = FileManager.default.isWritableFile(atPath: "/dev/shm")
        let folder = memory ? "/dev/shm" : TemporaryFiles.makeFolder()
        let path = folder + "/leadscore-fuzz-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: memory ? path : folder) }
        var random = SeededGenerator(seed: 2026)
        let seeds = Self.seeds.map { Array($0.utf8) }
        var mismatches = 0
        for k in 0..<total {
            let bytes = Self.mutate(seeds[k % seeds.count], &random)
            try Data(bytes).write(to: URL(fileURLWithPath: path))  // in place, not atomic: fast enough for a million
            let chunk = [1, 3, 7, 64, CSVReader.defaultChunkSize][Int(random.next() % 5)]
            let expected = ReferenceCSVParser.parse(bytes)
            let scanned = try CSVChunkBoundaryTests.scanAll(path, chunkSize: chunk)
            if scanned != expected {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record("input \(k) \(String(decoding: bytes, as: UTF8.self).debugDescription), chunk \(chunk): split differently")
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(total) inputs split differently")
    }
}
