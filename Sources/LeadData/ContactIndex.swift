#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Contact id bytes to contact index and creation time, in one cache line per lookup.
///
/// The event loop looks up a contact for every row, at random: with a million contacts any table is far
/// larger than the caches, and each dependent memory access costs 150-250 ns on this machine. A
/// ``StringInterner`` probes three arrays and the key bytes (four misses); here a slot holds everything
/// needed, so a lookup usually touches one line, and ``touch(slot:)`` and ``probeLine(_:w0:w1:from:lines:)`` let
/// a batch of lookups overlap their misses.
///
/// A slot is 32 bytes, 64-byte aligned (two per line), open addressing with linear probing at load <= 1/2
/// that starts at the first slot of a line:
/// `code: Int32` (-1 when empty), `length: UInt32`, `created: Int64`, then 16 key bytes: the whole id when it
/// has at most 16 bytes (zero-padded), else its first 8 bytes and the offset of the whole id in `longKeys`.
/// Immutable once built.
final class ContactIndex: @unchecked Sendable {
    private let slots: UnsafeMutableRawPointer
    private let mask: Int
    private let slotCount: Int
    /// Ids longer than 16 bytes, back to back.
    private let longKeys: [UInt8]
    let count: Int

    static let slotSize = 32
    static let inlineLimit = 16

    /// Indexes `ids` (distinct; index = position) with their creation times.
    init(ids: [String], createdAt: [Timestamp]) {
        precondition(ids.count == createdAt.count, "\(createdAt.count) created_at values for \(ids.count) ids")
        var slotCount = 16
        while slotCount < ids.count * 2 { slotCount *= 2 }
        let bytes = slotCount * Self.slotSize
        var memory: UnsafeMutableRawPointer? = nil
        // 2 MiB alignment lets the kernel back a large table with huge pages (fewer TLB misses).
        let alignment = bytes >= 1 << 21 ? 1 << 21 : 64
        guard posix_memalign(&memory, alignment, bytes) == 0, let slots = memory else {
            fatalError("cannot allocate \(bytes) bytes for the contact index")
        }
        #if os(Linux)
        if bytes >= 1 << 21 { _ = madvise(slots, bytes, 14 /* MADV_HUGEPAGE */) }
        #endif
        slots.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        for s in 0..<slotCount { slots.storeBytes(of: Int32(-1), toByteOffset: s * Self.slotSize, as: Int32.self) }
        self.slots = slots
        self.slotCount = slotCount
        self.mask = slotCount - 1
        self.count = ids.count

        var longKeys: [UInt8] = []
        for (code, id) in ids.enumerated() {
            var id = id
            id.withUTF8 { key in
                var slot = Self.firstSlot(StringInterner.hash(key), mask: slotCount - 1)
                while slots.load(fromByteOffset: slot * Self.slotSize, as: Int32.self) >= 0 {
                    slot = (slot + 1) & (slotCount - 1)
                }
                let entry = slots + slot * Self.slotSize
                entry.storeBytes(of: Int32(code), as: Int32.self)
                entry.storeBytes(of: UInt32(key.count), toByteOffset: 4, as: UInt32.self)
                entry.storeBytes(of: createdAt[code].seconds, toByteOffset: 8, as: Int64.self)
                if key.count <= Self.inlineLimit {
                    if let base = key.baseAddress { (entry + 16).copyMemory(from: base, byteCount: key.count) }
                } else {
                    (entry + 16).copyMemory(from: key.baseAddress!, byteCount: 8)
                    entry.storeBytes(of: UInt64(longKeys.count), toByteOffset: 24, as: UInt64.self)
                    longKeys.append(contentsOf: key)
                }
            }
        }
        self.longKeys = longKeys
    }

    deinit {
        free(slots)
    }

    /// The contact index and creation time for `key`, or nil when no contact has that id.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>) -> (code: Int32, created: Int64)? {
        // Copy the key into two zero-padded words, as slots store it (long keys: the first 8 bytes).
        var w0: UInt64 = 0
        var w1: UInt64 = 0
        if let base = key.baseAddress {
            withUnsafeMutableBytes(of: &w0) { raw in
                raw.copyMemory(from: UnsafeRawBufferPointer(start: base, count: min(key.count, 8)))
            }
            if key.count > 8 && key.count <= Self.inlineLimit {
                withUnsafeMutableBytes(of: &w1) { raw in
                    raw.copyMemory(from: UnsafeRawBufferPointer(start: base + 8, count: key.count - 8))
                }
            }
        }
        return find(key, hash: StringInterner.hash(key), w0: w0, w1: w1)
    }

    /// As ``find(_:)`` with the key's hash and its first 16 bytes zero-padded (`w1` unused for long keys).
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, w0: UInt64, w1: UInt64) -> (code: Int32, created: Int64)? {
        switch probeLine(key, w0: w0, w1: w1, from: firstSlot(hash), lines: Int.max) {
        case .found(let code, let created): return (code, created)
        case .absent, .continueAt: return nil
        }
    }

    /// The result of probing some lines of the table for a key.
    enum Probe {
        case found(code: Int32, created: Int64)
        case absent
        /// Not decided within the lines probed: go on at this slot (the start of the next line).
        case continueAt(Int)
    }

    /// Probes at most `lines` cache lines (two slots each) from `slot`, the first slot of a line. A batch
    /// probes one line per key, touches the next line of the keys left undecided, and probes again, so that
    /// even the lookups that run past their first line overlap their misses.
    @inline(__always)
    func probeLine(_ key: UnsafeBufferPointer<UInt8>, w0: UInt64, w1: UInt64, from slot: Int, lines: Int) -> Probe {
        let length = UInt32(truncatingIfNeeded: key.count)
        var slot = slot
        var remaining = lines >= Int.max / 2 ? Int.max : lines * 2
        while remaining > 0 {
            let entry = UnsafeRawPointer(slots + slot &* Self.slotSize)
            let code = entry.load(as: Int32.self)
            if code < 0 { return .absent }
            if entry.load(fromByteOffset: 4, as: UInt32.self) == length
                && entry.load(fromByteOffset: 16, as: UInt64.self) == w0 {
                if key.count <= Self.inlineLimit {
                    if entry.load(fromByteOffset: 24, as: UInt64.self) == w1 {
                        return .found(code: code, created: entry.load(fromByteOffset: 8, as: Int64.self))
                    }
                } else if longKeyEquals(Int(entry.load(fromByteOffset: 24, as: UInt64.self)), key) {
                    return .found(code: code, created: entry.load(fromByteOffset: 8, as: Int64.self))
                }
            }
            slot = (slot &+ 1) & mask
            remaining &-= 1
        }
        return .continueAt(slot)
    }

    /// Reads slot `slot` and returns a byte of it, so that a loop over a batch of lookups starts all their
    /// cache misses before it needs any of them.
    @inline(__always)
    func touch(slot: Int) -> Int32 {
        UnsafeRawPointer(slots + slot &* Self.slotSize).load(as: Int32.self)
    }

    /// Where probing for `hash` starts: the first slot of a cache line, so the first two probes cost one miss.
    @inline(__always)
    func firstSlot(_ hash: UInt64) -> Int {
        Self.firstSlot(hash, mask: mask)
    }

    @inline(__always)
    private static func firstSlot(_ hash: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: hash) & mask & ~1
    }

    private func longKeyEquals(_ offset: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        longKeys.withUnsafeBufferPointer { stored in
            memcmp(stored.baseAddress! + offset, key.baseAddress!, key.count) == 0
        }
    }
}
