/// The login page of `serve --token-file` (`GET /login`), in one function so that it can be restyled in one place:
/// a form that posts the token (and the page to go back to) to `POST /login`. Every interpolated text goes through
/// ``HTML/escape(_:)``.
enum LoginPage {
    /// The page; `error` is shown above the form (after a wrong token), `next` goes back with the form as a hidden field.
    static func html(error: String?, next: String?) -> String {
        let error = error.map { "\n<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? ""
        let next = next.map { "\n<input type=\"hidden\" name=\"next\" value=\"\(HTML.escape($0))\">" } ?? ""
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="data:,">
            <title>Log in · leadscore</title>
            </head>
            <body>
            <main>
            <h1>Log in to leadscore</h1>\(error)
            <form method="post" action="/login">\(next)
            <label for="token">Token</label>
            <input type="password" id="token" name="token" autocomplete="current-password" required>
            <button type="submit">Log in</button>
            </form>
            <p>The token is the one in the file the server was started with (<code>leadscore serve --token-file</code>).</p>
            </main>
            </body>
            </html>

            """
    }
}

/// Text made safe for HTML: in element content and in quoted attribute values.
enum HTML {
    /// `text` with `&`, `<`, `>`, `"` and `'` written as character references.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}

/// A body of type `application/x-www-form-urlencoded`, as a browser posts a form: `name=value` pairs joined by `&`,
/// `+` for a space and `%XX` for a byte.
enum FormBody {
    /// The first value of each name, decoded (a `%` not followed by two hex digits is kept as it is; bytes that are not
    /// UTF-8 become U+FFFD).
    static func decode(_ bytes: some Collection<UInt8>) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in Array(bytes).split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            let name = text(pair[..<equals])
            let value = equals == pair.endIndex ? "" : text(pair[pair.index(after: equals)...])
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = hexValue(bytes, i + 1), let low = hexValue(bytes, i + 2) {
                out.append(high << 4 | low)
                i += 3
                continue
            } else {
                out.append(byte)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ bytes: ArraySlice<UInt8>, _ i: Int) -> UInt8? {
        guard i < bytes.endIndex else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return bytes[i] - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return bytes[i] - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return bytes[i] - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
