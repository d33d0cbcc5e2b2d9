import Dispatch
import Foundation
import Hummingbird
import HummingbirdCore
import LeadData
import LinearAlgebra
public import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals
import Workflows

/// The HTTP scoring service of `leadscore serve`: a Hummingbird application over ``LeadResponder``, with
/// ``ScoreChannelHandler`` in its HTTP/1 pipeline to answer score requests on the event loop, and a
/// ``ModelWatcher`` that swaps in a new model on SIGHUP or when the model file changes; ``PageRoute`` answers the web
/// page from the same model (and the open leads of ``ServerOptions/history``, read before it listens). Every answer
/// is counted in ``ServerMetrics``, which `GET /metrics` gives in the Prometheus text format.
///
/// The model is loaded when the server is made, so a bad model stops `serve` before it listens. OpenBLAS is held at
/// one thread: scoring one lead is a few hundred multiply-adds, and BLAS threads would only compete with the
/// request tasks for the cores.
public struct LeadServer: Sendable {
    public let options: ServerOptions
    private let store: ModelStore
    private let logger: Logger
    /// Who may use it: the token of ``ServerOptions/tokenPath`` and the session of this run, or open.
    let access: Access

    /// Reads and checks the token file (when there is one), then loads and checks the model (and rules) of `options`.
    public init(options: ServerOptions, logger: Logger = Logger(label: "leadscore.serve")) throws(ServeError) {
        self.options = options
        self.logger = logger
        access = try Access.load(tokenPath: options.tokenPath)
        BLASRuntime.setThreads(1)
        store = ModelStore(try ServingModel.load(modelPath: options.watchedModelPath, rulesPath: options.rulesPath, registry: options.registry))
    }

    /// Whether requests need a token (``ServerOptions/tokenPath`` was given and read).
    public var requiresToken: Bool { !access.isOpen }

    /// Makes Swift concurrency run its jobs on NIO's event loop threads, so that a request's handler runs on the
    /// thread that reads and writes its socket instead of hopping to the concurrency pool and back (two thread
    /// switches per request, most of the latency on a loaded 2-core machine). For `leadscore serve`, which is the
    /// only thing in its process; call it once, first, from the main thread. Returns whether it took effect.
    ///
    /// `threads` sets how many event loops there are (default: one per core); it must come before anything uses them.
    @discardableResult
    public static func runConcurrencyOnEventLoops(threads: Int? = nil) -> Bool {
        if let threads { NIOSingletons.groupLoopCountSuggestion = max(1, threads) }
        return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Whether `host` is a loopback address or name (`127.0.0.1`, any of 127.0.0.0/8, `::1`, `localhost`): a server
    /// bound anywhere else can be reached from other machines.
    public static func isLoopback(_ host: String) -> Bool {
        let name = HostPolicy.hostPart(of: host)
        return name == "localhost" || name == "::1" || (HostPolicy.isIPAddress(name) && name.hasPrefix("127."))
    }

    /// A hash of the served model file's bytes (it changes on reload).
    public var modelHash: String { store.current.hash }

    /// Serves until the task is cancelled or, when `shutdownOnSignals`, until SIGTERM or SIGINT, finishing the
    /// requests in flight; `onReady` gets the bound port once the server listens.
    ///
    /// With a ``ServerOptions/sourcePath``, its database is checked first, over a connection of its own: a database
    /// that cannot be reached, a missing table or column is a ``ServeError`` before the server listens.
    ///
    /// Cancellation shuts down gracefully, as the signals do, rather than cancelling the accept loop: a cancelled loop
    /// drops connections accepted but not yet handed to it, and NIO traps on those. Answering score requests in the
    /// pipeline (``ScoreChannelHandler``) makes that window real: a client can have its answer before the loop has
    /// taken its connection.
    public func run(shutdownOnSignals: Bool = true, onReady: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        var database: DatabaseLeads?
        if let path = options.sourcePath {
            database = try await DatabaseLeads.connect(sourcePath: path, timeout: options.databaseTimeout)
            for note in database?.notes ?? [] { logger.notice("\(note)") }
        }
        let metrics = ServerMetrics()
        let openLeads = try await loadOpenLeads(metrics: metrics)
        let hangups = options.reloadOnHangup ? HangupSignal() : nil
        let log = ServerLog(logger: logger)
        var watcher = ModelWatcher(store: store, modelPath: options.watchedModelPath, registry: options.registry, rulesPath: options.rulesPath,
                                   interval: options.pollInterval, hangups: hangups, log: log, metrics: metrics)
        let store = store, access = access
        watcher.onHangup = {
            // Off the watcher's task (it may run on an event loop): the token file is read here.
            DispatchQueue.global().async {
                access.reload(log: log)
                openLeads?.reread(model: { store.current }, log: log)
            }
        }
        let port = options.port
        let route = ScoreRoute(store: store, explain: options.explain, maxBodyBytes: options.maxBodyBytes, limits: options.limits,
                               metrics: metrics)
        let leads = LeadRoute(scoring: route, database: database)
        let pages = PageRoute(store: store, scoring: route, leads: openLeads, signsIn: !access.isOpen)
        let pool = ScoringPool()
        let hosts = HostPolicy(listenHost: options.host, allowed: options.allowedHosts)
        let (cap, descriptorLimit) = ConnectionCap.fitting(options.limits.maxConnections)
        if let descriptorLimit {
            logger.notice("at most \(cap) connections at once (not \(options.limits.maxConnections)): the process may open \(descriptorLimit) files")
        }
        let limits = options.limits
        let serverName = "leadscore"
        let app = Application(
            responder: LeadResponder(store: store, route: route, leads: leads, pages: pages, pool: pool, log: log, metrics: metrics,
                                     access: access, login: LoginRoute(access: access, log: log)),
            server: HTTPServerBuilder { responder in
                LeadHTTPChannel(responder: responder, route: route, access: access, pool: pool, hosts: hosts, limits: limits, log: log, metrics: metrics,
                                serverName: serverName)
            },
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: serverName,
                                 availableConnectionsDelegate: ConnectionCap(limit: cap, log: log)),
            // The database's pool first: services stop in reverse order, so it outlives the requests in flight.
            services: (database.map { [$0 as any Service] } ?? []) + [watcher],
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? port) },
            logger: logger
        )
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: shutdownOnSignals ? [.sigterm, .sigint] : [], logger: logger)
        let running = Task { try await group.run() }
        defer { Task { await pool.shutdown() } }
        do {
            try await withTaskCancellationHandler {
                try await running.value
            } onCancel: {
                Task { await group.triggerGracefulShutdown() }
            }
        } catch let error as IOError {
            throw ListenError(error, host: options.host, port: port) ?? error
        }
    }
}

extension LeadServer {
    /// The open leads of ``ServerOptions/history``, read and ranked before the server listens, on a thread of their
    /// own (reading a large export takes a while and would hold an event loop), counted in `metrics`; nil without a
    /// history.
    func loadOpenLeads(metrics: ServerMetrics) async throws(ServeError) -> OpenLeads? {
        guard let source = options.history else { return nil }
        let model = store.current
        let asOf = options.leadsAsOf
        let policy = options.policy
        let excluded = options.excludedProfile
        let started = ContinuousClock.now
        let read: @Sendable () throws(InputError) -> LeadHistory = { () throws(InputError) in
            try LeadHistory(source: source, excluded: excluded, policy: policy)
        }
        let result = await withCheckedContinuation { (done: CheckedContinuation<Result<OpenLeads, ServeError>, Never>) in
            DispatchQueue(label: "leadscore.open-leads.load").async {
                done.resume(returning: Result { () throws(ServeError) in try OpenLeads(model: model, asOf: asOf, metrics: metrics, read: read) })
            }
        }
        let leads = try result.get()
        logger.notice("\(leads.contacts) contacts read for the open leads in \(String(format: "%.1f", (ContinuousClock.now - started).seconds)) s; the page is at /leads")
        for warning in leads.ranking(for: model).ranking.warnings { logger.warning("\(warning)") }
        return leads
    }
}

/// Why the server could not listen, phrased with the flag that fixes it (a busy port, a privileged port, an address
/// this machine does not have), instead of the socket call's own words.
public struct ListenError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init?(_ error: IOError, host: String, port: Int) {
        switch error.errnoCode {
        case EADDRINUSE: description = "port \(port) is in use; pick another with --port"
        case EACCES: description = "port \(port) needs privileges this process does not have; pick one above 1023 with --port"
        case EADDRNOTAVAIL: description = "this machine has no address \(Echo.quoted(host)) to listen on; pick another with --host"
        default: return nil
        }
    }
}
