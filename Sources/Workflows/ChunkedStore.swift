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
        for chunk in chunks { free(chunk) }
        chunks = []
        count = 0
    }

    /// A new chunk: aligned to 2 MiB when it is that large, so that the kernel may back it with huge pages (a fault
    /// per 2 MiB rather than per 4 KiB while a history is read).
    private func allocateChunk() -> UnsafeMutablePointer<Element> {
        let bytes = chunkSize * MemoryLayout<Element>.stride
        let alignment = bytes >= 1 << 21 ? 1 << 21 : max(16, MemoryLayout<Element>.alignment)
        var memory: UnsafeMutableRawPointer? = nil
        guard posix_memalign(&memory, alignment, bytes) == 0, let memory else {
            fatalError("cannot allocate \(bytes) bytes for events")
        }
        #if os(Linux)
        if bytes >= 1 << 21 { _ = madvise(memory, bytes, 14 /* MADV_HUGEPAGE */) }
        #endif
        return memory.bindMemory(to: Element.self, capacity: chunkSize)
    }

    @inline(__always)
    func append(_ value: Element) {
        let offset = count & mask
        if offset == 0 && count >> shift == chunks.count {
            chunks.append(allocateChunk())
        }
        chunks[count >> shift][offset] = value
        count += 1
    }

    /// Appends every value of `values`, a chunk's worth at a time.
    func append(contentsOf values: UnsafeBufferPointer<Element>) {
        var done = 0
        while done < values.count {
            let offset = count & mask
            if offset == 0 && count >> shift == chunks.count {
                chunks.append(allocateChunk())
            }
            let n = min(values.count - done, chunkSize - offset)
            (chunks[count >> shift] + offset).update(from: values.baseAddress! + done, count: n)
            count += n
            done += n
        }
    }

    @inline(__always)
    subscript(i: Int) -> Element {
        get { chunks[i >> shift][i & mask] }
        set { chunks[i >> shift][i & mask] = newValue }
    }
}
