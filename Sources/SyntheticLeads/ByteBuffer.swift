/// A reusable, growable byte buffer that CSV rows are written into by hand, without a `String` per field.
///
/// Rows are appended through a ``RowWriter`` over the buffer's memory; the buffer is emptied after each flush
/// and keeps its capacity, so a long run allocates only while the first few rows find their size.
struct ByteBuffer {
    private var storage: [UInt8]
    /// Bytes written so far.
    private(set) var count = 0

    init(capacity: Int) {
        storage = [UInt8](repeating: 0, count: max(capacity, 256))
    }

    /// Appends one row of at most `maxBytes` bytes, written by `body`.
    @inline(__always)
    mutating func row(maxBytes: Int, _ body: (inout RowWriter) -> Void) {
        if count + maxBytes > storage.count {
            storage.append(contentsOf: repeatElement(0, count: max(storage.count, maxBytes)))
        }
        let start = count
        count = storage.withUnsafeMutableBufferPointer { buffer in
            var writer = RowWriter(position: buffer.baseAddress! + start)
            body(&writer)
            return writer.position - buffer.baseAddress!
        }
    }

    /// Forgets the contents, keeping the memory.
    mutating func removeAll() {
        count = 0
    }

    /// The bytes written so far.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        storage.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }
}

/// Writes the fields of one row at a position inside a ``ByteBuffer``; the caller reserved enough room.
struct RowWriter {
    var position: UnsafeMutablePointer<UInt8>

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        position.pointee = value
        position += 1
    }

    /// The bytes of a literal, as they are (callers pass CSV-ready text).
    @inline(__always)
    mutating func text(_ value: StaticString) {
        let count = value.utf8CodeUnitCount
        position.update(from: value.utf8Start, count: count)
        position += count
    }

    /// Bytes as they are (callers pass CSV-ready text).
    @inline(__always)
    mutating func bytes(_ value: [UInt8]) {
        value.withUnsafeBufferPointer { position.update(from: $0.baseAddress!, count: $0.count) }
        position += value.count
    }

    /// A non-negative integer in decimal.
    @inline(__always)
    mutating func decimal(_ value: Int) {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        zeroPadded(value, width: digits)
    }

    /// A non-negative integer in decimal, left-padded with zeros to `width` digits.
    @inline(__always)
    mutating func zeroPadded(_ value: Int, width: Int) {
        var rest = value
        var i = width - 1
        while i >= 0 {
            position[i] = UInt8(truncatingIfNeeded: 48 + rest % 10)
            rest /= 10
            i -= 1
        }
        position += width
    }

    /// An ISO 8601 UTC timestamp, `2025-03-04T10:15:00Z`.
    @inline(__always)
    mutating func timestamp(_ epochSeconds: Int64) {
        position = UTCTimestamp.write(epochSeconds: epochSeconds, to: position)
    }

    /// A probability strictly inside (0, 1) as `0.` and exactly `decimals` digits, rounded and kept off 0 and 1.
    mutating func probability(_ value: Double, decimals: Int) {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * Double(scale)).rounded())
        text("0.")
        zeroPadded(min(max(scaled, 1), scale - 1), width: decimals)
    }
}
