/// Dense `Int32` codes (0, 1, 2, ... in order of first appearance) for a small set of byte strings looked up
/// very often: event names, once per event row.
///
/// ``StringInterner`` hashes every byte and then compares them; here a lookup loads the first and last eight
/// bytes, hashes those two words with the length, and compares the two words (plus the middle bytes, for
/// strings longer than 16), which is several times cheaper for names of typical length.
struct SmallVocabulary {
    /// The distinct strings, indexed by code.
    private(set) var strings: [String] = []

    private struct Slot {
        var length: Int32 = -1  // -1: empty
        var code: Int32 = 0
        var first: UInt64 = 0
        var last: UInt64 = 0
        /// Where the string's bytes start in `bytes` (for the middle of strings longer than 16 bytes).
        var offset: Int = 0
    }

    private var slots = [Slot](repeating: Slot(), count: 32)
    private var bytes: [UInt8] = []

    init() {}

    /// The number of distinct strings.
    var count: Int { strings.count }

    /// The code of `key` if it has been seen.
    @inline(__always)
    func code(of key: UnsafeBufferPointer<UInt8>) -> Int32? {
        let (first, last) = Self.words(key)
        let mask = slots.count - 1
        var slot = Self.slot(first, last, key.count, mask: mask)
        while true {
            let entry = slots[slot]
            if entry.length < 0 { return nil }
            if entry.length == key.count && entry.first == first && entry.last == last
                && (key.count <= 16 || middleEquals(entry.offset, key)) {
                return entry.code
            }
            slot = (slot + 1) & mask
        }
    }

    /// The code of `key`, adding it if it is new; nil (and nothing added) if it is not valid UTF-8.
    mutating func intern(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        if let code = code(of: key) { return code }
        guard let string = String(validating: key, as: UTF8.self) else { return nil }
        let code = Int32(strings.count)
        strings.append(string)
        let (first, last) = Self.words(key)
        insert(Slot(length: Int32(key.count), code: code, first: first, last: last, offset: bytes.count))
        bytes.append(contentsOf: key)
        if strings.count * 2 > slots.count {
            let old = slots
            slots = [Slot](repeating: Slot(), count: slots.count * 2)
            for entry in old where entry.length >= 0 { insert(entry) }
        }
        return code
    }

    private mutating func insert(_ entry: Slot) {
        let mask = slots.count - 1
        var slot = Self.slot(entry.first, entry.last, Int(entry.length), mask: mask)
        while slots[slot].length >= 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    /// Two words that, with the length, determine a string of up to 16 bytes: its first and last eight bytes
    /// (overlapping when shorter than 16); shorter than 8, the bytes packed into `first`.
    @inline(__always)
    static func words(_ key: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        let n = key.count
        guard let base = key.baseAddress else { return (0, 0) }
        let p = UnsafeRawPointer(base)
        if n >= 8 {
            return (p.loadUnaligned(as: UInt64.self), p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
        }
        if n >= 4 {
            let low = UInt64(p.loadUnaligned(as: UInt32.self))
            let high = UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            return (low | high << 32, 0)
        }
        var word: UInt64 = 0
        for i in 0..<n { word |= UInt64(base[i]) << (8 * UInt64(i)) }
        return (word, 0)
    }

    @inline(__always)
    private static func slot(_ first: UInt64, _ last: UInt64, _ length: Int, mask: Int) -> Int {
        let h = (first ^ (last &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(truncatingIfNeeded: length)) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: h >> 32) & mask
    }

    /// Whether bytes 8..<count-8 of `key` equal those of the stored string at `offset` (same length).
    private func middleEquals(_ offset: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { stored in
            var i = 8
            while i < key.count - 8 {
                if stored[offset + i] != key[i] { return false }
                i += 1
            }
            return true
        }
    }
}
