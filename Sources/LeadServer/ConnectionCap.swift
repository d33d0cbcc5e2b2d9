import Hummingbird
import HummingbirdCore
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The most connections open at once (Hummingbird stops accepting at the cap; more wait in the listen queue until one
/// closes), logged when reached. The cap is kept below the process's descriptor limit, so that accepting never fails
/// for want of descriptors and the model and rules files can always be reopened for a reload.
struct ConnectionCap: AvailableConnectionsDelegate {
    let limit: Int
    let log: ServerLog
    private var open = 0

    init(limit: Int, log: ServerLog) {
        self.limit = limit
        self.log = log
    }

    mutating func connectionOpened() {
        open += 1
        if open == limit {
            log.log(.warning, "\(limit) connections are open, the most this server takes: new ones wait until one closes")
        }
    }

    mutating func connectionClosed() {
        open -= 1
    }

    func isAcceptingNewConnections() -> Bool {
        open < limit
    }

    #if canImport(Glibc)
    private static let noFile = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let noFile = RLIMIT_NOFILE
    #endif

    /// Descriptors kept free of connections: the listener, the model and rules files, logs, and the event loops' own.
    static let reserved = 64

    /// `requested`, lowered to fit the descriptor limit (raised to its hard maximum first, as far as 65,536), and the
    /// limit that lowered it, if any.
    static func fitting(_ requested: Int) -> (cap: Int, descriptorLimit: Int?) {
        var limits = rlimit()
        guard getrlimit(Self.noFile, &limits) == 0 else { return (requested, nil) }
        let wanted = rlim_t(min(UInt64(limits.rlim_max), 65_536))
        if limits.rlim_cur < wanted {
            var raised = limits
            raised.rlim_cur = wanted
            if setrlimit(Self.noFile, &raised) == 0 { limits = raised }
        }
        let available = Int(min(UInt64(limits.rlim_cur), UInt64(Int.max))) - reserved
        return available < requested ? (max(1, available), Int(limits.rlim_cur)) : (requested, nil)
    }
}
