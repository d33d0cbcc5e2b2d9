import LeadData

/// ISO 8601 UTC timestamps from Unix seconds, written as bytes by integer arithmetic alone.
///
/// No `Date`, no formatter, no locale and no time zone: the generator's bytes depend on its seed only.
/// The calendar arithmetic is LeadData's (``Timestamp/civilFromDays(_:)``); this adds the fixed-width byte
/// writing that the generator's millions of event rows need.
package enum UTCTimestamp {
    /// Seconds in a day; UTC has no daylight saving and Unix time no leap seconds.
    package static let secondsPerDay: Int64 = 86_400

    /// `YYYY-MM-DDTHH:MM:SSZ` for Unix time `seconds` (years 0 to 9999).
    package static func string(epochSeconds seconds: Int64) -> String {
        var bytes = [UInt8](repeating: 0, count: 20)
        bytes.withUnsafeMutableBufferPointer { buffer in
            _ = write(epochSeconds: seconds, to: buffer.baseAddress!)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Unix time of midnight UTC on a `YYYY-MM-DD` date, or nil when the text is not a valid date.
    package static func epochSeconds(parsingDate text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let digit = Int(bytes[i]) - 48
                guard digit >= 0 && digit <= 9 else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year)
        else { return nil }
        return Timestamp.daysFromCivil(year: year, month: month, day: day) * secondsPerDay
    }

    /// Writes the 20 bytes of `YYYY-MM-DDTHH:MM:SSZ` at `out`; returns the pointer past them.
    @inline(__always)
    static func write(epochSeconds seconds: Int64, to out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var days = seconds / secondsPerDay
        var secondOfDay = seconds - days * secondsPerDay
        if secondOfDay < 0 {
            days -= 1
            secondOfDay += secondsPerDay
        }
        let date = Timestamp.civilFromDays(days)
        let year = Int(date.year)
        let hour = Int(secondOfDay / 3600)
        let minute = Int(secondOfDay / 60 % 60)
        let second = Int(secondOfDay % 60)
        out[0] = digit(year / 1000 % 10)
        out[1] = digit(year / 100 % 10)
        out[2] = digit(year / 10 % 10)
        out[3] = digit(year % 10)
        out[4] = UInt8(ascii: "-")
        out[5] = digit(date.month / 10)
        out[6] = digit(date.month % 10)
        out[7] = UInt8(ascii: "-")
        out[8] = digit(date.day / 10)
        out[9] = digit(date.day % 10)
        out[10] = UInt8(ascii: "T")
        out[11] = digit(hour / 10)
        out[12] = digit(hour % 10)
        out[13] = UInt8(ascii: ":")
        out[14] = digit(minute / 10)
        out[15] = digit(minute % 10)
        out[16] = UInt8(ascii: ":")
        out[17] = digit(second / 10)
        out[18] = digit(second % 10)
        out[19] = UInt8(ascii: "Z")
        return out + 20
    }

    @inline(__always)
    private static func digit(_ value: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: 48 + value)
    }
}

/// The `YYYY-MM-DD` text of every day in a range, so that writing a timestamp copies ten bytes instead of
/// converting days to a date again for each of millions of events.
final class DateTable {
    private let firstDay: Int64
    private let dayCount: Int64
    private let dates: UnsafeMutablePointer<UInt8>

    /// Covers the days from `start` (inclusive) to `end` (exclusive), in Unix seconds.
    init(from start: Int64, to end: Int64) {
        firstDay = start / UTCTimestamp.secondsPerDay
        dayCount = max(0, (end - 1) / UTCTimestamp.secondsPerDay - firstDay + 1)
        dates = .allocate(capacity: Int(dayCount) * 20)
        for day in 0..<dayCount {
            _ = UTCTimestamp.write(epochSeconds: (firstDay + day) * UTCTimestamp.secondsPerDay, to: dates + Int(day) * 20)
        }
    }

    deinit {
        dates.deallocate()
    }

    /// Writes `epochSeconds` as `YYYY-MM-DDTHH:MM:SSZ`; times outside the table's days are converted in full.
    @inline(__always)
    func write(_ epochSeconds: Int64, to row: inout RowWriter) {
        let day = epochSeconds / UTCTimestamp.secondsPerDay - firstDay
        guard epochSeconds >= 0 && day >= 0 && day < dayCount else {
            row.timestamp(epochSeconds)
            return
        }
        let out = row.position
        out.update(from: dates + Int(day) * 20, count: 11)
        let secondOfDay = Int(epochSeconds % UTCTimestamp.secondsPerDay)
        let hour = secondOfDay / 3600, minute = secondOfDay / 60 % 60, second = secondOfDay % 60
        out[11] = UInt8(truncatingIfNeeded: 48 + hour / 10)
        out[12] = UInt8(truncatingIfNeeded: 48 + hour % 10)
        out[13] = UInt8(ascii: ":")
        out[14] = UInt8(truncatingIfNeeded: 48 + minute / 10)
        out[15] = UInt8(truncatingIfNeeded: 48 + minute % 10)
        out[16] = UInt8(ascii: ":")
        out[17] = UInt8(truncatingIfNeeded: 48 + second / 10)
        out[18] = UInt8(truncatingIfNeeded: 48 + second % 10)
        out[19] = UInt8(ascii: "Z")
        row.position = out + 20
    }
}
