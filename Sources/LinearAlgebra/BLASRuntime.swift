import _COpenBLAS
import Dispatch

/// The OpenBLAS runtime: how many threads it uses and which kernel it picked for this CPU.
package enum BLASRuntime {
    /// The number of threads OpenBLAS uses for level-2/3 routines.
    package static var threads: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of OpenBLAS threads.
    package static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }

    /// The name of the CPU kernel OpenBLAS chose, e.g. `Haswell` or `Zen`.
    package static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// Below this many matrix elements (rows times columns) OpenBLAS runs a gemv on the calling thread whatever its
    /// thread setting (`2304 * GEMM_MULTITHREAD_THRESHOLD` in its `interface/gemv.c`, the threshold being 4 by
    /// default), so a caller that would hold it at one thread can skip ``withSingleThread(_:)`` and its lock.
    package static let gemvSingleThreadedBelow = 2304 * 4

    /// Runs `body` with OpenBLAS held at one thread, for code that parallelises over rows itself.
    ///
    /// Reference-counted: overlapping callers (two fits at once) keep OpenBLAS at one thread until the last one
    /// leaves, and only then is the earlier setting restored.
    package static func withSingleThread<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        singleThreadState.enter()
        defer { singleThreadState.leave() }
        return try body()
    }

    private static let singleThreadState = SingleThreadState()
}

/// Who is inside `withSingleThread`, and what to restore when the last one leaves.
private final class SingleThreadState: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private var inside = 0
    private var saved = 1

    func enter() {
        lock.wait()
        defer { lock.signal() }
        if inside == 0 {
            saved = BLASRuntime.threads
            if saved != 1 { BLASRuntime.setThreads(1) }
        }
        inside += 1
    }

    func leave() {
        lock.wait()
        defer { lock.signal() }
        inside -= 1
        if inside == 0 && saved != 1 { BLASRuntime.setThreads(saved) }
    }
}
