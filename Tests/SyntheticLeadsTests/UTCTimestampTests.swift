import Foundation
import LeadData
@testable import SyntheticLeads
import Testing

/// Timestamps are formatted by integer arithmetic: they must agree with the calendar everywhere.
@Suite struct UTCTimestampTests {
    @Test("known instants format as the calendar says", arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (4_102_444_800, "2100-01-01T00:00:00Z"),
        (1_735_689_600, "2025-01-01T00:00:00Z"),
        (1_741_083_300, "2025-03-04T10:15:00Z"),
        (4_107_542_399, "2100-02-28T23:59:59Z"),
        (4_107_542_400, "2100-03-01T00:00:00Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
        (-1, "1969-12-31T23:59:59Z"),
    ])
    func knownInstants(seconds: Int64, text: String) {
        #expect(UTCTimestamp.string(epochSeconds: seconds) == text)
    }

    @Test func agreesWithFoundationOnRandomInstants() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var random = SeededGenerator(seed: 20250101)
        for _ in 0..<2_000 {
            let seconds = Int64.random(in: 0...4_200_000_000, using: &random)
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(UTCTimestamp.string(epochSeconds: seconds) == expected, "\(seconds)")
        }
    }

    @Test func parsesValidDatesOnly() {
        #expect(UTCTimestamp.epochSeconds(parsingDate: "2025-01-01") == 1_735_689_600)
        #expect(UTCTimestamp.epochSeconds(parsingDate: "2000-02-29") == 951_782_400)
        #expect(UTCTimestamp.epochSeconds(parsingDate: "2024-02-29") != nil)
        for bad in ["2025-02-29", "2100-02-29", "2025-13-01", "2025-00-10", "2025-04-31", "2025-1-01", "25-01-01",
                    "2025/01/01", "2025-01-01T00:00:00Z", "", "abcd-ef-gh"] {
            #expect(UTCTimestamp.epochSeconds(parsingDate: bad) == nil, "\(bad)")
        }
    }

    @Test func dateTableWritesWhatTheFullConversionWrites() {
        let start: Int64 = 1_735_689_600
        let end = start + 540 * 86_400
        let table = DateTable(from: start, to: end)
        var buffer = ByteBuffer(capacity: 64)
        var random = SeededGenerator(seed: 20250101)
        // Inside the table, at its edges, and outside it (converted in full).
        let instants = [start, start + 1, end - 1, end, end + 86_400 * 400, start - 1, 0]
            + (0..<1_000).map { _ in Int64.random(in: start..<end, using: &random) }
        for seconds in instants {
            buffer.removeAll()
            buffer.row(maxBytes: 20) { row in table.write(seconds, to: &row) }
            let text = buffer.withBytes { String(decoding: $0, as: UTF8.self) }
            #expect(text == UTCTimestamp.string(epochSeconds: seconds), "\(seconds)")
        }
    }
}
