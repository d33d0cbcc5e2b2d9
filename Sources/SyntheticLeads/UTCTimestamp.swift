/// Calendar arithmetic and ISO 8601 UTC timestamps from Unix seconds, by integer arithmetic alone.
///
/// No `Date`, no formatter, no locale and no time zone: the generator's bytes depend on its seed only.
/// The day conversions are Howard Hinnant's `days_from_civil` and `civil_from_days` (proleptic Gregorian).
public enum UTCTimestamp {
    /// Seconds in a day; UTC has no daylight saving and Unix time no leap seconds.
    public static let secondsPerDay: Int64 = 86_400

    /// Days since 1970-01-01 of the date `year-month-day` (negative before 1970).
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of the day `days` after 1970-01-01.
    public static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for Unix time `seconds` (years 0 to 9999).
    public static func string(epochSeconds seconds: Int64) -> String {
        var bytes = [UInt8](repeating: 0, count: 20)
        bytes.withUnsafeMutableBufferPointer { buffer in
            _ = write(epochSeconds: seconds, to: buffer.baseAddress!)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Unix time of midnight UTC on a `YYYY-MM-DD` date, or nil when the text is not a valid date.
    public static func epochSeconds(parsingDate text: String) -> Int64? {
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
              (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        return days(year: year, month: month, day: day) * secondsPerDay
    }

    /// Days in `month` of `year`, leap years included.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
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
        let date = civil(days: days)
        let hour = Int(secondOfDay / 3600)
        let minute = Int(secondOfDay / 60 % 60)
        let second = Int(secondOfDay % 60)
        out[0] = digit(date.year / 1000 % 10)
        out[1] = digit(date.year / 100 % 10)
        out[2] = digit(date.year / 10 % 10)
        out[3] = digit(date.year % 10)
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
