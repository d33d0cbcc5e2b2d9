import Foundation

/// How an export writes dates and times, besides ISO 8601 (which is always read): patterns such as `MM/DD/YYYY HH:mm`,
/// and the time zone of values that carry no offset (CRMs export in the exporting user's zone).
///
/// Pattern letters: `YYYY` year, `YY` two-digit year (2000 to 2099), `MM`/`M` month, `DD`/`D` day, `HH`/`H` hour
/// 0 to 23, `hh`/`h` hour 1 to 12 with `a` (AM or PM, any case), `mm` minutes, `ss` seconds, `SSS` fractions of a
/// second (any number of digits, dropped), `Z` an offset (`Z`, `+02:00`, `-0500`). Number fields take one or two
/// digits (`3/7/2026` and `03/07/2026` alike). Any other character must appear as it is.
public struct DateFormats: Sendable, Equatable {
    /// Patterns tried in order, after ISO 8601.
    public var patterns: [DatePattern]
    /// The zone of values without an offset.
    public var zone: Zone

    public init(patterns: [DatePattern] = [], zone: Zone = .utc) {
        self.patterns = patterns
        self.zone = zone
    }

    /// Where a time without an offset is.
    public enum Zone: Sendable, Equatable, CustomStringConvertible {
        case utc
        /// A fixed offset east of UTC, in seconds.
        case offset(Int)
        /// An IANA zone (`Europe/Berlin`), with its daylight-saving rules.
        case named(String)

        /// `UTC`, `+02:00`, or an IANA name; nil for anything else.
        public init?(_ text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if ["utc", "z", "gmt", "+00:00", "+0000"].contains(trimmed.lowercased()) {
                self = .utc
                return
            }
            if let first = trimmed.first, first == "+" || first == "-" {
                let digits = trimmed.dropFirst().replacingOccurrences(of: ":", with: "")
                guard digits.count == 4 || digits.count == 2, let value = Int(digits), digits.allSatisfy(\.isNumber) else { return nil }
                let hours = digits.count == 4 ? value / 100 : value, minutes = digits.count == 4 ? value % 100 : 0
                guard hours < 24, minutes < 60 else { return nil }
                self = .offset((first == "-" ? -1 : 1) * (hours * 3600 + minutes * 60))
                return
            }
            guard TimeZone(identifier: trimmed) != nil else { return nil }
            self = .named(trimmed)
        }

        public var description: String {
            switch self {
            case .utc: return "UTC"
            case .named(let name): return name
            case .offset(let seconds):
                let a = abs(seconds)
                return (seconds < 0 ? "-" : "+") + String(format: "%02d:%02d", a / 3600, a % 3600 / 60)
            }
        }
    }

    /// Whether these are leadscore's own (ISO 8601 only, UTC).
    public var isStandard: Bool { patterns.isEmpty && zone == .utc }
}

/// One date or date-time pattern, such as `MM/DD/YYYY HH:mm` (see ``DateFormats``), compiled once.
public struct DatePattern: Sendable, Equatable, CustomStringConvertible {
    public let description: String
    let tokens: [Token]

    enum Token: Sendable, Equatable {
        case year4, year2, month, day, hour24, hour12, minute, second, fraction, meridiem, offset
        case literal(UInt8)
    }

    /// Compiles `text`; nil when it has no year, month and day, repeats a field, or mixes 12- and 24-hour clocks.
    public init?(_ text: String) {
        var tokens: [Token] = []
        var rest = Substring(text)
        let names: [(String, Token)] = [("YYYY", .year4), ("YY", .year2), ("MM", .month), ("M", .month), ("DD", .day), ("D", .day),
                                        ("HH", .hour24), ("H", .hour24), ("hh", .hour12), ("h", .hour12), ("mm", .minute),
                                        ("ss", .second), ("SSS", .fraction), ("a", .meridiem), ("Z", .offset)]
        while !rest.isEmpty {
            if let (name, token) = names.first(where: { rest.hasPrefix($0.0) }) {
                tokens.append(token)
                rest = rest.dropFirst(name.count)
            } else {
                guard let byte = rest.utf8.first, byte < 0x80, !(byte >= 0x41 && byte <= 0x5A), !(byte >= 0x61 && byte <= 0x7A) else { return nil }
                tokens.append(.literal(byte))
                rest = rest.dropFirst()
            }
        }
        let fields = tokens.filter { if case .literal = $0 { false } else { true } }
        guard Set(fields.map { "\($0)" }).count == fields.count,
              fields.contains(.month), fields.contains(.day), fields.contains(.year4) || fields.contains(.year2),
              !(fields.contains(.hour12) && fields.contains(.hour24)), fields.contains(.hour12) == fields.contains(.meridiem)
        else { return nil }
        description = text
        self.tokens = tokens
    }

    /// The value of `bytes` as seconds of a wall-clock time read as if it were UTC, and the offset the value carries
    /// (seconds east of UTC), if it has one; nil when `bytes` does not fit the pattern or names an impossible time.
    func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (local: Int64, offset: Int?)? {
        var i = 0
        let n = bytes.count
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        var pm: Bool?
        var offset: Int?
        func number(maxDigits: Int) -> Int? {
            var value = 0, count = 0
            while i < n, count < maxDigits, bytes[i] &- 0x30 < 10 {
                value = value * 10 + Int(bytes[i] &- 0x30)
                i += 1
                count += 1
            }
            return count == 0 ? nil : value
        }
        for token in tokens {
            switch token {
            case .year4:
                let start = i
                guard let y = number(maxDigits: 4), i - start == 4 else { return nil }
                year = y
            case .year2:
                let start = i
                guard let y = number(maxDigits: 2), i - start == 2 else { return nil }
                year = 2000 + y
            case .month: guard let v = number(maxDigits: 2) else { return nil }; month = v
            case .day: guard let v = number(maxDigits: 2) else { return nil }; day = v
            case .hour24, .hour12: guard let v = number(maxDigits: 2) else { return nil }; hour = v
            case .minute: guard let v = number(maxDigits: 2) else { return nil }; minute = v
            case .second: guard let v = number(maxDigits: 2) else { return nil }; second = v
            case .fraction:
                let start = i
                while i < n, bytes[i] &- 0x30 < 10 { i += 1 }
                guard i > start else { return nil }
            case .meridiem:
                guard i + 2 <= n, bytes[i + 1] | 0x20 == 0x6D else { return nil }  // "m"
                switch bytes[i] | 0x20 {
                case 0x61: pm = false  // "a"
                case 0x70: pm = true   // "p"
                default: return nil
                }
                i += 2
            case .offset:
                guard i < n else { return nil }
                if bytes[i] | 0x20 == 0x7A {  // "z"
                    offset = 0
                    i += 1
                } else {
                    guard bytes[i] == 0x2B || bytes[i] == 0x2D else { return nil }
                    let negative = bytes[i] == 0x2D
                    i += 1
                    let start = i
                    guard let h = number(maxDigits: 2), i - start == 2 else { return nil }
                    var m = 0
                    if i < n, bytes[i] == 0x3A { i += 1 }
                    if i < n, bytes[i] &- 0x30 < 10 {
                        let mStart = i
                        guard let v = number(maxDigits: 2), i - mStart == 2 else { return nil }
                        m = v
                    }
                    guard h < 24, m < 60 else { return nil }
                    offset = (negative ? -1 : 1) * (h * 3600 + m * 60)
                }
            case .literal(let byte):
                guard i < n, bytes[i] == byte else { return nil }
                i += 1
            }
        }
        guard i == n else { return nil }
        if let pm {
            guard hour >= 1, hour <= 12 else { return nil }
            hour = hour % 12 + (pm ? 12 : 0)
        }
        guard month >= 1, month <= 12, day >= 1, day <= Timestamp.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        return (days * 86_400 + Int64(hour * 3600 + minute * 60 + second), offset)
    }
}

/// Reads timestamps as a ``DateFormats`` says, for one reader (it keeps a cache of the zone's offsets, so it is not
/// shared between threads): ISO 8601 first, then each pattern; a time without an offset is in the formats' zone.
package final class DateParser {
    package let formats: DateFormats
    private let zone: TimeZone?
    /// Offsets of the named zone (seconds east of UTC) by the hour of local time they were computed for.
    private var offsets: [Int64: Int] = [:]

    package init(_ formats: DateFormats) {
        self.formats = formats
        if case .named(let name) = formats.zone { zone = TimeZone(identifier: name) } else { zone = nil }
    }

    package func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        if let (time, zoned) = Timestamp.parseWithOffset(bytes) {
            return zoned ? time : utc(fromLocal: time.seconds)
        }
        for pattern in formats.patterns {
            if let (local, offset) = pattern.parse(bytes) {
                return offset.map { Timestamp(seconds: local - Int64($0)) } ?? utc(fromLocal: local)
            }
        }
        return nil
    }

    /// The instant of a wall-clock time in the zone.
    private func utc(fromLocal local: Int64) -> Timestamp {
        switch formats.zone {
        case .utc: return Timestamp(seconds: local)
        case .offset(let seconds): return Timestamp(seconds: local - Int64(seconds))
        case .named:
            // The offset in force at that wall-clock time: guessed from the instant as if the time were UTC, then
            // checked at the instant that guess gives (right everywhere but inside a transition's skipped hour).
            let hour = local / 3600
            if let cached = offsets[hour] { return Timestamp(seconds: local - Int64(cached)) }
            guard let zone else { return Timestamp(seconds: local) }
            var offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local)))
            let second = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - Int64(offset))))
            if second != offset { offset = second }
            offsets[hour] = offset
            return Timestamp(seconds: local - Int64(offset))
        }
    }
}
