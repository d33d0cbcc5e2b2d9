import Foundation
import Testing
import _TestSupport

/// The throwaway PostgreSQL cluster the database tests share: it starts, holds the shipped sample with real column
/// types, asks for the password over TCP, and ends connections on request. Its work blocks on psql, so it runs on a
/// thread of its own (``Blocking/run(_:)``), away from the Swift concurrency pool other suites' servers need.
@Suite struct PostgresClusterTests {
    static let sample = ScoringFixtures.root.appendingPathComponent("datasets/sample").path

    @Test func theSampleLoadsWithEveryRowAndRealTypes() async throws {
        let (counts, types, first) = try await Blocking.run {
            let cluster = try PostgresCluster.shared()
            let database = try cluster.createDatabase("sample")
            try cluster.loadSample(into: database, folder: Self.sample)
            let counts = try cluster.psql("""
                SELECT 'contacts', count(*) FROM contacts UNION ALL SELECT 'events', count(*) FROM events
                UNION ALL SELECT 'outcomes', count(*) FROM outcomes
                """, database: database)
            let types = try cluster.psql("""
                SELECT table_name || '.' || column_name, data_type FROM information_schema.columns
                WHERE table_schema = 'public' ORDER BY table_name, ordinal_position
                """, database: database)
            let first = try cluster.psql("SELECT created_at, job_title, company_size FROM contacts WHERE contact_id = 'C000001'",
                                         database: database)
            return (Self.rows(counts), Self.rows(types), first)
        }
        for table in ["contacts", "events", "outcomes"] {
            #expect(counts[table] == String(try Self.dataRecords("\(Self.sample)/\(table).csv")), "\(table)")
        }
        #expect(types["contacts.created_at"] == "timestamp with time zone")
        #expect(types["events.timestamp"] == "timestamp with time zone")
        #expect(types["outcomes.decided_at"] == "timestamp with time zone")
        #expect(types["contacts.company_size"] == "integer")
        #expect(types["contacts.contact_id"] == "text")
        #expect(types["events.event"] == "text")
        #expect(types["events.campaign"] == "text")
        #expect(types["contacts.job_title"] == "text")
        // The server runs in UTC, and the CSV's quoted fields and empty numbers arrive as they are.
        #expect(first == "2025-01-01 17:33:00+00|Software Engineer|14\n")
    }

    @Test func tcpConnectionsNeedThePassword() async throws {
        let (right, wrong, byURL, cluster) = try await Blocking.run {
            let cluster = try PostgresCluster.shared()
            let database = try cluster.createDatabase("password")
            func overTCP(_ password: String) throws -> (status: Int32, stdout: String, stderr: String) {
                try Self.psql(cluster, ["-h", cluster.host, "-p", String(cluster.port), "-U", cluster.user, "-d", database,
                                        "-w", "-c", "SELECT current_user"], password: password)
            }
            let byURL = try Self.psql(cluster, [cluster.url(database: database), "-w", "-c", "SELECT current_database()"],
                                      password: nil)
            return (try overTCP(cluster.password), try overTCP("not-the-password"), byURL, cluster)
        }
        #expect(right.status == 0)
        #expect(right.stdout == "leadscore\n")
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("password authentication failed for user \"leadscore\""), "\(wrong.stderr)")
        #expect(!wrong.stderr.contains("not-the-password") && !wrong.stderr.contains(cluster.password))
        #expect(byURL.status == 0, "\(byURL.stderr)")
        #expect(byURL.stdout.hasPrefix("password_"))
    }

    @Test func everyTestGetsADatabaseOfItsOwn() async throws {
        let (a, b, c) = try await Blocking.run {
            let cluster = try PostgresCluster.shared()
            return (try cluster.createDatabase("Same Name!"), try cluster.createDatabase("Same Name!"),
                    try cluster.createDatabase("9 lives"))
        }
        #expect(a != b)
        #expect(a.hasPrefix("same_name__"))
        #expect(c.hasPrefix("db_9_lives_"))
    }

    @Test func connectionsCanBeEnded() async throws {
        let (ended, session) = try await Blocking.run {
            let cluster = try PostgresCluster.shared()
            let database = try cluster.createDatabase("terminate")
            // A second session, busy for a minute, that the termination must end at once.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: cluster.psqlPath)
            process.arguments = ["-X", "-At", "-h", cluster.socketDirectory, "-p", String(cluster.port), "-U", cluster.user,
                                 "-d", database, "-c", "SELECT pg_sleep(60)"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(30)
            while try cluster.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database)'",
                                   database: "postgres") == "0\n", Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
            }
            let started = Date()
            let ended = try cluster.terminateConnections(database: database)
            process.waitUntilExit()
            return (ended, (status: process.terminationStatus, seconds: Date().timeIntervalSince(started)))
        }
        #expect(ended == 1)
        #expect(session.status != 0)
        #expect(session.seconds < 10)
    }

    /// `first|second` lines as a dictionary.
    static func rows(_ output: String) -> [String: String] {
        var rows: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { rows[String(parts[0])] = String(parts[1]) }
        }
        return rows
    }

    /// The number of records after the header in a CSV file, counting line breaks outside quotes.
    static func dataRecords(_ path: String) throws -> Int {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        var quoted = false, breaks = 0
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { quoted.toggle() } else if byte == UInt8(ascii: "\n"), !quoted { breaks += 1 }
        }
        let unterminated = bytes.last.map { $0 != UInt8(ascii: "\n") } ?? false
        return breaks + (unterminated ? 1 : 0) - 1
    }

    /// Runs the cluster's psql with `arguments`, and `password` as PGPASSWORD when given.
    static func psql(_ cluster: PostgresCluster, _ arguments: [String], password: String?) throws
        -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cluster.psqlPath)
        process.arguments = ["-X", "-At"] + arguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["LC_ALL"] = "C"
        if let password { environment["PGPASSWORD"] = password }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // psql prints a line or two here, far below a pipe's buffer, so reading one after the other cannot block.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}
