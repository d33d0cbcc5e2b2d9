/// Rows in the text format of `COPY ... FROM STDIN`, built field by field into a byte buffer: fields separated by tabs,
/// rows ended by a newline, `\N` for NULL, and in values the backslash, tab, newline and carriage return written as
/// `\\`, `\t`, `\n` and `\r`, so that no value can end a field or a row early, or be taken for NULL or the end of the
/// data (`\.`).
package struct CopyRows: Sendable {
    package private(set) var bytes: [UInt8] = []
    /// Rows ended so far.
    package private(set) var rows = 0
    private var fieldsInRow = 0

    package init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// A value: its UTF-8 bytes, escaped.
    package mutating func field(_ text: String) {
        separate()
        var text = text
        text.withUTF8 { Self.appendEscaped($0, to: &bytes) }
    }

    /// A value given as bytes (a number as the outputs write it, a JSON text), escaped.
    package mutating func field(bytes value: [UInt8]) {
        separate()
        value.withUnsafeBufferPointer { Self.appendEscaped($0, to: &bytes) }
    }

    /// NULL.
    package mutating func null() {
        separate()
        bytes.append(Self.backslash)
        bytes.append(0x4E)  // N
    }

    /// Ends the row.
    package mutating func endRow() {
        bytes.append(Self.newline)
        fieldsInRow = 0
        rows += 1
    }

    /// Forgets the bytes built so far (sent), keeping the count of rows and the buffer's capacity.
    package mutating func removeBytes() {
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func separate() {
        if fieldsInRow > 0 { bytes.append(Self.tab) }
        fieldsInRow += 1
    }

    /// `value` with the four bytes that COPY's text format reads specially escaped; runs without them copied whole.
    static func appendEscaped(_ value: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        var start = 0
        for i in value.indices {
            let escape: UInt8
            switch value[i] {
            case backslash: escape = backslash
            case tab: escape = 0x74  // t
            case newline: escape = 0x6E  // n
            case carriageReturn: escape = 0x72  // r
            default: continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[start..<i]))
            bytes.append(backslash)
            bytes.append(escape)
            start = i + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[start...]))
    }

    private static let backslash: UInt8 = 0x5C
    private static let tab: UInt8 = 0x09
    private static let newline: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D
}
