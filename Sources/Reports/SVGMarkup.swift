/// The few pieces of SVG text a chart needs, written so that the same chart always gives the same bytes and user text
/// cannot break the XML.
package enum SVGMarkup {
    /// A coordinate with two decimals, never `-0.00`; two decimals are a hundredth of a pixel, finer than any screen.
    static func number(_ value: Double) -> String {
        NumberFormat.fixed(value, 2)
    }

    /// `text` safe inside an element or a quoted attribute: markup characters become entities and the control
    /// characters that XML 1.0 forbids become spaces.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// An element with attributes in the given order; `content` is written as is (already escaped or markup), and
    /// without content the element closes itself.
    static func element(_ name: String, _ attributes: [(String, String)], content: String? = nil) -> String {
        let attrs = attributes.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
        guard let content else { return "<\(name)\(attrs)/>" }
        return "<\(name)\(attrs)>\(content)</\(name)>"
    }

    /// A `<text>` element holding escaped `text`.
    static func text(_ text: String, x: Double, y: Double, _ attributes: [(String, String)] = []) -> String {
        element("text", [("x", number(x)), ("y", number(y))] + attributes, content: escape(text))
    }

    /// A rough width in pixels of `text` in a sans-serif font, for sizing the legend box; generous rather than tight,
    /// since a box a little too wide looks fine and one too narrow lets text spill out.
    static func estimatedWidth(_ text: String, fontSize: Double) -> Double {
        var ems = 0.0
        for c in text {
            switch c {
            case "i", "l", "j", "I", ".", ",", ":", ";", "'", "|", "!", " ", "(", ")", "[", "]", "f", "t", "r": ems += 0.34
            case "m", "w", "M", "W", "%", "@": ems += 0.9
            case "A"..."Z": ems += 0.68
            default: ems += 0.57
            }
        }
        return ems * fontSize
    }
}
