import Dispatch

/// Fixed-size runs of rows, processed in parallel, whose partial results are combined in partition order.
///
/// The partition size does not depend on the number of threads, so sums come out bit for bit the same whatever the
/// thread count: determinism does not cost parallelism. (OpenBLAS picks its kernel per CPU, so another kind of CPU
/// may still differ in the last bits.) While partitions run, OpenBLAS must be held at one thread
/// (see `BLASRuntime.withSingleThread`) so that BLAS threads and these workers never compete for the same cores.
package struct RowPartitions: Sendable {
    package let rows: Int
    /// Rows per partition (the last one may be shorter).
    package let size: Int
    /// How many partitions run at once.
    package let workers: Int

    /// 32,768 rows a partition: large enough to amortise the per-partition setup, small enough to balance two cores.
    package static let defaultSize = 32_768

    package init(rows: Int, size: Int = RowPartitions.defaultSize, workers: Int) {
        self.rows = rows
        self.size = max(1, size)
        self.workers = max(1, workers)
    }

    package var count: Int { (rows + size - 1) / size }

    /// The rows of partition `k`.
    package func range(_ k: Int) -> Range<Int> { (k * size)..<min(rows, (k + 1) * size) }

    /// `body` on every partition, at most `workers` at a time; the results in partition order.
    package func map<T>(_ body: (Range<Int>) -> T) -> [T] {
        let n = count
        guard n > 1, workers > 1 else { return (0..<n).map { body(range($0)) } }
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: n)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize(); slots.deallocate() }
        withoutActuallyEscaping(body) { body in
            let box = UnsafeSendable(slots: slots, body: body)
            let next = Counter()
            DispatchQueue.concurrentPerform(iterations: min(workers, n)) { _ in
                while true {
                    let k = next.take()
                    guard k < n else { return }
                    box.slots[k] = box.body(range(k))
                }
            }
        }
        return slots.map { $0! }
    }
}

/// Partitions write disjoint slots; the closure is only read. Both are safe to share for the duration of `map`.
private struct UnsafeSendable<T>: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<T?>
    let body: (Range<Int>) -> T
}

/// A work counter shared by the workers.
private final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = DispatchSemaphore(value: 1)

    func take() -> Int {
        lock.wait()
        defer { lock.signal() }
        value += 1
        return value - 1
    }
}
