/// Finds where a JSON text first breaks the grammar, as a line and column a person can go to.
///
/// Foundation's parser says only "The given data was not valid JSON." on Linux, which tells someone with a damaged
/// model or a hand-edited rules file nothing about where to look. This checker walks the bytes once (no recursion, so
/// deep nesting cannot overflow the stack) and reports the first byte that cannot continue a JSON value, or that the
/// text stops while a value is still open: the mark of a truncated file.
public enum JSONSyntax {
    /// The first problem in a JSON text.
    public enum Problem: Equatable, Sendable {
        /// Nothing but white space.
        case empty
        /// The text stops inside a value (an open string, list or object, or half a literal); `line` is the last line.
        case endsEarly(line: Int)
        /// A byte that cannot come next: `found` as a person reads it, `expected` what the grammar allows there.
        case unexpected(line: Int, column: Int, found: String, expected: String)
    }

    private enum State { case value, valueOrEnd, key, keyOrEnd, colon, afterValue }

    /// The first problem in `bytes`, or nil when they are one well-formed JSON value (a UTF-8 BOM allowed before it).
    public static func firstProblem(in bytes: some Collection<UInt8>) -> Problem? {
        let text = Array(bytes)
        var i = text.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var open: [UInt8] = []  // the `{` and `[` not yet closed
        var state = State.value
        var sawValue = false

        func unexpected(_ at: Int, _ expected: String) -> Problem {
            let (line, column) = position(of: at, in: text)
            return .unexpected(line: line, column: column, found: shown(text, at), expected: expected)
        }
        func endsEarly() -> Problem { sawValue || !open.isEmpty ? .endsEarly(line: position(of: text.count, in: text).line) : .empty }

        while true {
            while i < text.count, text[i] == 0x20 || text[i] == 0x09 || text[i] == 0x0A || text[i] == 0x0D { i += 1 }
            guard i < text.count else { return state == .afterValue && open.isEmpty ? nil : endsEarly() }
            let c = text[i]
            switch state {
            case .value, .valueOrEnd:
                if state == .valueOrEnd, c == UInt8(ascii: "]") {
                    open.removeLast()
                    i += 1
                    state = .afterValue
                    continue
                }
                sawValue = true
                switch c {
                case UInt8(ascii: "{"): open.append(c); i += 1; state = .keyOrEnd
                case UInt8(ascii: "["): open.append(c); i += 1; state = .valueOrEnd
                case UInt8(ascii: "\""):
                    switch scanString(text, from: i) {
                    case .success(let end): i = end; state = .afterValue
                    case .failure(let stop): return stop.at == text.count ? endsEarly() : unexpected(stop.at, stop.expected)
                    }
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    switch scanNumber(text, from: i) {
                    case .success(let end): i = end; state = .afterValue
                    case .failure(let stop): return stop.at == text.count ? endsEarly() : unexpected(stop.at, stop.expected)
                    }
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    let word = Array((c == UInt8(ascii: "t") ? "true" : c == UInt8(ascii: "f") ? "false" : "null").utf8)
                    var k = 0
                    while k < word.count, i + k < text.count, text[i + k] == word[k] { k += 1 }
                    if k == word.count { i += k; state = .afterValue; continue }
                    if i + k == text.count { return endsEarly() }
                    return unexpected(i, "a value")
                default:
                    return unexpected(i, "a value")
                }
            case .key, .keyOrEnd:
                if state == .keyOrEnd, c == UInt8(ascii: "}") {
                    open.removeLast()
                    i += 1
                    state = .afterValue
                    continue
                }
                guard c == UInt8(ascii: "\"") else { return unexpected(i, state == .keyOrEnd ? "a key in double quotes, or \"}\"" : "a key in double quotes") }
                switch scanString(text, from: i) {
                case .success(let end): i = end; state = .colon
                case .failure(let stop): return stop.at == text.count ? endsEarly() : unexpected(stop.at, stop.expected)
                }
            case .colon:
                guard c == UInt8(ascii: ":") else { return unexpected(i, "\":\" after the key") }
                i += 1
                state = .value
            case .afterValue:
                guard let container = open.last else { return unexpected(i, "the end of the file after the value") }
                let close = container == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if c == UInt8(ascii: ",") {
                    i += 1
                    state = container == UInt8(ascii: "{") ? .key : .value
                } else if c == close {
                    open.removeLast()
                    i += 1
                } else {
                    return unexpected(i, "\",\" or \"\(Character(Unicode.Scalar(close)))\"")
                }
            }
        }
    }

    /// The byte ranges of the numbers in a well-formed JSON text (not of digits inside strings), in order.
    static func numbers(in text: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = [], i = 0
        while i < text.count {
            let c = text[i]
            if c == UInt8(ascii: "\"") {
                guard case .success(let end) = scanString(text, from: i) else { break }
                i = end
            } else if c == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) {
                guard case .success(let end) = scanNumber(text, from: i) else { break }
                ranges.append(i..<end)
                i = end
            } else {
                i += 1
            }
        }
        return ranges
    }

    /// The index just past the string that starts at `start` (a `"`), or where it goes wrong.
    private static func scanString(_ text: [UInt8], from start: Int) -> Result<Int, Stop> {
        let character = "an escaped character (\\n for a line break, \\t for a tab)"
        var i = start + 1
        while i < text.count {
            switch text[i] {
            case UInt8(ascii: "\""): return .success(i + 1)
            case UInt8(ascii: "\\"):
                let escape = "an escape (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\u and four hex digits)"
                guard i + 1 < text.count else { return .failure(Stop(at: text.count, expected: escape)) }
                if text[i + 1] == UInt8(ascii: "u") {
                    for k in (i + 2)..<(i + 6) {
                        guard k < text.count else { return .failure(Stop(at: text.count, expected: escape)) }
                        guard (text[k] | 0x20) >= UInt8(ascii: "a") && (text[k] | 0x20) <= UInt8(ascii: "f")
                                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[k]) else {
                            return .failure(Stop(at: k, expected: escape))
                        }
                    }
                    i += 6
                } else {
                    guard Array("\"\\/bfnrt".utf8).contains(text[i + 1]) else { return .failure(Stop(at: i + 1, expected: escape)) }
                    i += 2
                }
            case 0..<0x20: return .failure(Stop(at: i, expected: character))
            default: i += 1
            }
        }
        return .failure(Stop(at: text.count, expected: character))
    }

    /// The index just past the number that starts at `start`, or the index where it goes wrong.
    private static func scanNumber(_ text: [UInt8], from start: Int) -> Result<Int, Stop> {
        var i = start
        func digits() -> Bool {
            let first = i
            while i < text.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[i]) { i += 1 }
            return i > first
        }
        if text[i] == UInt8(ascii: "-") { i += 1 }
        guard digits() else { return .failure(Stop(at: i, expected: "a digit")) }
        if i < text.count, text[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() else { return .failure(Stop(at: i, expected: "a digit")) }
        }
        if i < text.count, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
            i += 1
            if i < text.count, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() else { return .failure(Stop(at: i, expected: "a digit")) }
        }
        return .success(i)
    }

    /// Where a scan stopped, and what the grammar wanted there.
    private struct Stop: Error {
        var at: Int
        var expected: String
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    static func position(of offset: Int, in text: [UInt8]) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for byte in text[..<min(offset, text.count)] {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }

    /// The character at `offset` as a person reads it in a message.
    private static func shown(_ text: [UInt8], _ offset: Int) -> String {
        let byte = text[offset]
        switch byte {
        case 0x0A, 0x0D: return "a line break"
        case 0x09: return "a tab"
        case 0x22: return "a double quote"
        case 0x21...0x7E: return "\"\(Character(Unicode.Scalar(byte)))\""
        default:
            let scalar = String(decoding: text[offset..<min(offset + 4, text.count)], as: UTF8.self).unicodeScalars.first
            if byte >= 0x80, let scalar, scalar != "\u{FFFD}" { return "\"\(Character(scalar))\"" }
            return "the byte 0x\(String(byte, radix: 16, uppercase: true))"
        }
    }
}
