import Foundation
import Testing
import _TestSupport

/// `leadscore serve --source` as a user runs it, against a real PostgreSQL (``PostgresCluster``): the help says how,
/// a lead is read by its id, and a database that cannot be read stops the command with one line and exit 1, never
/// showing the password.
@Suite struct ServeDatabaseCommandTests {
    /// The sample in a database of its own, and a source description of it (`password` overrides the URL's).
    static func sample(_ name: String, password: String? = nil) throws -> (cluster: PostgresCluster, source: String, folder: URL) {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.createDatabase(name)
        try cluster.loadSample(into: database, folder: CLI.root.appendingPathComponent("datasets/sample").path)
        let folder = try CLI.temporaryFolder()
        var url = cluster.url(database: database)
        if let password { url = url.replacingOccurrences(of: cluster.password, with: password) }
        let source = folder.appendingPathComponent("crm.json").path
        try #"{"database": "\#(url)", "contacts": {"table": "contacts"}, "events": {"table": "events"}}"#
            .write(toFile: source, atomically: true, encoding: .utf8)
        return (cluster, source, folder)
    }

    @Test func theHelpShowsHowToReadALeadByID() throws {
        let help = try CLI.run(["serve", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("GET /v1/leads/{contact_id}"))
        #expect(help.stdout.contains("--source <source.json>"))
        #expect(help.stdout.contains("leadscore serve --model models/sample.json --source crm.json"))
    }

    @Test func aLeadIsReadByIDFromTheDatabase() throws {
        let (_, source, folder) = try Self.sample("serve_cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServeProcess(["--model", "models/sample.json", "--rules", "datasets/rules/seed.json", "--source", source])
        let connection = try HTTPConnection(port: server.port)
        let got = try connection.request("GET", "/v1/leads/C000002?as_of=2026-06-24")
        #expect(got.status == 200, "\(got.text)")
        #expect(try got.object()["contact_id"] as? String == "C000002")
        #expect(try got.object()["rule_band"] != nil)
        let unknown = try connection.request("GET", "/v1/leads/C999999")
        #expect(unknown.status == 404)
        #expect(server.stop() == 0)
        // The sample's tables have no index: said once at start, for each.
        #expect(server.log.contains(#"table contacts has no index on "contact_id": every GET /v1/leads reads the whole table (CREATE INDEX ON "contacts" ("contact_id"))"#), "\(server.log)")
        #expect(server.log.contains(#"table events has no index on "contact_id""#), "\(server.log)")
    }

    @Test func aWrongPasswordStopsServeWithOneLineWithoutThePassword() throws {
        let wrong = "Wr0ngPassw0rdXyz"
        let (cluster, source, folder) = try Self.sample("serve_cli_password", password: wrong)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.run(["serve", "--model", "models/sample.json", "--port", "0", "--source", source], within: 60)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("leadscore: error: postgresql://\(cluster.user)@127.0.0.1:\(cluster.port)/"), "\(result.stderr)")
        #expect(result.stderr.contains("password authentication failed"), "\(result.stderr)")
        #expect(!result.stderr.contains(wrong))
        #expect(!result.stderr.contains(cluster.password))
    }

    /// `leadscore args...`, killed if it is still running after `seconds` (a server that should not have started).
    static func run(_ args: [String], within seconds: Double) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = args
        process.currentDirectoryURL = CLI.root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            Issue.record("leadscore \(args.joined(separator: " ")) was still running after \(seconds) s")
        }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
                String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }
}
