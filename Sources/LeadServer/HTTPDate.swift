#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `Date` header of a response (RFC 9110's IMF-fixdate, `Thu, 03 Dec 2026 04:54:04 GMT`), formatted once per
/// second: one per connection, on its event loop.
struct HTTPDate {
    private var second: time_t = -1
    private var text = ""

    /// The header's value now.
    mutating func now() -> String {
        let t = time(nil)
        if t != second {
            second = t
            var parts = tm()
            var copy = t
            gmtime_r(&copy, &parts)
            func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
            text = "\(Self.days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(Self.months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
                + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
        }
        return text
    }

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
