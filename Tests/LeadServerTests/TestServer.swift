import Foundation
import LeadServer
import Logging
import _TestSupport

/// Starts the real server in this process on a free loopback port (port 0, read back when it listens), runs a test
/// against it over HTTP, and stops it (task cancellation: a graceful shutdown).
enum TestServer {
    /// The repository root, for the shipped model, rules and sample data.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static let sampleModel = path("models/sample.json")
    static let seedRules = path("datasets/rules/seed.json")

    /// Options for a test server: the sample model and seed rules unless told otherwise; no SIGHUP handling (other
    /// servers run in the same process) and no file polling unless asked.
    static func options(model: String = sampleModel, rules: String? = seedRules, explain: Int = 3, maxBody: Int = 1 << 20,
                        poll: Duration? = nil, hangup: Bool = false, limits: ServerLimits = ServerLimits(),
                        allowedHosts: [String] = [], tokenPath: String? = nil) -> ServerOptions {
        ServerOptions(modelPath: model, rulesPath: rules, host: "127.0.0.1", port: 0, explain: explain, maxBodyBytes: maxBody,
                      pollInterval: poll, reloadOnHangup: hangup, limits: limits, allowedHosts: allowedHosts, tokenPath: tokenPath)
    }

    static func with<T: Sendable>(_ options: ServerOptions = options(), _ body: (Int) async throws -> T) async throws -> T {
        var logger = Logger(label: "leadscore.serve.test")
        logger.logLevel = .critical
        let server = try LeadServer(options: options, logger: logger)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task {
            defer { continuation.finish() }
            try await server.run(shutdownOnSignals: false) { port in continuation.yield(port) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            _ = await task.result
            throw HTTPConnection.Failure(description: "the server stopped before it listened: \(await task.result)")
        }
        do {
            let result = try await body(port)
            task.cancel()
            _ = await task.result
            return result
        } catch {
            task.cancel()
            _ = await task.result
            throw error
        }
    }
}
