/// How `leadscore serve` runs: where it listens, which files it serves, and its limits.
public struct ServerOptions: Sendable {
    public var modelPath: String
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

    /// The most reasons a request may ask for.
    public static let maxExplain = 100

    public init(modelPath: String, rulesPath: String? = nil, host: String = "127.0.0.1", port: Int = 8080, explain: Int = 3,
                maxBodyBytes: Int = 1 << 20, pollInterval: Duration? = .seconds(1), reloadOnHangup: Bool = true) {
        self.modelPath = modelPath
        self.rulesPath = rulesPath
        self.host = host
        self.port = port
        self.explain = explain
        self.maxBodyBytes = maxBodyBytes
        self.pollInterval = pollInterval
        self.reloadOnHangup = reloadOnHangup
    }
}
