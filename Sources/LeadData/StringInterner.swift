/// Assigns dense `Int32` codes (0, 1, 2, ... in order of first appearance) to strings given as raw bytes.
///
/// For category levels and ids read from CSV: looking a value up hashes and compares its bytes in place,
/// so only a value never seen before costs a `String`. Swift's `Dictionary<String, _>` would build a
/// String and run SipHash for every field, which is several times slower on large files.
package struct StringInterner: Sendable {
    /// The distinct strings, indexed by code.
    package private(set) var strings: [String] = []

    /// All distinct strings' bytes back to back; string `c` is `bytes[starts[c]..<starts[c + 1]]`.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open addressing, linear probing: a code, or -1 for an empty slot; the count is a power of two.
    private var slots: [Int32] = Array(repeating: -1, count: 64)

    package init() {}

    /// The number of distinct strings so far.
    package var count: Int { strings.count }

    /// The code of `text`, adding it if it is new; `nil` (and nothing added) if the bytes are not valid UTF-8.
    package mutating func intern(_ text: UnsafeBufferPointer<UInt8>) -> Int32? {
        let hash = Self.hash(text)
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while true {
            let code = slots[slot]
            if code < 0 { break }
            if hashes[Int(code)] == hash && equals(Int(code), text) { return code }
            slot = (slot + 1) & (slots.count - 1)
        }
        guard let string = String(validating: text, as: UTF8.self) else { return nil }
        let code = Int32(strings.count)
        strings.append(string)
        bytes.append(contentsOf: text)
        starts.append(bytes.count)
        hashes.append(hash)
        slots[slot] = code
        if strings.count * 2 > slots.count { grow() }
        return code
    }

    /// The code of `text`; adds it if it is new.
    package mutating func intern(_ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { intern($0)! }
    }

    /// The code of `text` if it has been seen, without adding it (for a frozen vocabulary).
    package func code(of text: UnsafeBufferPointer<UInt8>) -> Int32? {
        let hash = Self.hash(text)
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while true {
            let code = slots[slot]
            if code < 0 { return nil }
            if hashes[Int(code)] == hash && equals(Int(code), text) { return code }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    /// The code of `text` if it has been seen.
    package func code(of text: String) -> Int32? {
        var text = text
        return text.withUTF8 { code(of: $0) }
    }

    private func equals(_ code: Int, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[code]
        let length = starts[code + 1] - start
        guard length == text.count else { return false }
        if length == 0 { return true }
        return bytes.withUnsafeBufferPointer { stored in
            memcmpBytes(stored.baseAddress! + start, text.baseAddress!, length)
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        var moved = [Int32](repeating: -1, count: capacity)
        for code in hashes.indices {
            var slot = Int(truncatingIfNeeded: hashes[code]) & (capacity - 1)
            while moved[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            moved[slot] = Int32(code)
        }
        slots = moved
    }

    /// A fast 64-bit hash of the bytes, eight at a time, finished with a strong mix (SplitMix64's).
    @inline(__always)
    static func hash(_ text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: text.count)
        guard let base = text.baseAddress else { return mix(h) }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= text.count {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < text.count {
            tail |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return mix(h)
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Byte equality of two ranges of `count` bytes.
@inline(__always)
private func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
        if UnsafeRawPointer(a).loadUnaligned(fromByteOffset: i, as: UInt64.self)
            != UnsafeRawPointer(b).loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i += 8
    }
    while i < count {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
