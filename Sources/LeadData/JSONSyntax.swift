/// Finds where a JSON text first breaks the grammar, as a line and column a person can go to.
///
/// Foundation's parser says only "The given data was not valid JSON." on Linux, which tells someone with a damaged
/// model or a hand-edited rules file nothing about where to look. This runs ``JSONScanner`` (no recursion, so deep
/// nesting cannot overflow the stack) and reports the first byte that cannot continue a JSON value, or that the text
/// stops while a value is still open: the mark of a truncated file.
package enum JSONSyntax {
    /// The first problem in a JSON text.
    package enum Problem: Equatable, Sendable {
        /// Nothing but white space.
        case empty
        /// The text stops inside a value (an open string, list or object, or half a literal); `line` is the last line.
        case endsEarly(line: Int)
        /// A byte that cannot come next: `found` as a person reads it, `expected` what the grammar allows there.
        case unexpected(line: Int, column: Int, found: String, expected: String)
    }

    /// The first problem in `bytes`, or nil when they are one well-formed JSON value (a UTF-8 BOM allowed before it).
    package static func firstProblem(in bytes: some Collection<UInt8>) -> Problem? {
        let text = Array(bytes)
        return text.withUnsafeBufferPointer { buffer in
            var sink = Ignore()
            do throws(JSONScanner.Problem) {
                try JSONScanner.scan(buffer, into: &sink)
                return nil
            } catch {
                switch error {
                case .empty: return .empty
                case .endsEarly: return .endsEarly(line: position(of: text.count, in: text).line)
                case .unexpected(let at, let expected), .refused(let at, let expected):
                    let (line, column) = position(of: at, in: text)
                    return .unexpected(line: line, column: column, found: JSONScanner.shown(buffer, at), expected: expected)
                }
            }
        }
    }

    /// The byte ranges of the numbers in a well-formed JSON text (not of digits inside strings), in order.
    static func numbers(in text: [UInt8]) -> [Range<Int>] {
        var sink = Numbers()
        text.withUnsafeBufferPointer { buffer in try? JSONScanner.scan(buffer, into: &sink) }
        return sink.ranges
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    static func position(of offset: Int, in text: [UInt8]) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for byte in text[..<min(offset, text.count)] {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }

    /// A sink that keeps nothing: the grammar alone.
    private struct Ignore: JSONTokenSink {
        mutating func beginContainer(isObject: Bool, at: Int) {}
        mutating func endContainer(at: Int) {}
        mutating func string(_ range: Range<Int>, escaped: Bool, isKey: Bool) {}
        mutating func number(_ range: Range<Int>) {}
        mutating func literal(_ literal: JSONScanner.Literal, at: Int) {}
    }

    /// A sink that keeps where the numbers are.
    private struct Numbers: JSONTokenSink {
        var ranges: [Range<Int>] = []
        mutating func beginContainer(isObject: Bool, at: Int) {}
        mutating func endContainer(at: Int) {}
        mutating func string(_ range: Range<Int>, escaped: Bool, isKey: Bool) {}
        mutating func number(_ range: Range<Int>) { ranges.append(range) }
        mutating func literal(_ literal: JSONScanner.Literal, at: Int) {}
    }
}
