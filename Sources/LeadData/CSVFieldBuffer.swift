/// The unescaped bytes and field boundaries of the current CSV record, reused from record to record.
///
/// Raw, manually grown buffers rather than arrays: the scanner writes into them without bounds or
/// copy-on-write checks in its inner loop, and no record after the first few allocates anything.
final class CSVFieldBuffer {
    /// The file's path as given, and the header's names, for error messages about a field.
    let path: String
    var columnNames: [String] = []

    /// Unescaped bytes of all fields of the record, back to back.
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private(set) var byteCapacity: Int
    var byteCount = 0

    /// `ends[i]` is the end offset of field `i` in `bytes`; field `i` starts where field `i - 1` ends.
    private var ends: UnsafeMutablePointer<Int>
    private var endCapacity: Int
    private(set) var fieldCount = 0

    init(path: String, byteCapacity: Int = 4096, fieldCapacity: Int = 64) {
        self.path = path
        self.byteCapacity = max(byteCapacity, 16)
        self.endCapacity = max(fieldCapacity, 4)
        bytes = .allocate(capacity: self.byteCapacity)
        ends = .allocate(capacity: self.endCapacity)
    }

    deinit {
        bytes.deallocate()
        ends.deallocate()
    }

    /// Forgets the current record, keeping the memory.
    @inline(__always)
    func removeAll() {
        byteCount = 0
        fieldCount = 0
    }

    /// Makes room for `extra` more bytes after `byteCount`; may move `bytes`.
    @inline(__always)
    func reserve(extraBytes extra: Int) {
        if byteCount + extra > byteCapacity { grow(toAtLeast: byteCount + extra) }
    }

    /// Ends the current field at byte offset `end` (which becomes the new `byteCount`).
    @inline(__always)
    func endField(at end: Int) {
        byteCount = end
        if fieldCount == endCapacity { growEnds() }
        ends[fieldCount] = end
        fieldCount += 1
    }

    /// The bytes of field `i` (0-based); valid until the buffer is next changed.
    @inline(__always)
    func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(i >= 0 && i < fieldCount, "field index \(i) out of range 0..<\(fieldCount)")
        let start = i == 0 ? 0 : ends[i - 1]
        return UnsafeBufferPointer(start: bytes + start, count: ends[i] - start)
    }

    /// Whether any field of the record contains `byte` (used only to word error hints).
    func contains(_ byte: UInt8) -> Bool {
        let end = fieldCount == 0 ? 0 : ends[fieldCount - 1]
        for k in 0..<end where bytes[k] == byte { return true }
        return false
    }

    private func grow(toAtLeast needed: Int) {
        var capacity = byteCapacity
        while capacity < needed { capacity *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        moved.update(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = moved
        byteCapacity = capacity
    }

    private func growEnds() {
        let capacity = endCapacity * 2
        let moved = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        moved.update(from: ends, count: fieldCount)
        ends.deallocate()
        ends = moved
        endCapacity = capacity
    }
}
