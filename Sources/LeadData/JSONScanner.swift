/// The one JSON grammar of leadscore (RFC 8259, strict): walks a text once, without recursion (so that no nesting,
/// however deep, can overflow the stack), and hands each token to a ``JSONTokenSink``, or stops at the first byte that
/// cannot continue a JSON value, or where the text ends with a value still open.
///
/// ``JSONSyntax`` runs it with a sink that keeps nothing, to say where a model, rules or spec file breaks; the HTTP
/// server runs it with a sink that builds the request's values. A UTF-8 byte order mark may come first.
package enum JSONScanner {
    /// Why a text is not one JSON value.
    package enum Problem: Error, Equatable, Sendable {
        /// Nothing but white space.
        case empty
        /// The text stops inside a value (an open string, list or object, or half a literal or number).
        case endsEarly
        /// The byte at `at` cannot come next; `expected` is what the grammar allows there, as a person reads it.
        case unexpected(at: Int, expected: String)
        /// A sink's refusal of a well-formed token at `at` (a key given twice, say).
        case refused(at: Int, message: String)
    }

    /// A `true`, `false` or `null`.
    package enum Literal: Sendable { case `true`, `false`, null }

    private enum State { case value, valueOrEnd, key, keyOrEnd, colon, afterValue }

    /// Walks `text`, handing its tokens to `sink` in order; throws the first problem, the sink's included.
    package static func scan<Sink: JSONTokenSink>(_ text: UnsafeBufferPointer<UInt8>, into sink: inout Sink) throws(Problem) {
        var i = text.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var open: [UInt8] = []  // the `{` and `[` not yet closed
        var state = State.value
        var sawValue = false

        func endsEarly() -> Problem { sawValue || !open.isEmpty ? .endsEarly : .empty }
        /// The string at `i` (a value, or a key), then `next`.
        func string(isKey: Bool, then next: State) throws(Problem) {
            switch scanString(text, from: i) {
            case .success(let (end, escaped)):
                try sink.string(i..<end, escaped: escaped, isKey: isKey)
                i = end
                state = next
            case .failure(let failure): throw stop(failure)
            }
        }
        /// The `}` or `]` at `i` closes the innermost container.
        func close() throws(Problem) {
            open.removeLast()
            try sink.endContainer(at: i)
            i += 1
            state = .afterValue
        }
        func stop(_ stop: Stop) -> Problem { stop.at == text.count ? endsEarly() : .unexpected(at: stop.at, expected: stop.expected) }

        while true {
            while i < text.count, text[i] == 0x20 || text[i] == 0x09 || text[i] == 0x0A || text[i] == 0x0D { i += 1 }
            guard i < text.count else {
                if state == .afterValue && open.isEmpty { return }
                throw endsEarly()
            }
            let c = text[i]
            switch state {
            case .value, .valueOrEnd:
                if state == .valueOrEnd, c == UInt8(ascii: "]") {
                    try close()
                    continue
                }
                sawValue = true
                switch c {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    open.append(c)
                    try sink.beginContainer(isObject: c == UInt8(ascii: "{"), at: i)
                    i += 1
                    state = c == UInt8(ascii: "{") ? .keyOrEnd : .valueOrEnd
                case UInt8(ascii: "\""):
                    try string(isKey: false, then: .afterValue)
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    switch scanNumber(text, from: i) {
                    case .success(let end):
                        try sink.number(i..<end)
                        i = end
                        state = .afterValue
                    case .failure(let failure): throw stop(failure)
                    }
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    let (word, literal): (StaticString, Literal) = c == UInt8(ascii: "t") ? ("true", .true) : c == UInt8(ascii: "f") ? ("false", .false) : ("null", .null)
                    let n = word.utf8CodeUnitCount
                    var k = 0
                    while k < n, i + k < text.count, text[i + k] == word.utf8Start[k] { k += 1 }
                    if k == n {
                        try sink.literal(literal, at: i)
                        i += k
                        state = .afterValue
                        continue
                    }
                    if i + k == text.count { throw endsEarly() }
                    throw .unexpected(at: i, expected: "a value")
                default:
                    throw .unexpected(at: i, expected: "a value")
                }
            case .key, .keyOrEnd:
                if state == .keyOrEnd, c == UInt8(ascii: "}") {
                    try close()
                    continue
                }
                guard c == UInt8(ascii: "\"") else {
                    throw .unexpected(at: i, expected: state == .keyOrEnd ? "a key in double quotes, or \"}\"" : "a key in double quotes")
                }
                try string(isKey: true, then: .colon)
            case .colon:
                guard c == UInt8(ascii: ":") else { throw .unexpected(at: i, expected: "\":\" after the key") }
                i += 1
                state = .value
            case .afterValue:
                guard let container = open.last else { throw .unexpected(at: i, expected: "the end of the file after the value") }
                let closer = container == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if c == UInt8(ascii: ",") {
                    i += 1
                    state = container == UInt8(ascii: "{") ? .key : .value
                } else if c == closer {
                    try close()
                } else {
                    throw .unexpected(at: i, expected: "\",\" or \"\(Character(Unicode.Scalar(closer)))\"")
                }
            }
        }
    }

    /// The index just past the string that starts at `start` (a `"`) and whether it holds escapes, or where it goes
    /// wrong. Escapes are checked for form here; what they stand for is the sink's business.
    private static func scanString(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Result<(Int, Bool), Stop> {
        let character = "an escaped character (\\n for a line break, \\t for a tab)"
        let escape = "an escape (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\u and four hex digits)"
        var i = start + 1, escaped = false
        while i < text.count {
            switch text[i] {
            case UInt8(ascii: "\""): return .success((i + 1, escaped))
            case UInt8(ascii: "\\"):
                escaped = true
                guard i + 1 < text.count else { return .failure(Stop(at: text.count, expected: escape)) }
                if text[i + 1] == UInt8(ascii: "u") {
                    for k in (i + 2)..<(i + 6) {
                        guard k < text.count else { return .failure(Stop(at: text.count, expected: escape)) }
                        guard hexValue(text[k]) != nil else { return .failure(Stop(at: k, expected: escape)) }
                    }
                    i += 6
                } else {
                    switch text[i + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        i += 2
                    default:
                        return .failure(Stop(at: i + 1, expected: escape))
                    }
                }
            case 0..<0x20: return .failure(Stop(at: i, expected: character))
            default: i += 1
            }
        }
        return .failure(Stop(at: text.count, expected: character))
    }

    /// The index just past the number that starts at `start`, or the index where it goes wrong. A leading zero is a
    /// number of its own, so `01` stops at the `1`.
    private static func scanNumber(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Result<Int, Stop> {
        var i = start
        func digits() -> Bool {
            let first = i
            while i < text.count, text[i] &- UInt8(ascii: "0") < 10 { i += 1 }
            return i > first
        }
        if text[i] == UInt8(ascii: "-") { i += 1 }
        if i < text.count, text[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            guard digits() else { return .failure(Stop(at: i, expected: "a digit")) }
        }
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

    /// A hex digit's value, or nil.
    package static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Where a scan stopped, and what the grammar wanted there.
    private struct Stop: Error {
        var at: Int
        var expected: String
    }

    /// The character at `offset` as a person reads it in a message: `"x"`, `a line break`, `the byte 0xFF`.
    package static func shown(_ text: UnsafeBufferPointer<UInt8>, _ offset: Int) -> String {
        let byte = text[offset]
        switch byte {
        case 0x0A, 0x0D: return "a line break"
        case 0x09: return "a tab"
        case 0x22: return "a double quote"
        case 0x21...0x7E: return "\"\(Character(Unicode.Scalar(byte)))\""
        default:
            let scalar = String(decoding: UnsafeBufferPointer(rebasing: text[offset..<min(offset + 4, text.count)]), as: UTF8.self).unicodeScalars.first
            if byte >= 0x80, let scalar, scalar != "\u{FFFD}" { return "\"\(Character(scalar))\"" }
            return "the byte 0x\(String(byte, radix: 16, uppercase: true))"
        }
    }
}

/// What a ``JSONScanner`` hands over as it walks a text, in order; byte ranges index the text. A sink may refuse a
/// token by throwing ``JSONScanner/Problem/refused(at:message:)``, which stops the scan.
package protocol JSONTokenSink {
    /// An object (`isObject`) or an array opens at `at`.
    mutating func beginContainer(isObject: Bool, at: Int) throws(JSONScanner.Problem)
    /// The innermost open object or array closes at `at`.
    mutating func endContainer(at: Int) throws(JSONScanner.Problem)
    /// A string literal, quotes included; `escaped` when it holds a backslash; `isKey` for an object's key.
    mutating func string(_ range: Range<Int>, escaped: Bool, isKey: Bool) throws(JSONScanner.Problem)
    /// A number literal.
    mutating func number(_ range: Range<Int>) throws(JSONScanner.Problem)
    /// `true`, `false` or `null` at `at`.
    mutating func literal(_ literal: JSONScanner.Literal, at: Int) throws(JSONScanner.Problem)
}
