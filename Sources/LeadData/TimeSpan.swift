/// A length of time as given on the command line (`--gap 14d`, `--implicit-lost-after 180d`), in whole seconds.
///
/// Encoded in JSON as its ``description`` (`"14d"`), the form a person typed.
public struct TimeSpan: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The length in seconds; never negative when made by ``parse(_:)``.
    public var seconds: Int64

    public init(seconds: Int64) {
        self.seconds = seconds
    }

    /// The longest span leadscore takes anywhere (gaps, windows, caps): 100 years is more history than any CRM
    /// holds, and keeps every sum of a time and a span far from overflowing.
    public static let longest = TimeSpan.days(36_500)

    /// `days` whole days.
    public static func days(_ days: Int64) -> TimeSpan {
        TimeSpan(seconds: days * 86_400)
    }

    /// Parses `14d`, `36h`, `90m`, `30s` or `2w` (a whole number and a unit, either case); a bare number
    /// means days. Nil for anything else: negative or fractional amounts, spaces, unknown units, overflow.
    public static func parse(_ text: String) -> TimeSpan? {
        var amount: Int64 = 0
        var digits = 0
        var unit: Int64 = 86_400
        var sawUnit = false
        for byte in text.utf8 {
            guard !sawUnit else { return nil }  // nothing may follow the unit
            if byte &- UInt8(ascii: "0") < 10 {
                let (times10, o1) = amount.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int64(byte &- UInt8(ascii: "0")))
                guard !o1, !o2 else { return nil }
                amount = sum
                digits += 1
                continue
            }
            switch byte | 0x20 {  // ASCII lowercase
            case UInt8(ascii: "w"): unit = 7 * 86_400
            case UInt8(ascii: "d"): unit = 86_400
            case UInt8(ascii: "h"): unit = 3600
            case UInt8(ascii: "m"): unit = 60
            case UInt8(ascii: "s"): unit = 1
            default: return nil
            }
            sawUnit = true
        }
        guard digits > 0 else { return nil }
        let (seconds, overflow) = amount.multipliedReportingOverflow(by: unit)
        return overflow ? nil : TimeSpan(seconds: seconds)
    }

    /// The span in the largest unit among days, hours, minutes and seconds that divides it: `14d`, `36h`,
    /// `90m`, `45s` (weeks are shown as days). ``parse(_:)`` reads it back to the same span.
    public var description: String {
        if seconds == 0 { return "0d" }
        for (unit, letter) in [(Int64(86_400), "d"), (3600, "h"), (60, "m")] where seconds % unit == 0 {
            return "\(seconds / unit)\(letter)"
        }
        return "\(seconds)s"
    }
}

extension TimeSpan: Codable {
    /// Reads the text form (`"14d"`; anything ``parse(_:)`` accepts).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = TimeSpan.parse(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not a time span such as 14d, 36h, 90m, 30s or 2w")
        }
        self = parsed
    }

    /// Writes ``description``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
