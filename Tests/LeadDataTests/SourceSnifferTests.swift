import Foundation
@testable import LeadData
import Testing

/// What `source --init` reads from a file's first rows: the closest names for "did you mean", the date format a
/// column is written in (and when it cannot be told), the encoding and the separator.
@Suite struct SourceSnifferTests {
    @Test func theClosestNameIsCaseInsensitiveFirstThenTheNearestByEditDistance() {
        #expect(Suggestion.closest(to: "LEAD_ID", in: ["lead_id", "lead_ids"]) == "lead_id")
        #expect(Suggestion.closest(to: "trian", in: ["train", "explain", "score"]) == "train")
        #expect(Suggestion.closest(to: "convertd", in: ["converted", "country"]) == "converted")
        // Too far from every name: no suggestion rather than a wrong one.
        #expect(Suggestion.closest(to: "revenue", in: ["train", "score"]) == nil)
        #expect(Suggestion.closest(to: "x", in: []) == nil)
        #expect(Suggestion.phrase("scor", in: ["id", "score"]) == " (did you mean \"score\"?)")
        #expect(Suggestion.phrase("zzzz", in: ["id", "score"]) == "")
    }

    /// Rules written for one CRM's event names meet another's: case, spaces and punctuation are ignored.
    @Test func eventNamesAreMatchedIgnoringCaseAndPunctuation() {
        let hubspot = ["Demo Requested", "Page Viewed", "Pricing Page Viewed", "Email Opened", "Unsubscribed"]
        #expect(Suggestion.closest(ignoringPunctuation: "demo_request", in: hubspot) == "Demo Requested")
        #expect(Suggestion.closest(ignoringPunctuation: "page_view", in: hubspot) == "Page Viewed")
        #expect(Suggestion.closest(ignoringPunctuation: "pricing_page_view", in: hubspot) == "Pricing Page Viewed")
        #expect(Suggestion.closest(ignoringPunctuation: "unsubscribe", in: hubspot) == "Unsubscribed")
        #expect(Suggestion.closest(ignoringPunctuation: "trial_signup", in: hubspot) == nil)
    }

    @Test func editDistanceCountsATranspositionAsOneEdit() {
        #expect(Suggestion.distance("train", "trian") == 1)
        #expect(Suggestion.distance("kitten", "sitting") == 3)
        #expect(Suggestion.distance("", "abc") == 3)
        #expect(Suggestion.distance("same", "same") == 0)
    }

    @Test func aDayAboveTwelveSettlesMonthFirst() {
        let reading = DateSniffer.reading(of: ["01/05/2025 10:00", "03/28/2025 23:17", ""])
        #expect(reading == .patterns(["MM/DD/YYYY HH:mm"], example: "03/28/2025 23:17"))
    }

    @Test func aDayAboveTwelveSettlesDayFirst() {
        #expect(DateSniffer.reading(of: ["05.01.2025", "28.03.2025"]) == .patterns(["DD.MM.YYYY"], example: "05.01.2025"))
        #expect(DateSniffer.reading(of: ["28/03/2025 10:00"]) == .patterns(["DD/MM/YYYY HH:mm"], example: "28/03/2025 10:00"))
    }

    @Test func monthOrDayThatTheDataCannotTellIsAmbiguousNotGuessed() {
        let reading = DateSniffer.reading(of: ["03/04/2025", "01/02/2025", "12/11/2025"])
        guard case .ambiguous(let first, let second, let example) = reading else {
            Issue.record("expected ambiguous, got \(reading)")
            return
        }
        #expect(first == ["MM/DD/YYYY"])
        #expect(second == ["DD/MM/YYYY"])
        #expect(example == "03/04/2025")
        // Named by the user, the same values read.
        #expect(DateSniffer.reading(of: ["03/04/2025", "01/02/2025"], given: ["DD/MM/YYYY"]) == .patterns(["DD/MM/YYYY"], example: nil))
    }

    @Test func isoNeedsNoPatternAndGarbageIsUnreadable() {
        #expect(DateSniffer.reading(of: ["2025-01-05", "2025-03-28T10:00:00Z"]) == .iso)
        #expect(DateSniffer.reading(of: ["01/05/2025", "next tuesday"]) == .unreadable(example: "next tuesday"))
        #expect(DateSniffer.reading(of: ["", ""]) == .empty)
    }

    @Test func separatorAndEncodingAreSniffed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sniff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("leads.csv").path
        // Windows-1252: "España" with 0xF1, semicolons.
        var bytes = Array("Id;Country;Amount\n1;Espa".utf8) + [0xF1] + Array("a;1.200,50\n2;France;3\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var file = try SourceSniffer.sniff(path: path)
        #expect(file.header == ["Id", "Country", "Amount"])
        #expect(file.format.delimiter == UInt8(ascii: ";"))
        #expect(file.format.encoding == .windows1252)
        #expect(file.values("Country") == ["España", "France"])
        bytes = Array("a\tb\n1\t2\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        file = try SourceSniffer.sniff(path: path)
        #expect(file.format.delimiter == 0x09)
        #expect(file.format.encoding == .utf8)
    }
}
