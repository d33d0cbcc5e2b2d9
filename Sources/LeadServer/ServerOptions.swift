public import LeadData
import LeadDatabase
import ModelRegistry

/// How `leadscore serve` runs: where it listens, which files it serves, and its limits.
public struct ServerOptions: Sendable {
    /// The model file; ignored when ``registry`` is set.
    public var modelPath: String
    /// A model registry (`leadscore models init`): its current model is served, and a new pointer is a reload.
    public var registry: String?
    public var rulesPath: String?
    public var host: String
    /// 0 picks a free port (tests read it back from `LeadServer.run(onReady:)`).
    public var port: Int
    /// Reasons each way per lead unless a request asks otherwise (`?explain=K`).
    public var explain: Int
    /// The largest request body taken; a larger one gets 413.
    public var maxBodyBytes: Int
    /// How often to look for a changed model or rules file; nil to reload on SIGHUP only.
    public var pollInterval: Duration?
    /// Whether SIGHUP reloads the model (the command line: yes; tests of one server among many may say no).
    public var reloadOnHangup: Bool
    /// Timeouts, the connection cap and the batch caps.
    public var limits: ServerLimits
    /// Host names, besides the listen address, `localhost` and IP addresses, that requests may name in `Host`.
    public var allowedHosts: [String]
    /// A source description whose contacts and events are database tables: `GET /v1/leads/{contact_id}` reads a lead
    /// from them. Checked when the server starts (``LeadServer/run(shutdownOnSignals:onReady:)``).
    public var sourcePath: String?
    /// How long `GET /v1/leads/{contact_id}` waits for the database (a pooled connection, then the answer) before
    /// answering 503.
    public var databaseTimeout: Duration = .seconds(5)
    /// A file holding the secret token that every API route then requires (`Authorization: Bearer <token>`) and that
    /// logs in at `/login`; nil: no authentication. Read and checked when the server is made, and again on SIGHUP (see
    /// ``Access``).
    public var tokenPath: String?
    /// The contacts, events and outcomes whose open leads the page at `/leads` ranks: read before the server listens,
    /// and again on SIGHUP (files, or database tables through the source description).
    public var history: HistorySource?
    /// The moment the open leads are ranked as of; nil: when the server starts, and again after each reload or SIGHUP.
    public var leadsAsOf: Timestamp?
    /// Profile columns of the contacts that the source description leaves out.
    public var excludedProfile: [String] = []
    /// How bad rows of the history are treated.
    public var policy = BadRowPolicy()

    /// Takes the open leads, and with database tables the leads read by id, from the source description at `path`: its
    /// contacts, events and outcomes (files, or tables read through PostgreSQL) become ``history``, its excluded profile
    /// columns ``excludedProfile``, and the path ``sourcePath``. A description that does not read, or describes one
    /// table, is a ``ServeError`` in one line.
    public mutating func readLeads(fromSource path: String) throws(ServeError) {
        let description: SourceDescription
        do { description = try SourceDescription.load(path: path) } catch { throw .unusableSource(error.description) }
        guard let history = description.history else {
            throw .unusableSource("\(path): describes one table (\"table\"); the open leads need \"contacts\" and \"events\"")
        }
        self.history = history.connecting(PostgresTables())
        excludedProfile = description.profile.exclude
        sourcePath = path
    }

    /// The file whose change means a new model: the model file, or the registry's pointer (its model files never change).
    var watchedModelPath: String { registry.map { ModelRegistry(folder: $0).pointerPath } ?? modelPath }

    /// The most reasons a request may ask for.
    public static let maxExplain = 100
    /// The shortest `pollInterval`: looking more often only burns a core.
    public static let minPollInterval = Duration.milliseconds(100)

    public init(modelPath: String, rulesPath: String? = nil, host: String = "127.0.0.1", port: Int = 8080, explain: Int = 3,
                maxBodyBytes: Int = 1 << 20, pollInterval: Duration? = .seconds(1), reloadOnHangup: Bool = true,
                limits: ServerLimits = ServerLimits(), allowedHosts: [String] = [], sourcePath: String? = nil,
                tokenPath: String? = nil) {
        self.modelPath = modelPath
        self.rulesPath = rulesPath
        self.host = host
        self.port = port
        self.explain = explain
        self.maxBodyBytes = maxBodyBytes
        self.pollInterval = pollInterval
        self.reloadOnHangup = reloadOnHangup
        self.limits = limits
        self.allowedHosts = allowedHosts
        self.sourcePath = sourcePath
        self.tokenPath = tokenPath
    }
}

/// What one client may take of the server: how long it may spend sending a request or leave its connection idle,
/// how long its answers may wait for it to read them, how many connections are open at once, and how large a batch
/// and its answer may be.
///
/// The defaults are far beyond what a CRM webhook needs (it sends a request of a few kilobytes in milliseconds and reads
/// the answer at once) and far below what lets a slow or hostile client hold the server's descriptors or memory.
public struct ServerLimits: Sendable, Equatable {
    /// From the first byte of a request (or from the connection's opening, for its first request) to the end of its
    /// head; past it the client gets 408 and the connection is closed.
    public var headerTimeout: Duration
    /// From the end of a request's head to the end of its body.
    public var bodyTimeout: Duration
    /// How long a kept-alive connection may wait, idle, for its next request.
    public var idleTimeout: Duration
    /// How long an answer may wait for the client to read it (the connection's send buffer full) before the
    /// connection is closed.
    public var writeTimeout: Duration
    /// Connections open at once; more wait in the listen queue until one closes. Lowered at start to fit the process's
    /// descriptor limit.
    public var maxConnections: Int
    /// Leads in one batch.
    public var maxBatchLeads: Int
    /// Reasons each way per lead in a batch (a single lead may have up to ``ServerOptions/maxExplain``).
    public var maxBatchReasons: Int

    public init(headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30), idleTimeout: Duration = .seconds(60),
                writeTimeout: Duration = .seconds(30), maxConnections: Int = 1024, maxBatchLeads: Int = 1000, maxBatchReasons: Int = 10) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.writeTimeout = writeTimeout
        self.maxConnections = maxConnections
        self.maxBatchLeads = maxBatchLeads
        self.maxBatchReasons = maxBatchReasons
    }
}
