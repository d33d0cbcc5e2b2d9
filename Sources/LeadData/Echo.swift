/// Input shown back in a message or a log line, made safe to print: control characters are escaped (`\n`, `\t`,
/// `\u{1B}`), so that a value can neither break the message onto a second line (forging another `error:` line) nor
/// send escape sequences to a terminal, and long values are cut, so that one message stays one readable line
/// whatever the input holds.
package enum Echo {
    /// How many characters of a value a message shows.
    package static let limit = 80

    /// `text` escaped and cut to `limit` characters, with the full length when it was cut: `abc… (100000 bytes)`.
    package static func text(_ text: some StringProtocol, limit: Int = Echo.limit) -> String {
        let (shown, cut) = escaped(text, limit: limit)
        return cut ? shown + "… (\(text.utf8.count) bytes)" : shown
    }

    /// ``text(_:limit:)`` in double quotes: `"abc"`, or `"abc…" (100000 bytes)` when cut.
    package static func quoted(_ text: some StringProtocol, limit: Int = Echo.limit) -> String {
        let (shown, cut) = escaped(text, limit: limit)
        return cut ? "\"" + shown + "…\" (\(text.utf8.count) bytes)" : "\"" + shown + "\""
    }

    /// A whole message made one safe line: control characters escaped, and cut to `limit` characters.
    package static func line(_ message: some StringProtocol, limit: Int = 2000) -> String {
        text(message, limit: limit)
    }

    /// The first `limit` characters of `text`, escaped, and whether there were more.
    private static func escaped(_ text: some StringProtocol, limit: Int) -> (String, Bool) {
        var out = ""
        var shown = 0
        var cut = false
        for scalar in text.unicodeScalars {
            if shown == limit {
                cut = true
                break
            }
            shown += 1
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                // C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return (out, cut)
    }
}
