import ArgumentParser
import Foundation
import LeadData
import LeadServer
import Logging

/// `leadscore serve`: score leads over HTTP with a model file, for CRM and marketing-automation webhooks.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Score leads over HTTP: POST a lead's profile and events, get its probability, score, band and reasons.",
        discussion: """
            POST /v1/score takes one lead, {"contact_id": ..., "created_at": ..., "profile": {...}, "events": \
            [{"timestamp": ..., "event": ...}], "as_of": ...}, or a batch, {"leads": [...]}, and answers for each \
            lead what `score --format json --explain K` writes for it: one object, or {"results": [...]}. \
            ?explain=K overrides --explain. as_of defaults to the moment the request arrives; only events strictly \
            before it count, as in `score`. GET /v1/model gives the model summary and the weights-versus-points \
            table, GET /healthz {"status":"ok","model":{...}}, and GET /metrics the server's counters in the \
            Prometheus text format: answers by route and status, latency and probability histograms, the model's \
            hash and reloads.

            With --source, a source description whose contacts and events are database tables ("database": \
            "postgresql://...", "contacts": {"table": ...}, "events": {"table": ...}), GET /v1/leads/{contact_id} \
            reads that contact's row and its events from PostgreSQL (one statement, on a pool of connections) and \
            answers what POST /v1/score answers for the same profile and events: as of now, or ?as_of=, with \
            ?explain=K. Every column of the contacts but the id, the creation time and those the description \
            excludes is a profile field; the description's column names, date formats and time zone apply. The id \
            is percent-decoded (a / is written %2F). The database, its tables and the mapped columns are checked \
            before the server listens; a failure there stops serve with one line. 404 for an id no contact has (or \
            without --source), 422 when the contact's row cannot be scored, 503 when the database fails or does not \
            answer within 5 seconds; the server carries on and reconnects.

            Errors are {"error":{"field":...,"message":...}}, and each is logged on stderr: 400 naming the field at \
            fault (e.g. leads[2].events[0].timestamp) or for malformed HTTP, 401 for a request without the token of \
            --token-file, 404 for an unknown route, 405 for a \
            wrong method, 408 for a request not sent in time, 413 for a body over --max-body, 415 for a body that \
            is not Content-Type: application/json, 421 for a Host header that names another server, 500 if the \
            model gives a number that is not finite, 503 while the server shuts down.

            Limits, so that no client can take the server down: a request's head must arrive within \
            --header-timeout seconds of its first byte (or of the connection's opening), its body within \
            --body-timeout; a kept-alive connection may wait --idle-timeout for its next request; an answer may wait \
            --write-timeout for the client to read it. At most --max-connections connections are open at once (more \
            wait until one closes); a batch holds at most --max-batch leads and gets at most 10 reasons each way per \
            lead. Large batches are scored off the network threads and answered in pieces.

            The web page is at /: the model card (training data, the holdout verdict against the rules with \
            intervals and DeLong's p-value, ROC, gains and calibration charts, weights against points), a form at \
            /score that scores a lead as POST /v1/score does and shows the curl command for it, and, with \
            --contacts and --events (and --outcomes, to leave out the decided) or --source, the open leads ranked \
            by the model or the rules at /leads, 50 to a page, with a search by id and a page per lead. That \
            history is read before the server listens and ranked as of --as-of (default: at start); a reload ranks \
            it again, and SIGHUP reads it again (the files or tables as they are then; one that cannot be read \
            leaves the last reading on the page, which says why). The pages are HTML with no script and nothing \
            from elsewhere; with --token-file they ask for the token once and keep a login cookie.

            The server listens on 127.0.0.1 unless --host says otherwise, and answers only requests whose Host is \
            its address, localhost, an IP address or an --allowed-host name (a defence against DNS rebinding).

            With --token-file FILE (one token of 16 or more printable characters, such as `openssl rand -hex 32` \
            writes; the file readable by its owner alone, chmod 600), every route but GET /healthz needs \
            Authorization: Bearer <token> and answers 401 without it; /healthz stays open for load balancers' probes. \
            A browser logs in at /login with the token and gets a session cookie (HttpOnly, SameSite=Strict, and \
            Secure when the request says X-Forwarded-Proto: https) that is good for 12 hours; POST /logout ends \
            it. SIGHUP reads the token file again: a new token replaces the old and ends every login (a file that \
            will not do is logged, and the old token kept). Without --token-file there is no authentication, and \
            anyone who can reach the port can use the server. Over plain HTTP the token travels in clear: to serve \
            other machines, put the server behind a reverse proxy with TLS, keep it on 127.0.0.1 and give the proxy's \
            name with --allowed-host; --host 0.0.0.0 prints a warning.

            The model is replaced while serving on SIGHUP, or when the model or rules file changes (looked at every \
            --poll-interval seconds): the new one is loaded and checked in full first, requests in flight finish on \
            the old one, and a file that does not load is logged while the old model keeps serving. Replace the file \
            atomically (write a new file, then rename it over the old; `train --out` does). SIGTERM or SIGINT stops \
            the server after the requests in flight.

            With --registry, the registry's current model is served, and a change of it (`retrain` publishing, \
            `models promote`, `models rollback`) is a reload like any other.

            The server takes history-mode models (trained on contacts and events); table-mode models are refused.

            Examples:
              leadscore serve --model models/sample.json --rules datasets/rules/seed.json \\
                --contacts datasets/sample/contacts.csv \\
                --events datasets/sample/events.csv \\
                --outcomes datasets/sample/outcomes.csv   # web page: localhost:8080/
              leadscore serve --model models/sample.json --rules datasets/rules/seed.json
              leadscore serve --model model.json --host 0.0.0.0 --port 9000 --explain 5
              leadscore serve --registry registry --rules datasets/rules/seed.json
              leadscore serve --model models/sample.json --source crm.json
              openssl rand -hex 32 > token && chmod 600 token
              leadscore serve --model models/sample.json --token-file token
              curl -s localhost:8080/v1/model -H "Authorization: Bearer $(cat token)"
              curl -s localhost:8080/v1/leads/C000042?explain=5
              curl -s localhost:8080/v1/score -H 'Content-Type: application/json' -d '{"contact_id": "C1", \\
                "created_at": "2026-05-01", "profile": {"job_title": "VP Marketing", \\
                "company_size": 300}, "events": [{"timestamp": "2026-06-20T10:00:00Z", \\
                "event": "pricing_page_view"}], "as_of": "2026-07-01"}'
              kill -HUP <pid>      # reload the model now, and read the open leads again
            """
    )

    @Option(help: ArgumentHelp("The model file (history mode).", valueName: "model.json"))
    var model: String?

    @Option(help: ArgumentHelp("Serve a model registry's current model instead, and follow it when `retrain`, `models promote` or `models rollback` changes it.", valueName: "folder"))
    var registry: String?

    @Option(help: ArgumentHelp("Also give each lead its points and band by this rules file.", valueName: "rules.json"))
    var rules: String?

    @Option(help: ArgumentHelp("A source description: its open leads are ranked on the page at /leads; when its contacts and events are database tables, GET /v1/leads/{contact_id} also reads a lead from them.", valueName: "source.json"))
    var source: String?

    @Option(help: ArgumentHelp("The contacts whose open leads the page at /leads ranks (with --events).", valueName: "file.csv"))
    var contacts: String?

    @Option(help: ArgumentHelp("Their events (with --contacts).", valueName: "file.csv"))
    var events: String?

    @Option(help: ArgumentHelp("Their outcomes: contacts already won or lost are not open leads.", valueName: "file.csv"))
    var outcomes: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The moment the open leads are ranked as of (default: when the server starts, and again after each reload or SIGHUP).", valueName: "time"))
    var asOf: String?

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port, printed at start).")
    var port = 8080

    @Option(help: ArgumentHelp("Reasons each way per lead, unless a request says ?explain=K.", valueName: "K"))
    var explain = 3

    @Option(name: .customLong("max-body"), help: ArgumentHelp("The largest request body: bytes, or with KB or MB (1024-based).", valueName: "size"))
    var maxBody = "1MB"

    @Option(name: .customLong("poll-interval"), help: ArgumentHelp("Seconds between looks at the model and rules files for a change (0: reload on SIGHUP only).", valueName: "seconds"))
    var pollInterval = 1.0

    @Option(help: ArgumentHelp("Threads that serve requests (event loops; default: one per core).", valueName: "N"))
    var threads: Int?

    @Option(name: .customLong("header-timeout"), help: ArgumentHelp("Seconds a request's head may take from its first byte.", valueName: "seconds"))
    var headerTimeout = 10.0

    @Option(name: .customLong("body-timeout"), help: ArgumentHelp("Seconds a request's body may take after its head.", valueName: "seconds"))
    var bodyTimeout = 30.0

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Seconds a kept-alive connection may wait for its next request.", valueName: "seconds"))
    var idleTimeout = 60.0

    @Option(name: .customLong("write-timeout"), help: ArgumentHelp("Seconds an answer may wait for the client to read it.", valueName: "seconds"))
    var writeTimeout = 30.0

    @Option(name: .customLong("max-connections"), help: ArgumentHelp("Connections open at once (lowered to fit the descriptor limit).", valueName: "N"))
    var maxConnections = 1024

    @Option(name: .customLong("max-batch"), help: ArgumentHelp("Leads in one batch request.", valueName: "N"))
    var maxBatch = 1000

    @Option(name: .customLong("allowed-host"), help: ArgumentHelp("A host name clients may use to reach the server (repeat for more), besides its address, localhost and IP addresses.", valueName: "name"))
    var allowedHost: [String] = []

    @Option(name: .customLong("token-file"), help: ArgumentHelp("A file holding a secret token (16 or more characters; chmod 600): every route but /healthz then needs Authorization: Bearer <token>, and a browser logs in at /login. Read at start and on SIGHUP.", valueName: "file"))
    var tokenFile: String?

    func validate() throws {
        if source != nil, contacts != nil || events != nil || outcomes != nil {
            throw ValidationError("give the leads as --source or as --contacts and --events (with --outcomes), not both")
        }
        if (contacts == nil) != (events == nil) { throw ValidationError("the open leads need both --contacts and --events") }
        if outcomes != nil, contacts == nil { throw ValidationError("--outcomes goes with --contacts and --events") }
        if asOf != nil, source == nil, contacts == nil {
            throw ValidationError("--as-of sets when the open leads are ranked: give them with --contacts and --events, or --source")
        }
        try AsOfOption.validate(asOf)
        guard (model == nil) != (registry == nil) else {
            throw ValidationError("give the model to serve: --model FILE, or --registry FOLDER (not both)")
        }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads takes a number from 1 to 256") }
        guard (0...ServerOptions.maxExplain).contains(explain) else {
            throw ValidationError("--explain takes a number of reasons from 0 to \(ServerOptions.maxExplain)")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port takes a port number from 0 to 65535") }
        guard Self.bytes(maxBody) != nil else {
            throw ValidationError("--max-body takes a size such as 1MB, 512KB or 65536, not \"\(maxBody)\"")
        }
        guard pollInterval == 0 || (pollInterval >= 0.1 && pollInterval.isFinite && pollInterval <= 86_400) else {
            throw ValidationError("--poll-interval takes seconds from 0.1 to 86400, or 0 to reload on SIGHUP only")
        }
        for (flag, seconds) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout),
                                ("--write-timeout", writeTimeout)] {
            guard seconds.isFinite, (0.1...86_400).contains(seconds) else { throw ValidationError("\(flag) takes seconds from 0.1 to 86400") }
        }
        guard (1...1_000_000).contains(maxConnections) else { throw ValidationError("--max-connections takes a number from 1 to 1000000") }
        guard (1...1_000_000).contains(maxBatch) else { throw ValidationError("--max-batch takes a number of leads from 1 to 1000000") }
    }

    func run() async throws {
        LeadServer.runConcurrencyOnEventLoops(threads: threads)
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let limits = ServerLimits(headerTimeout: Self.duration(headerTimeout), bodyTimeout: Self.duration(bodyTimeout),
                                  idleTimeout: Self.duration(idleTimeout), writeTimeout: Self.duration(writeTimeout),
                                  maxConnections: maxConnections, maxBatchLeads: maxBatch)
        var options = ServerOptions(modelPath: model ?? "", rulesPath: rules, host: host, port: port, explain: explain,
                                    maxBodyBytes: Self.bytes(maxBody)!,
                                    pollInterval: pollInterval > 0 ? Self.duration(pollInterval) : nil, limits: limits,
                                    allowedHosts: allowedHost, sourcePath: source, tokenPath: tokenFile)
        options.registry = registry
        options.leadsAsOf = asOf.flatMap(Timestamp.parse)
        if let contacts, let events {
            options.history = HistorySource(contacts: contacts, events: events, outcomes: outcomes)
        } else if let source {
            do { try options.readLeads(fromSource: source) } catch {
                FileHandle.standardError.write(Data("leadscore: error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        let server: LeadServer
        do { server = try LeadServer(options: options) } catch {
            FileHandle.standardError.write(Data("leadscore: error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        if !LeadServer.isLoopback(host) {
            let warning = server.requiresToken
                ? "over plain HTTP: the token and the login cookie travel in clear; put it behind a reverse proxy with TLS"
                : "with no authentication: without --token-file anyone who can reach the port can score leads and read the model; give --token-file, and put it behind a reverse proxy with TLS"
            FileHandle.standardError.write(Data("leadscore serve: warning: listening on \(host), beyond this machine, \(warning)\n".utf8))
        }
        let hash = server.modelHash
        let host = self.host
        do {
            try await server.run { port in
                let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
                emit("leadscore serve: listening on \(base) (model \(hash)); the web page is at \(base)/\n")
            }
        } catch let error as ListenError {
            FileHandle.standardError.write(Data("leadscore: error: \(error)\n".utf8))
            throw ExitCode(1)
        } catch let error as ServeError {
            FileHandle.standardError.write(Data("leadscore: error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    static func duration(_ seconds: Double) -> Duration {
        .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// `1MB`, `512KB`, `65536` (bytes; K and M are 1024-based), or nil.
    static func bytes(_ text: String) -> Int? {
        let upper = text.uppercased().trimmingCharacters(in: .whitespaces)
        let units: [(String, Int)] = [("MIB", 1 << 20), ("KIB", 1 << 10), ("MB", 1 << 20), ("KB", 1 << 10), ("M", 1 << 20), ("K", 1 << 10), ("B", 1)]
        for (suffix, scale) in units where upper.hasSuffix(suffix) {
            guard let n = Int(upper.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), n > 0, n <= Int.max / scale else { return nil }
            return n * scale
        }
        guard let n = Int(upper), n > 0 else { return nil }
        return n
    }
}
