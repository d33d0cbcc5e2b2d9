import Foundation
package import LeadData

/// The bridge from the command line's synchronous jobs to postgres-nio's async calls.
///
/// The jobs run on a thread of Swift's concurrency pool and block it (reading a pipe, waiting for a result), so the
/// async work they wait for must not need a thread of that pool: on a machine of one core the pool has one thread,
/// and the job would wait for work that can never run. Every task here therefore runs on a Dispatch queue of its
/// own (``QueueExecutor``), outside the pool.
package enum Blocking {
    package static func run<T: Sendable>(_ work: @escaping @Sendable () async throws(InputError) -> T) throws(InputError) -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        task {
            let result: Result<T, InputError>
            do throws(InputError) { result = .success(try await work()) } catch { result = .failure(error) }
            box.set(result)
            done.signal()
        }
        done.wait()
        return try box.get()
    }

    /// Starts `work` and does not wait.
    package static func detach(_ work: @escaping @Sendable () async -> Void) {
        task { await work() }
    }

    /// A task whose code runs on a queue of its own, never waiting for a thread of the concurrency pool.
    @discardableResult
    package static func task<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) -> Task<T, any Error> {
        Task.detached(executorPreference: QueueExecutor()) { try await work() }
    }

    /// As ``task(_:)`` for work that cannot fail.
    @discardableResult
    package static func task(_ work: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        Task.detached(executorPreference: QueueExecutor()) { await work() }
    }

    private final class Box<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<T, InputError>?
        func set(_ value: Result<T, InputError>) { lock.withLock { result = value } }
        func get() throws(InputError) -> T { try lock.withLock { result! }.get() }
    }
}

/// Runs a task's jobs on a serial Dispatch queue (Dispatch gives such a queue a thread of its own when it needs one),
/// so that the task goes on while the concurrency pool's threads are all blocked.
final class QueueExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "leadscore.database")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
