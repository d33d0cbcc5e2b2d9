/// An instant as whole seconds since 1970-01-01T00:00:00Z (UTC); sub-second parts are dropped (floor).
///
/// Whole seconds in an `Int64` rather than `Date`: comparisons and differences are integer operations in the
/// event loop, and two runs over the same data give the same bits. Encoded in JSON as its ``iso8601`` text.
public struct Timestamp: Comparable, Hashable, Sendable {
    /// Seconds since 1970-01-01T00:00:00Z; negative before.
    public var seconds: Int64

    public init(seconds: Int64) {
        self.seconds = seconds
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        a.seconds < b.seconds
    }

    /// The instant `span` later (earlier for a negative span).
    public static func + (time: Timestamp, span: TimeSpan) -> Timestamp {
        Timestamp(seconds: time.seconds + span.seconds)
    }

    /// The instant `span` earlier (a cutoff: `decidedAt - gap`).
    public static func - (time: Timestamp, span: TimeSpan) -> Timestamp {
        Timestamp(seconds: time.seconds - span.seconds)
    }
}

// MARK: - Parsing

extension Timestamp {
    /// Parses ISO 8601 as CRM exports write it, from raw bytes without allocating.
    ///
    /// Accepted: `2026-03-01` (midnight UTC), `2026-03-01T14:05`, `2026-03-01T14:05:00`,
    /// `2026-03-01T14:05:00.123` (any number of fraction digits, dropped), each optionally followed by `Z`,
    /// `+02:00`, `-0500` or `+02`; a space may stand for `T`, `t` and `z` are accepted too, and surrounding
    /// spaces are ignored. A time without an offset is UTC. Anything else, or an impossible date or time
    /// (2026-02-30, month 13, hour 24, second 60, offset +24:00), is nil.
    @inline(__always)
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        parseWithOffset(bytes)?.time
    }

    /// As ``parse(_:)-(UnsafeBufferPointer<UInt8>)``, and whether the text carried an offset (`Z`, `+02:00`): a time
    /// without one is UTC here, and a ``DateFormats`` with another zone moves it.
    package static func parseWithOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> (time: Timestamp, zoned: Bool)? {
        guard var p = bytes.baseAddress else { return nil }
        var n = bytes.count
        // Nearly every timestamp in an export is `YYYY-MM-DDTHH:MM:SS`, with or without a `Z`.
        if n == 19 || (n == 20 && p[19] | 0x20 == letterZ | 0x20), let fast = parseDateTime19(p) {
            return (fast, n == 20)
        }
        // The common exact shapes go straight through; spaces are the rare case.
        if n > 0 && (p[0] == space || p[n - 1] == space) {
            while n > 0 && p[0] == space { p += 1; n -= 1 }
            while n > 0 && p[n - 1] == space { n -= 1 }
        }
        guard n >= 10 else { return nil }

        // Date: YYYY-MM-DD.
        guard p[4] == dash, p[7] == dash,
              let year = digits4(p), let month = digits2(p + 5), let day = digits2(p + 8),
              month >= 1, month <= 12, day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        if n == 10 { return (Timestamp(seconds: days * 86_400), false) }

        // Time: THH:MM[:SS[.fff]].
        guard n >= 16, p[10] == letterT || p[10] == space || p[10] == letterT | 0x20, p[13] == colon,
              let hour = digits2(p + 11), let minute = digits2(p + 14), hour < 24, minute < 60
        else { return nil }
        var second = 0
        var i = 16
        if i < n && p[i] == colon {
            guard i + 3 <= n, let s = digits2(p + i + 1), s < 60 else { return nil }
            second = s
            i += 3
            if i < n && p[i] == dot {
                i += 1
                let first = i
                while i < n && p[i] &- zero < 10 { i += 1 }
                guard i > first else { return nil }
            }
        }
        var local = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        if i == n { return (Timestamp(seconds: local), false) }

        // Offset: Z, ±HH:MM, ±HHMM or ±HH; the local time minus the offset is UTC.
        let sign = p[i]
        if sign == letterZ || sign == letterZ | 0x20 {
            return i + 1 == n ? (Timestamp(seconds: local), true) : nil
        }
        guard sign == plus || sign == minus, i + 3 <= n, let offsetHours = digits2(p + i + 1), offsetHours < 24
        else { return nil }
        i += 3
        var offsetMinutes = 0
        if i < n {
            if p[i] == colon { i += 1 }
            guard i + 2 == n, let m = digits2(p + i), m < 60 else { return nil }
            offsetMinutes = m
        }
        let offset = Int64(offsetHours * 3600 + offsetMinutes * 60)
        local += sign == minus ? offset : -offset
        return (Timestamp(seconds: local), true)
    }

    /// `YYYY-MM-DDTHH:MM:SS` (or a space for `T`) at `p`, checked eight bytes at a time (SWAR): nil when the
    /// bytes have another shape (the general parser then decides) or the date or time is impossible.
    @inline(__always)
    private static func parseDateTime19(_ p: UnsafePointer<UInt8>) -> Timestamp? {
        let raw = UnsafeRawPointer(p)
        let a = raw.loadUnaligned(as: UInt64.self)  // "YYYY-MM-"
        let b = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)  // "DDTHH:MM"
        let c = raw.loadUnaligned(fromByteOffset: 16, as: UInt16.self)  // ":S"
        let d = UInt64(p[18])  // "S"
        // Digits where expected (high nibble 3, low nibble at most 9; adding 6 must not reach 0x40), and
        // the separators exactly; bytes are little-endian, byte 0 lowest.
        let digitsA: UInt64 = 0x00FF_FF00_FFFF_FFFF
        let digitsB: UInt64 = 0xFFFF_00FF_FF00_FFFF
        let nibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let threes: UInt64 = 0x3030_3030_3030_3030
        let sixes: UInt64 = 0x0606_0606_0606_0606
        let separator = b & 0x0000_0000_00FF_0000
        guard a & (nibbles & digitsA) == threes & digitsA,
              (a &+ (sixes & digitsA)) & (nibbles & digitsA) == threes & digitsA,
              a & ~digitsA == 0x2D00_002D_0000_0000,  // '-' at 4 and 7
              b & (nibbles & digitsB) == threes & digitsB,
              (b &+ (sixes & digitsB)) & (nibbles & digitsB) == threes & digitsB,
              b & 0x0000_FF00_0000_0000 == 0x0000_3A00_0000_0000,  // ':' at 13
              separator == 0x54_0000 || separator == 0x20_0000 || separator == 0x74_0000,  // 'T', ' ', 't' at 10
              c & 0xF0FF == 0x303A, (c >> 8) & 0x0F < 10, d &- 0x30 < 10  // ":SS" at 16
        else { return nil }
        @inline(__always) func digit(_ word: UInt64, _ byte: UInt64) -> Int { Int((word >> (8 * byte)) & 0x0F) }
        let year = digit(a, 0) * 1000 + digit(a, 1) * 100 + digit(a, 2) * 10 + digit(a, 3)
        let month = digit(a, 5) * 10 + digit(a, 6)
        let day = digit(b, 0) * 10 + digit(b, 1)
        let hour = digit(b, 3) * 10 + digit(b, 4)
        let minute = digit(b, 6) * 10 + digit(b, 7)
        let second = Int((c >> 8) & 0x0F) * 10 + Int(d &- 0x30)
        guard month >= 1, month <= 12, day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Timestamp(seconds: days * 86_400 + Int64(hour * 3600 + minute * 60 + second))
    }

    /// Parses ISO 8601 text; see ``parse(_:)-(UnsafeBufferPointer<UInt8>)``.
    public static func parse(_ text: String) -> Timestamp? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    /// Two ASCII digits at `p` as a number, or nil.
    @inline(__always)
    private static func digits2(_ p: UnsafePointer<UInt8>) -> Int? {
        let a = p[0] &- zero
        let b = p[1] &- zero
        guard a < 10, b < 10 else { return nil }
        return Int(a) * 10 + Int(b)
    }

    /// Four ASCII digits at `p` as a number, or nil.
    @inline(__always)
    private static func digits4(_ p: UnsafePointer<UInt8>) -> Int? {
        guard let high = digits2(p), let low = digits2(p + 2) else { return nil }
        return high * 100 + low
    }
}

private let zero = UInt8(ascii: "0")
private let dash = UInt8(ascii: "-")
private let colon = UInt8(ascii: ":")
private let dot = UInt8(ascii: ".")
private let plus = UInt8(ascii: "+")
private let minus = UInt8(ascii: "-")
private let space = UInt8(ascii: " ")
private let letterT = UInt8(ascii: "T")
private let letterZ = UInt8(ascii: "Z")

// MARK: - Calendar

extension Timestamp {
    /// Days since 1970-01-01 of the proleptic Gregorian date `year-month-day` (negative before), by Howard
    /// Hinnant's `days_from_civil`: exact for every year, with no table and no loop. `month` is 1...12 and
    /// `day` 1...``daysIn(month:year:)``; other values give meaningless days.
    @inlinable @inline(__always)
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Hinnant's `civil_from_days`, the inverse of
    /// ``daysFromCivil(year:month:day:)``), for writing dates without `Date`, a formatter or a time zone.
    @inlinable
    public static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), Int(month), Int(day))
    }

    /// The number of days in `month` (1...12) of `year`, leap years by the Gregorian rule: the bound a
    /// date's day must stay within before ``daysFromCivil(year:month:day:)``.
    @inlinable @inline(__always)
    public static func daysIn(month: Int, year: Int) -> Int {
        if month == 2 {
            return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        }
        // 30 days in April, June, September, November; 31 in the rest.
        return 30 | ((month ^ (month >> 3)) & 1)
    }
}

// MARK: - Formatting

extension Timestamp: CustomStringConvertible {
    /// `2026-03-01T14:05:00Z`: the instant in UTC, to the second. Years outside 0...9999 keep all their
    /// digits and a sign if negative, so the text always parses back when the year has four digits.
    public var iso8601: String {
        let (quotient, remainder) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let days = remainder < 0 ? quotient - 1 : quotient
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = Self.civilFromDays(days)
        var text = ""
        text.reserveCapacity(20)
        if year < 0 { text += "-" }
        let yearDigits = String(year.magnitude)
        text += String(repeating: "0", count: max(0, 4 - yearDigits.count)) + yearDigits
        func two(_ value: Int) {
            text.unicodeScalars.append(Unicode.Scalar(UInt8(48 + value / 10)))
            text.unicodeScalars.append(Unicode.Scalar(UInt8(48 + value % 10)))
        }
        text += "-"; two(month)
        text += "-"; two(day)
        text += "T"; two(secondOfDay / 3600)
        text += ":"; two(secondOfDay / 60 % 60)
        text += ":"; two(secondOfDay % 60)
        text += "Z"
        return text
    }

    /// The ``iso8601`` text.
    public var description: String { iso8601 }

    /// Appends ``iso8601`` as bytes (without the `Z` when `zone` is false, or only the date with `dateOnly`), without
    /// building a String: for database values turned into CSV text by the million.
    package func appendISO8601(to out: inout [UInt8], zone: Bool = true, dateOnly: Bool = false) {
        let (quotient, remainder) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let days = remainder < 0 ? quotient - 1 : quotient
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = Self.civilFromDays(days)
        guard (0...9999).contains(year) else {
            var text = iso8601
            if dateOnly { text = String(text.prefix(while: { $0 != "T" })) } else if !zone { text.removeLast() }
            out.append(contentsOf: text.utf8)
            return
        }
        @inline(__always) func two(_ value: Int) {
            out.append(UInt8(48 + value / 10))
            out.append(UInt8(48 + value % 10))
        }
        two(Int(year / 100)); two(Int(year % 100))
        out.append(0x2D); two(month)
        out.append(0x2D); two(day)
        if dateOnly { return }
        out.append(0x54); two(secondOfDay / 3600)
        out.append(0x3A); two(secondOfDay / 60 % 60)
        out.append(0x3A); two(secondOfDay % 60)
        if zone { out.append(0x5A) }
    }
}

// MARK: - Codable

extension Timestamp: Codable {
    /// Reads the ``iso8601`` text (any form ``parse(_:)-(String)`` accepts), so model files stay readable.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not an ISO 8601 date or time")
        }
        self = parsed
    }

    /// Writes the ``iso8601`` text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }
}
