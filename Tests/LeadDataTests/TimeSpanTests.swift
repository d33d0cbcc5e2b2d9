import Foundation
@testable import LeadData
import Testing

/// Time spans as given on the command line (`--gap 14d`).
@Suite struct TimeSpanTests {
    static let spans: [(String, Int64)] = [
        ("14d", 14 * 86_400), ("36h", 36 * 3600), ("90m", 90 * 60), ("30s", 30), ("2w", 14 * 86_400),
        ("7", 7 * 86_400), ("0", 0), ("0d", 0), ("14D", 14 * 86_400), ("1H", 3600), ("180d", 180 * 86_400),
    ]

    @Test("units and a bare number (days)", arguments: spans)
    func parses(text: String, seconds: Int64) {
        #expect(TimeSpan.parse(text) == TimeSpan(seconds: seconds))
    }

    @Test("anything else is nil", arguments: [
        "", "d", "-1d", "+1d", "1.5d", "14 d", " 14d", "14d ", "14dd", "14x", "d14", "1e3", "14days", "١٤d",
        "99999999999999999999d", "9223372036854775807w",
    ])
    func rejects(text: String) {
        #expect(TimeSpan.parse(text) == nil)
    }

    @Test func describesInTheLargestWholeUnit() {
        #expect(TimeSpan(seconds: 14 * 86_400).description == "14d")
        #expect(TimeSpan.parse("2w")?.description == "14d")
        #expect(TimeSpan.parse("36h")?.description == "36h")
        #expect(TimeSpan.parse("48h")?.description == "2d")
        #expect(TimeSpan.parse("90m")?.description == "90m")
        #expect(TimeSpan.parse("3600s")?.description == "1h")
        #expect(TimeSpan.parse("45s")?.description == "45s")
        #expect(TimeSpan(seconds: 0).description == "0d")
        for text in ["14d", "36h", "90m", "45s", "1s", "25h", "61m"] {
            #expect(TimeSpan.parse(text)?.description == text)
        }
    }

    @Test func encodesAsItsText() throws {
        let data = try JSONEncoder().encode(["gap": TimeSpan.days(14)])
        #expect(String(decoding: data, as: UTF8.self) == "{\"gap\":\"14d\"}")
        #expect(try JSONDecoder().decode([String: TimeSpan].self, from: data) == ["gap": .days(14)])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([TimeSpan].self, from: Data("[\"soon\"]".utf8)) }
    }
}
