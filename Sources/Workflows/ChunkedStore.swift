#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable array of plain values kept in fixed chunks (of 2^20 elements unless told otherwise) rather than one block: appending tens of
/// millions of events never copies what is already stored, so memory grows by one chunk at a time instead of doubling
/// (a contiguous array's growth holds the old and the new block at once).
///
/// Written by one thread while it is filled; afterwards threads may write disjoint elements through ``chunks`` and
/// any number may read. Freed with the store.
final class ChunkedStore<Element: BitwiseCopyable>: @unchecked Sendable {
    /// Element `i` is element `i & mask` of chunk `i >> shift`.
    let shift: Int
    let mask: Int
    var chunkSize: Int { mask + 1 }

    /// The chunks, each of ``chunkSize`` elements (the last one filled up to ``count``).
    private(set) var chunks: [UnsafeMutablePointer<Element>] = []
    private(set) var count = 0

    /// An empty store of chunks of `2^shift` elements.
    init(shift: Int = 20) {
        self.shift = shift
        mask = 1 << shift - 1
    }

    deinit { release() }

    /// Frees every chunk; the store is empty afterwards.
    func release() {
        for chunk in chunks { chunk.deallocate() }
        chunks = []
        count = 0
    }

    @inline(__always)
    func append(_ value: Element) {
        let offset = count & mask
        if offset == 0 && count >> shift == chunks.count {
            chunks.append(.allocate(capacity: chunkSize))
        }
        chunks[count >> shift][offset] = value
        count += 1
    }

    @inline(__always)
    subscript(i: Int) -> Element {
        get { chunks[i >> shift][i & mask] }
        set { chunks[i >> shift][i & mask] = newValue }
    }
}
