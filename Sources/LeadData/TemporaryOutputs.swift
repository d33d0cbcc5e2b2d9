import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Named temporary files that exist right now (an ``AtomicFileWriter`` between naming its file and renaming it), so
/// that SIGINT or SIGTERM removes them before the process exits (with 130 or 143, as a shell reports those signals)
/// instead of leaving them beside the user's files.
///
/// The signals are taken over only while such a file exists, and handled on a Dispatch queue rather than in signal
/// context, where removing files from a Swift collection would not be safe.
package enum TemporaryOutputs {
    private static let state = Locked()

    /// Records `path` as a temporary file to remove on SIGINT or SIGTERM.
    package static func register(_ path: String) {
        state.change { files in
            files.insert(path)
            installHandlers()
        }
    }

    /// Forgets `path` (renamed into place, or removed).
    package static func unregister(_ path: String) {
        _ = state.change { $0.remove(path) }
    }

    /// The files registered now (for tests).
    package static var current: Set<String> { state.change { $0 } }

    /// The Dispatch sources for SIGINT and SIGTERM, made once.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// Called with the lock held.
    private static func installHandlers() {
        guard sources.isEmpty else { return }
        for signo in [SIGINT, SIGTERM] {
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler {
                let files = state.change { $0 }
                for file in files { unlink(file) }
                _exit(128 + signo)
            }
            source.resume()
            sources.append(source)
        }
    }

    private final class Locked: @unchecked Sendable {
        private let lock = NSLock()
        private var files: Set<String> = []

        func change<T>(_ body: (inout Set<String>) -> T) -> T {
            lock.lock()
            defer { lock.unlock() }
            return body(&files)
        }
    }
}
