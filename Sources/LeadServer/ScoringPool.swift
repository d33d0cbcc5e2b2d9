import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Threads for the heavy requests (large batches), off the event loops, so that scoring thousands of leads never holds
/// up the connections that loop serves: `/healthz` and single leads are answered while a batch runs. One thread per
/// core, at a lower scheduling priority than the event loops, so that the whole machine still scores batches when
/// nothing else waits, and the event loops win the core whenever something does.
final class ScoringPool: Sendable {
    private let pool: NIOThreadPool

    init(threads: Int = System.coreCount) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    /// Runs `work` on a pool thread; the future completes on `eventLoop`.
    func run<T: Sendable>(on eventLoop: any EventLoop, _ work: @escaping @Sendable () -> T) -> EventLoopFuture<T> {
        pool.runIfActive(eventLoop: eventLoop) {
            Self.yieldToEventLoops()
            return work()
        }
    }

    /// Runs `work` on a pool thread and waits for it (for async callers).
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        try await pool.runIfActive {
            Self.yieldToEventLoops()
            return work()
        }
    }

    func shutdown() async {
        try? await pool.shutdownGracefully()
    }

    /// Lowers the calling thread's priority: on Linux the nice value belongs to each thread, and `who` 0 names the
    /// calling one. Once per job, a system call, negligible next to a batch.
    private static func yieldToEventLoops() {
        #if canImport(Glibc)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }
}
