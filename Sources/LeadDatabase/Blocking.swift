import Foundation
package import LeadData

/// The bridge from the command line's synchronous jobs to postgres-nio's async calls: runs the work on the
/// concurrency pool and waits for it on the calling thread (never itself a pool thread: the command line's jobs run
/// on the main thread).
package enum Blocking {
    package static func run<T: Sendable>(_ work: @escaping @Sendable () async throws(InputError) -> T) throws(InputError) -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
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
        Task.detached { await work() }
    }

    private final class Box<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<T, InputError>?
        func set(_ value: Result<T, InputError>) { lock.withLock { result = value } }
        func get() throws(InputError) -> T { try lock.withLock { result! }.get() }
    }
}
