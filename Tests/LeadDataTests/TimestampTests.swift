import Foundation
@testable import LeadData
import Testing

/// ISO 8601 parsing as CRM exports write it, rejection of everything else, and formatting back.
@Suite struct TimestampTests {
    @Test("accepted forms give the instant in UTC", arguments: [
        ("2026-03-01", "2026-03-01T00:00:00Z"),
        ("2026-03-01T14:05", "2026-03-01T14:05:00Z"),
        ("2026-03-01T14:05:00", "2026-03-01T14:05:00Z"),
        ("2026-03-01T14:05:00.123", "2026-03-01T14:05:00Z"),
        ("2026-03-01T14:05:00Z", "2026-03-01T14:05:00Z"),
        ("2026-03-01T14:05Z", "2026-03-01T14:05:00Z"),
        ("2026-03-01T14:05:00+02:00", "2026-03-01T12:05:00Z"),
        ("2026-03-01T14:05:00-0500", "2026-03-01T19:05:00Z"),
        ("2026-03-01T14:05:00+02", "2026-03-01T12:05:00Z"),
        ("2026-03-01T14:05+05:30", "2026-03-01T08:35:00Z"),
        ("2026-03-01T14:05:00.5-00:00", "2026-03-01T14:05:00Z"),
        ("2026-03-01 14:05:00", "2026-03-01T14:05:00Z"),
        ("2026-03-01 14:05:00Z", "2026-03-01T14:05:00Z"),
        ("2026-03-01 14:05", "2026-03-01T14:05:00Z"),
        ("2026-03-01t14:05:00z", "2026-03-01T14:05:00Z"),
        ("  2026-03-01T14:05:00Z ", "2026-03-01T14:05:00Z"),
    ])
    func acceptedForms(text: String, expected: String) throws {
        let time = try #require(Timestamp.parse(text))
        #expect(time.iso8601 == expected)
    }

    @Test func fractionsOfASecondAreDroppedNotRounded() {
        #expect(Timestamp.parse("2026-03-01T14:05:00.999Z")?.iso8601 == "2026-03-01T14:05:00Z")
        #expect(Timestamp.parse("2026-03-01T14:05:59.999999999")?.iso8601 == "2026-03-01T14:05:59Z")
        #expect(Timestamp.parse("1969-12-31T23:59:59.999Z")?.seconds == -1)
    }

    @Test func offsetsMayCrossMidnightMonthsAndYears() {
        #expect(Timestamp.parse("2026-03-01T00:30:00+01:00")?.iso8601 == "2026-02-28T23:30:00Z")
        #expect(Timestamp.parse("2024-03-01T00:30:00+01:00")?.iso8601 == "2024-02-29T23:30:00Z")
        #expect(Timestamp.parse("2026-12-31T23:30:00-01:00")?.iso8601 == "2027-01-01T00:30:00Z")
        #expect(Timestamp.parse("1970-01-01T00:00:00+00:01")?.seconds == -60)
        #expect(Timestamp.parse("2026-03-01T14:05:00+23:59")?.iso8601 == "2026-02-28T14:06:00Z")
    }

    @Test func leapDaysFollowTheGregorianRule() {
        #expect(Timestamp.parse("2024-02-29")?.iso8601 == "2024-02-29T00:00:00Z")
        #expect(Timestamp.parse("2000-02-29T12:00:00Z")?.iso8601 == "2000-02-29T12:00:00Z")
        #expect(Timestamp.parse("2023-02-29") == nil)
        #expect(Timestamp.parse("1900-02-29") == nil)
        #expect(Timestamp.parse("2100-02-29T00:00:00Z") == nil)
        #expect(Timestamp.parse("2024-02-30") == nil)
    }

    @Test func knownInstants() {
        #expect(Timestamp.parse("1970-01-01T00:00:00Z")?.seconds == 0)
        #expect(Timestamp.parse("1970-01-02")?.seconds == 86_400)
        #expect(Timestamp.parse("2000-01-01T00:00:00Z")?.seconds == 946_684_800)
        #expect(Timestamp.parse("2026-03-01T14:05:00Z")?.seconds == 1_772_373_900)
        #expect(Timestamp.parse("2100-01-01T00:00:00Z")?.seconds == 4_102_444_800)
        #expect(Timestamp.parse("1969-12-31T23:59:59Z")?.seconds == -1)
        #expect(Timestamp.parse("1900-01-01")?.seconds == -2_208_988_800)
    }

    @Test("impossible dates and times, and other shapes, are nil", arguments: [
        "", " ", "2026", "2026-03", "2026-13-01", "2026-00-10", "2026-02-30", "2026-04-31", "2026-03-00", "2026-03-32",
        "2026-03-01T24:00:00", "2026-03-01T23:60", "2026-03-01T23:59:60", "2026-03-01T14", "2026-03-01T",
        "2026-3-1", "26-03-01", "2026/03/01", "20260301", "2026-03-01Z", "2026-03-01X14:05:00",
        "2026-03-01T14:05:0", "2026-03-01T14:05:00.", "2026-03-01T14:05.5", "2026-03-01T14:05:00Zjunk",
        "2026-03-01T14:05:00+24:00", "2026-03-01T14:05:00+02:60", "2026-03-01T14:05:00+2", "2026-03-01T14:05:00+02:0",
        "2026-03-01T14:05:00 +02:00", "2026-03-01T14:05:00ZZ", "2026-03-01T14:05:00+0200Z", "March 1, 2026",
        "2026-03-01T1a:05:00Z", "2026-03-01T14:05:0aZ", "2026-0a-01", "-2026-03-01", "+2026-03-01", "2026-03-01T14:05:00UTC",
        "2026-03-01T-4:05:00Z", "2026-03-01T14:-5:00Z", "2026-03-01T14:05:-0Z", "2026-03-01T14:05:00?", "2026-03-01\t14:05:00",
    ])
    func rejected(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func invalidBytesAreRejected() {
        for bytes: [UInt8] in [[0xFF], Array("2026-03-01T14:05:00".utf8) + [0xC3], Array("2026-03-01T14:05:0".utf8) + [0x80, 0x5A]] {
            #expect(bytes.withUnsafeBufferPointer { Timestamp.parse($0) } == nil)
        }
        #expect(Timestamp.parse(UnsafeBufferPointer<UInt8>(start: nil, count: 0)) == nil)
    }

    @Test func everyDayFrom1900To2200RoundTrips() throws {
        var previous: Int64?
        let start = try #require(Timestamp.parse("1900-01-01")).seconds / 86_400
        let end = try #require(Timestamp.parse("2200-12-31")).seconds / 86_400
        for day in start...end {
            let time = Timestamp(seconds: day * 86_400 + (day % 86_400 + 86_400) % 86_400)
            let text = time.iso8601
            #expect(Timestamp.parse(text) == time, "\(text)")
            #expect(Timestamp.parse(String(text.prefix(10)))?.seconds == day * 86_400, "\(text)")
            if let previous { #expect(day == previous + 1) }
            previous = day
        }
    }

    @Test func daysAndDatesRoundTripOverFourCenturies() {
        var previous: (year: Int64, month: Int, day: Int)?
        for days in Int64(-1_000)...Int64(146_097 + 1_000) {
            let date = Timestamp.civilFromDays(days)
            #expect(Timestamp.daysFromCivil(year: Int(date.year), month: date.month, day: date.day) == days)
            if let previous {
                let nextDay = date.day == previous.day + 1 && date.month == previous.month && date.year == previous.year
                let nextMonth = date.day == 1 && previous.day == Timestamp.daysIn(month: previous.month, year: Int(previous.year))
                #expect(nextDay || nextMonth, "\(previous) -> \(date)")
            }
            previous = date
        }
    }

    @Test func formattingAgreesWithFoundation() throws {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var random = SeededGenerator(seed: 42)
        let low: Int64 = -2_208_988_800  // 1900
        let high: Int64 = 7_258_118_400  // 2200
        for _ in 0..<20_000 {
            let seconds = low + Int64(random.next() % UInt64(high - low))
            let time = Timestamp(seconds: seconds)
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(time.iso8601 == expected)
            #expect(Timestamp.parse(expected) == time)
            #expect(formatter.date(from: time.iso8601)?.timeIntervalSince1970 == TimeInterval(seconds))
        }
    }

    @Test func yearBoundariesRoundTrip() {
        for text in ["1970-01-01T00:00:00Z", "2100-12-31T23:59:59Z", "2100-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
                     "0001-03-01T00:00:00Z", "9999-12-31T23:59:59Z", "1600-02-29T00:00:00Z"] {
            #expect(Timestamp.parse(text)?.iso8601 == text)
        }
        #expect(Timestamp(seconds: 0).iso8601 == "1970-01-01T00:00:00Z")
        #expect(Timestamp(seconds: -86_401).iso8601 == "1969-12-30T23:59:59Z")
    }

    /// The 19/20-byte fast path and the general parser (reached here through a leading space) must agree,
    /// on valid text and on every one-byte corruption of it.
    @Test func fastPathAgreesWithTheGeneralParser() {
        var random = SeededGenerator(seed: 7)
        let alphabet = Array("0123456789-:T tZz+.,/".utf8) + [0x00, 0x7F, 0xFF, 0x3A, 0x2F, 0x40]
        for _ in 0..<20_000 {
            let seconds = Int64(random.next() % 8_000_000_000) - 2_000_000_000
            var bytes = Array(Timestamp(seconds: seconds).iso8601.utf8)
            if random.next() % 2 == 0 { bytes.removeLast() }  // without the Z
            if random.next() % 3 == 0 { bytes[10] = 0x20 }
            if random.next() % 4 != 0 {
                bytes[Int(random.next() % UInt64(bytes.count))] = alphabet[Int(random.next() % UInt64(alphabet.count))]
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let fast = bytes.withUnsafeBufferPointer { Timestamp.parse($0) }
            let general = ([0x20] + bytes).withUnsafeBufferPointer { Timestamp.parse($0) }
            #expect(fast == general, "\(text.debugDescription)")
        }
    }

    @Test func comparesAndOffsetsBySpans() throws {
        let a = try #require(Timestamp.parse("2026-03-01"))
        let b = try #require(Timestamp.parse("2026-03-15"))
        #expect(a < b)
        #expect(b - TimeSpan.days(14) == a)
        #expect(a + TimeSpan(seconds: 60) == Timestamp(seconds: a.seconds + 60))
    }

    @Test func encodesAsISO8601Text() throws {
        let time = try #require(Timestamp.parse("2026-03-01T14:05:00+02:00"))
        let data = try JSONEncoder().encode([time])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2026-03-01T12:05:00Z\"]")
        #expect(try JSONDecoder().decode([Timestamp].self, from: data) == [time])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Timestamp].self, from: Data("[\"2026-02-30\"]".utf8)) }
    }
}
