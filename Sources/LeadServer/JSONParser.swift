#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LeadData

/// Reads a request body into a ``JSONValue``: leadscore's one JSON grammar (``JSONScanner``, strict RFC 8259, the
/// same that checks model and rules files) with a sink that builds the values and refuses what the grammar allows but
/// a request must not have: a key given twice, invalid UTF-8 or a lone surrogate in a string, a number too large for
/// a Double, nesting deeper than ``maxDepth``.
///
/// Written for the server rather than taken from Foundation so that every error carries a byte offset, duplicate
/// keys are caught, booleans never pass for numbers, and numbers read exactly as `strtod` (and so as leadscore's
/// CSV reader) reads the same digits.
struct JSONParser: JSONTokenSink {
    /// How deep arrays and objects may nest (values are built, and freed, recursively).
    static let maxDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    /// The objects and arrays still open, innermost last, with the key each awaits a value for.
    private var objects: [[String: JSONValue]] = []
    private var arrays: [[JSONValue]] = []
    private var isObject: [Bool] = []
    private var keys: [(key: String, at: Int)] = []
    private var result: JSONValue?

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses one JSON value that fills `bytes` (surrounding white space aside).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes)
        do throws(JSONScanner.Problem) {
            try JSONScanner.scan(bytes, into: &parser)
        } catch {
            switch error {
            case .empty: throw JSONSyntaxError(offset: bytes.count, message: "there is no JSON value")
            case .endsEarly: throw JSONSyntaxError(offset: bytes.count, message: "unexpected end of the body: a value is not complete")
            case .unexpected(let at, let expected):
                throw JSONSyntaxError(offset: at, message: "found \(JSONScanner.shown(bytes, at)) where \(expected) should be")
            case .refused(let at, let message): throw JSONSyntaxError(offset: at, message: message)
            }
        }
        return parser.result ?? .null
    }

    /// Parses `bytes` as ``parse(_:)-(UnsafeBufferPointer<UInt8>)`` does.
    static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in try parse(buffer) }
    }

    // MARK: - The sink

    mutating func beginContainer(isObject object: Bool, at: Int) throws(JSONScanner.Problem) {
        guard isObject.count < Self.maxDepth else { throw .refused(at: at, message: "nested more than \(Self.maxDepth) levels deep") }
        isObject.append(object)
        if object {
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(8)  // a lead's keys without regrowing
            objects.append(members)
        } else {
            arrays.append([])
        }
    }

    mutating func endContainer(at: Int) throws(JSONScanner.Problem) {
        try add(isObject.removeLast() ? .object(objects.removeLast()) : .array(arrays.removeLast()), at: at)
    }

    mutating func string(_ range: Range<Int>, escaped: Bool, isKey: Bool) throws(JSONScanner.Problem) {
        let text = try decode(range.lowerBound + 1..<range.upperBound - 1, escaped: escaped)
        if isKey { keys.append((text, range.lowerBound)) } else { try add(.string(text), at: range.lowerBound) }
    }

    mutating func number(_ range: Range<Int>) throws(JSONScanner.Problem) {
        // strtod needs a terminated string: copy the (short) literal onto the stack.
        let value: Double = withUnsafeTemporaryAllocation(of: CChar.self, capacity: range.count + 1) { text in
            for k in 0..<range.count { text[k] = CChar(bitPattern: bytes[range.lowerBound + k]) }
            text[range.count] = 0
            return strtod(text.baseAddress!, nil)
        }
        guard value.isFinite else { throw .refused(at: range.lowerBound, message: "a number too large for a Double") }
        try add(.number(value), at: range.lowerBound)
    }

    mutating func literal(_ literal: JSONScanner.Literal, at: Int) throws(JSONScanner.Problem) {
        switch literal {
        case .true: try add(.bool(true), at: at)
        case .false: try add(.bool(false), at: at)
        case .null: try add(.null, at: at)
        }
    }

    /// Puts a finished value where it belongs: under the awaited key, at the end of the open array, or as the result.
    private mutating func add(_ value: JSONValue, at: Int) throws(JSONScanner.Problem) {
        guard let object = isObject.last else {
            result = value
            return
        }
        if object {
            let (key, keyAt) = keys.removeLast()
            guard objects[objects.count - 1].updateValue(value, forKey: key) == nil else {
                throw .refused(at: keyAt, message: "the key \"\(key)\" appears twice in one object")
            }
        } else {
            arrays[arrays.count - 1].append(value)
        }
    }

    /// The text of a string literal's contents (`range`, quotes excluded), its escapes resolved (the scanner has
    /// checked their form), as valid UTF-8.
    private func decode(_ range: Range<Int>, escaped: Bool) throws(JSONScanner.Problem) -> String {
        let run = UnsafeBufferPointer(rebasing: bytes[range])
        if !escaped {
            // Most often ASCII only, which needs no UTF-8 check.
            let text = run.allSatisfy { $0 < 0x80 } ? String(decoding: run, as: UTF8.self) : String(validating: run, as: UTF8.self)
            guard let text else { throw .refused(at: range.lowerBound - 1, message: "a string is not valid UTF-8") }
            return text
        }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        func hex4(_ at: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { $0 << 4 | UInt32(JSONScanner.hexValue(bytes[at + $1]) ?? 0) }
        }
        while i < range.upperBound {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
            let kind = bytes[i + 1]
            i += 2
            switch kind {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(i)
                i += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by an escaped low one.
                    guard i + 6 <= range.upperBound, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u"),
                          case let low = hex4(i + 2), (0xDC00..<0xE000).contains(low) else {
                        throw .refused(at: i - 6, message: "a lone UTF-16 surrogate in a \\u escape")
                    }
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw .refused(at: i - 6, message: "a lone UTF-16 surrogate in a \\u escape")
                }
                out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
            default: out.append(kind)  // \" \\ \/
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            throw .refused(at: range.lowerBound - 1, message: "a string is not valid UTF-8")
        }
        return text
    }
}
