import Reports

/// A piece of HTML whose every interpolated `String` is escaped: `"<td>\(name)</td>" as HTML` can never let a contact
/// id, a profile value or an event name become markup, whatever it holds. Markup goes in only as another `HTML` value
/// (or a literal), so what reaches the page unescaped is visible in the type.
public struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup.
    public private(set) var text: String

    public init(stringLiteral value: String) { text = value }

    public init(stringInterpolation: StringInterpolation) { text = stringInterpolation.text }

    /// Markup that is already safe: a chart's SVG (which escapes its own text), or a fragment built here.
    init(trusted markup: String) { text = markup }

    public var description: String { text }

    /// Appends another fragment.
    public static func += (a: inout HTML, b: HTML) { a.text += b.text }

    public static func + (a: HTML, b: HTML) -> HTML { HTML(trusted: a.text + b.text) }

    /// The fragments one after the other.
    static func join<S: Sequence>(_ parts: S) -> HTML where S.Element == HTML {
        HTML(trusted: parts.map(\.text).joined())
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var text = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) { text += literal }

        /// Text: escaped.
        public mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }

        /// Markup: as it is.
        public mutating func appendInterpolation(_ value: HTML) { text += value.text }

        /// A whole number: nothing to escape.
        public mutating func appendInterpolation(_ value: Int) { text += String(value) }

        /// Optional markup: nothing when nil.
        public mutating func appendInterpolation(_ value: HTML?) { text += value?.text ?? "" }
    }

    /// `text` safe inside an element or a quoted attribute: `& < > " '` become entities, and the control characters
    /// that XML forbids become spaces (a NUL from a CSV cell would otherwise reach the page); the same escaping as the
    /// charts' SVG, so one page never escapes two ways.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 < 0x20 || $0 >= 0xEF }) else {
            return text
        }
        return SVGMarkup.escape(text)
    }

    /// `text` as one component of a URL path or query (RFC 3986 unreserved characters kept, the rest percent-encoded
    /// as UTF-8), for links built from contact ids.
    public static func urlComponent(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 15)])
            }
        }
        return out
    }
}
