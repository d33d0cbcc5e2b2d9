import ArgumentParser
import Foundation
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
            table, GET /healthz {"status":"ok","model":{...}}.

            Errors are {"error":{"field":...,"message":...}}: 400 naming the field at fault (e.g. \
            leads[2].events[0].timestamp), 413 for a body over --max-body, 404 for an unknown route, 405 for a \
            wrong method.

            The model is replaced while serving on SIGHUP, or when the model or rules file changes (looked at every \
            --poll-interval seconds): the new one is loaded and checked in full first, requests in flight finish on \
            the old one, and a file that does not load is logged while the old model keeps serving. Replace the file \
            atomically (write a new file, then rename it over the old; `train --out` does). SIGTERM or SIGINT stops \
            the server after the requests in flight.

            The server takes history-mode models (trained on contacts and events); table-mode models are refused.

            Examples:
              leadscore serve --model models/sample.json --rules datasets/rules/seed.json
              leadscore serve --model model.json --host 0.0.0.0 --port 9000 --explain 5
              curl -s localhost:8080/v1/score -d '{"contact_id": "C1", \\
                "created_at": "2026-05-01", "profile": {"job_title": "VP Marketing", \\
                "company_size": 300}, "events": [{"timestamp": "2026-06-20T10:00:00Z", \\
                "event": "pricing_page_view"}], "as_of": "2026-07-01"}'
              kill -HUP <pid>      # reload the model now
            """
    )

    @Option(help: ArgumentHelp("The model file (history mode).", valueName: "model.json"))
    var model: String

    @Option(help: ArgumentHelp("Also give each lead its points and band by this rules file.", valueName: "rules.json"))
    var rules: String?

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

    func validate() throws {
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads takes a number from 1 to 256") }
        guard (0...ServerOptions.maxExplain).contains(explain) else {
            throw ValidationError("--explain takes a number of reasons from 0 to \(ServerOptions.maxExplain)")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port takes a port number from 0 to 65535") }
        guard Self.bytes(maxBody) != nil else {
            throw ValidationError("--max-body takes a size such as 1MB, 512KB or 65536, not \"\(maxBody)\"")
        }
        guard pollInterval >= 0, pollInterval.isFinite else { throw ValidationError("--poll-interval takes seconds, 0 or more") }
    }

    func run() async throws {
        LeadServer.runConcurrencyOnEventLoops(threads: threads)
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let options = ServerOptions(modelPath: model, rulesPath: rules, host: host, port: port, explain: explain,
                                    maxBodyBytes: Self.bytes(maxBody)!,
                                    pollInterval: pollInterval > 0 ? .milliseconds(Int64((pollInterval * 1000).rounded())) : nil)
        let server: LeadServer
        do { server = try LeadServer(options: options) } catch {
            FileHandle.standardError.write(Data("leadscore: error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let hash = server.modelHash
        let host = self.host
        try await server.run { port in
            emit("leadscore serve: listening on http://\(host):\(port) (model \(hash))\n")
        }
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
