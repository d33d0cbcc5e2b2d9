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

    /// A refused request: its status, what was asked (when known) and the reason, on one line.
    func refused(status: Int, method: String?, path: String?, peer: (any Channel)?, message: String) {
        let asked = method.map { " \(Echo.text($0, limit: 16)) \(Echo.text(path ?? "", limit: 80))" } ?? ""
        log(status >= 500 ? .error : .info, "\(status)\(asked)\(Self.from(peer)): \(message)")
    }

    /// ` from 127.0.0.1:50312`, or nothing when the peer is not known.
    static func from(_ channel: (any Channel)?) -> String {
        guard let address = channel?.remoteAddress else { return "" }
        guard let ip = address.ipAddress, let port = address.port else { return " from \(address)" }
        return ip.contains(":") ? " from [\(ip)]:\(port)" : " from \(ip):\(port)"
    }
}
