import LeadData
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The server's log of what went wrong with clients (refused requests, protocol errors, timeouts, the connection cap),
/// rate-limited: a flood of bad requests must not turn into a flood of synchronous writes to stderr. At most
/// ``linesPerSecond`` lines a second are written; the rest are counted, and the count is logged with the next line
/// that gets through.
final class ServerLog: Sendable {
    let logger: Logger
    private let state = NIOLockedValueBox(State())
    static let linesPerSecond = 20

    private struct State {
        var second: Int64 = -1
        var written = 0
        var suppressed = 0
    }

    init(logger: Logger) {
        self.logger = logger
    }

    /// Logs `message` at `level` unless this second's allowance is spent.
    func log(_ level: Logger.Level, _ message: @autoclosure () -> String) {
        guard logger.logLevel <= level else { return }
        let second = NIODeadline.now().uptimeNanoseconds / 1_000_000_000
        let suppressed: Int? = state.withLockedValue { s in
            if s.second != Int64(second) {
                s.second = Int64(second)
                s.written = 0
            }
            guard s.written < Self.linesPerSecond else {
                s.suppressed += 1
                return nil
            }
            s.written += 1
            defer { s.suppressed = 0 }
            return s.suppressed
        }
        guard let suppressed else { return }
        let note = suppressed > 0 ? " (\(suppressed) similar line\(suppressed == 1 ? "" : "s") not logged before this one)" : ""
        logger.log(level: level, "\(message())\(note)")
    }

    /// A refused request: its status, what was asked and the reason, on one line.
    func refused(status: Int, method: String, path: String, peer: String?, message: String) {
        log(status >= 500 ? .error : .info, "\(status) \(Echo.text(method, limit: 16)) \(Echo.text(path, limit: 80))\(peer.map { " from \($0)" } ?? ""): \(message)")
    }
}
