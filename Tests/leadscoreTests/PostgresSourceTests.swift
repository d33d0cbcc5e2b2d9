import Foundation
import Testing
import _TestSupport

/// Contact history read from PostgreSQL, against a real throwaway cluster: the shipped sample loaded into tables gives
/// the CSV path's design matrix and model, read row by row (streaming) or aggregated by the database (`--pushdown`);
/// `leadscore sql` prints a statement the database runs; `source --init --database` describes the tables; and every
/// way it can go wrong (password, port, table, column, a connection lost part way) is one line, with no password and
/// no output written.
@Suite struct PostgresSourceTests {
    static let sample = CLI.root.appendingPathComponent("datasets/sample").path

    /// A database holding the sample, and a folder with a source description pointing at its tables.
    struct Loaded {
        var cluster: PostgresCluster
        var database: String
        var folder: URL
        var source: String
    }

    static func loaded(_ name: String, events: String = #"{"table": "events"}"#, url: ((PostgresCluster, String) -> String)? = nil) throws -> Loaded {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.createDatabase(name)
        try cluster.loadSample(into: database, folder: sample)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-pg-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let source = folder.appendingPathComponent("source.json").path
        let address = url?(cluster, database) ?? cluster.url(database: database)
        try """
            {"database": "\(address)", "contacts": {"table": "contacts"}, "events": \(events), "outcomes": {"table": "outcomes"}}
            """.write(toFile: source, atomically: true, encoding: .utf8)
        return Loaded(cluster: cluster, database: database, folder: folder, source: source)
    }

    static let csvInputs = ["--contacts", "datasets/sample/contacts.csv", "--events", "datasets/sample/events.csv", "--outcomes", "datasets/sample/outcomes.csv"]
    static let trainOptions = ["--spec", "datasets/sample/spec.json", "--l2", "auto", "--rules", "datasets/rules/seed.json"]

    @Test func streamingAndPushdownGiveTheDesignMatrixOfTheCSVFiles() throws {
        let db = try Self.loaded("design")
        defer { try? FileManager.default.removeItem(at: db.folder) }
        func features(_ inputs: [String], _ name: String) throws -> Data {
            let out = db.folder.appendingPathComponent(name).path
            let run = try CLI.run(["features"] + inputs + ["--spec", "datasets/sample/spec.json", "--out", out])
            #expect(run.status == 0, "\(run.stderr)")
            return try Data(contentsOf: URL(fileURLWithPath: out))
        }
        let files = try features(Self.csvInputs, "csv.csv")
        let streamed = try features(["--source", db.source], "streamed.csv")
        let pushed = try features(["--source", db.source, "--pushdown"], "pushed.csv")
        #expect(files.count > 1_000_000)
        // Byte for byte: the same rows, the same vocabulary and columns, values written alike (so equal to the last digit).
        #expect(streamed == files)
        #expect(pushed == files)
    }

    @Test func theModelIsTheOneTheCSVFilesTrain() throws {
        let db = try Self.loaded("model")
        defer { try? FileManager.default.removeItem(at: db.folder) }
        func train(_ inputs: [String], _ name: String) throws -> Data {
            let out = db.folder.appendingPathComponent(name).path
            let run = try CLI.run(["train"] + inputs + Self.trainOptions + ["--out", out], reproducing: true)
            #expect(run.status == 0, "\(run.stderr)")
            return try Data(contentsOf: URL(fileURLWithPath: out))
        }
        let files = try train(Self.csvInputs, "csv.json")
        let streamed = try train(["--source", db.source], "streamed.json")
        let pushed = try train(["--source", db.source, "--pushdown"], "pushed.json")
        #expect(pushed == streamed)
        // The model records where its outcomes came from; that one field aside, the files are the same.
        let fromFiles = String(decoding: files, as: UTF8.self).replacingOccurrences(of: #""source" : "outcomes.csv""#, with: "SOURCE")
        let fromTables = String(decoding: streamed, as: UTF8.self).replacingOccurrences(of: #""source" : "table outcomes""#, with: "SOURCE")
        #expect(fromFiles.contains("SOURCE"))
        #expect(fromTables == fromFiles)
    }

    @Test func sqlPrintsTheStatementThatPushdownRunsAndTheDatabaseRunsIt() throws {
        let db = try Self.loaded("sql", events: #"{"table": "events", "columns": {"event": "event"}}"#)
        defer { try? FileManager.default.removeItem(at: db.folder) }
        let run = try CLI.run(["sql", "--source", db.source, "--spec", "datasets/sample/spec.json", "--rules", "datasets/rules/seed.json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains(#"FROM "events" AS e"#))
        #expect(run.stdout.contains("unnest($1::text[], $2::int8[])"))
        #expect(run.stdout.contains("GROUP BY contact_id"))
        // Run it by hand, as a reviewer would in psql: every contact as of 2100, the ids and cutoffs bound as
        // leadscore binds them.
        let statement = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines).dropLast()  // the ';'
        let counted = try db.cluster.psql("""
            SELECT array_agg(contact_id) AS ids, array_agg(4102444800::int8) AS cutoffs FROM contacts \\gset
            PREPARE features(text[], int8[]) AS \(statement);
            CREATE TEMPORARY TABLE aggregates AS EXECUTE features(:'ids', :'cutoffs');
            SELECT count(*), sum(cardinality(events)) > count(*) FROM aggregates;
            """, database: db.database)
        let withEvents = try db.cluster.psql("SELECT count(DISTINCT contact_id) FROM events", database: db.database)
        // As of 2100, every contact with an event has a row, and some have several types.
        #expect(counted.hasSuffix("\n" + withEvents.trimmingCharacters(in: .whitespacesAndNewlines) + "|t\n"), "\(counted)")
    }

    @Test func sourceInitDescribesTheTablesWithoutThePassword() throws {
        let db = try Self.loaded("init")
        defer { try? FileManager.default.removeItem(at: db.folder) }
        let out = db.folder.appendingPathComponent("proposed.json").path
        let run = try CLI.run(["source", "--init", "--database", db.cluster.url(database: db.database), "--contacts", "contacts",
                               "--events", "events", "--outcomes", "outcomes", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(!text.contains(db.cluster.password))
        #expect(!run.stdout.contains(db.cluster.password) && !run.stderr.contains(db.cluster.password))
        #expect(text.contains(#""contacts": {"table": "contacts"}"#))
        #expect(text.contains(#""won": ["won"]"#))
        #expect(text.contains("postgresql://\(db.cluster.user)@127.0.0.1:\(db.cluster.port)/\(db.database)"))
        #expect(run.stdout.contains("PGPASSWORD"))
        // With the password where it belongs, the description trains.
        let model = db.folder.appendingPathComponent("model.json").path
        let trained = try CLI.run(["train", "--source", out, "--out", model], environment: ["PGPASSWORD": db.cluster.password])
        #expect(trained.status == 0, "\(trained.stderr)")
    }

    /// One line on standard error, exit 1, no password, no model written.
    static func expectFailure(_ run: CLI.Result, saying words: String, password: String, model: String) {
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(run.stderr.contains(words), "\(run.stderr)")
        #expect(!run.stderr.contains(password) && !run.stdout.contains(password))
        #expect(!FileManager.default.fileExists(atPath: model))
    }

    @Test func whatGoesWrongIsOneLineWithoutThePassword() throws {
        let db = try Self.loaded("errors")
        defer { try? FileManager.default.removeItem(at: db.folder) }
        let model = db.folder.appendingPathComponent("model.json").path
        func train(_ description: String) throws -> CLI.Result {
            let path = db.folder.appendingPathComponent("bad.json").path
            try description.write(toFile: path, atomically: true, encoding: .utf8)
            return try CLI.run(["train", "--source", path, "--out", model])
        }
        let c = db.cluster
        let tables = #""contacts": {"table": "contacts"}, "events": {"table": "events"}, "outcomes": {"table": "outcomes"}"#
        let wrong = "postgresql://\(c.user):not-\(c.password)@127.0.0.1:\(c.port)/\(db.database)"
        Self.expectFailure(try train(#"{"database": "\#(wrong)", \#(tables)}"#), saying: "password authentication failed", password: "not-\(c.password)", model: model)
        let closed = try Self.closedPort()
        Self.expectFailure(try train(#"{"database": "postgresql://\#(c.user):\#(c.password)@127.0.0.1:\#(closed)/x", \#(tables)}"#),
                           saying: "connection refused", password: c.password, model: model)
        let url = c.url(database: db.database)
        Self.expectFailure(try train(#"{"database": "\#(url)", "contacts": {"table": "contact"}, "events": {"table": "events"}, "outcomes": {"table": "outcomes"}}"#),
                           saying: "table contact does not exist (tables: contacts, events, outcomes)", password: c.password, model: model)
        Self.expectFailure(try train(#"{"database": "\#(url)", "contacts": {"table": "contacts"}, "events": {"table": "events", "columns": {"timestamp": "occurred_at"}}, "outcomes": {"table": "outcomes"}}"#),
                           saying: #"table events: missing column "occurred_at" (the table has: contact_id"#, password: c.password, model: model)
        Self.expectFailure(try train(#"{"database": "\#(url)", "contacts": {"table": "contacts"}, "events": {"query": "SELECT * FROM event_log"}, "outcomes": {"table": "outcomes"}}"#),
                           saying: #"the query does not run: relation "event_log" does not exist"#, password: c.password, model: model)
        // The same through --pushdown, which reads the events' columns itself.
        let pushed = try CLI.run(["train", "--source", db.folder.appendingPathComponent("bad.json").path, "--pushdown", "--out", model])
        Self.expectFailure(pushed, saying: "event_log", password: c.password, model: model)
    }

    @Test func sslmodeIsHonouredAndTheURLReadAsPsqlReadsIt() throws {
        let db = try Self.loaded("sslmode")
        defer { try? FileManager.default.removeItem(at: db.folder) }
        let c = db.cluster
        let model = db.folder.appendingPathComponent("model.json").path
        func train(_ url: String, environment: [String: String] = [:]) throws -> CLI.Result {
            let path = db.folder.appendingPathComponent("s.json").path
            try #"{"database": "\#(url)", "contacts": {"table": "contacts"}, "events": {"table": "events"}, "outcomes": {"table": "outcomes"}}"#
                .write(toFile: path, atomically: true, encoding: .utf8)
            return try CLI.run(["train", "--source", path, "--out", model], environment: environment)
        }
        let base = "postgresql://\(c.user):\(c.password)@127.0.0.1:\(c.port)/\(db.database)"
        // The test server has no TLS: require and verify-full refuse to go on without it, disable and prefer connect.
        Self.expectFailure(try train(base + "?sslmode=require"), saying: "does not accept TLS", password: c.password, model: model)
        Self.expectFailure(try train(base + "?sslmode=verify-full"), saying: "does not accept TLS", password: c.password, model: model)
        Self.expectFailure(try train(base + "?sslmode=sometimes"), saying: "sslmode is \"sometimes\"; it takes disable, allow, prefer, require, verify-ca, verify-full",
                           password: c.password, model: model)
        Self.expectFailure(try train(base.replacingOccurrences(of: "postgresql://", with: "mysql://")), saying: "not a postgresql:// URL",
                           password: c.password, model: model)
        Self.expectFailure(try train(base + "?sslmode=disable&passwd=x"), saying: "the URL has the parameter \"passwd\"", password: c.password, model: model)
        #expect(try train(base + "?sslmode=disable").status == 0)
        // What the URL leaves out comes from the PG* variables, the password from PGPASSWORD or a private ~/.pgpass.
        try FileManager.default.removeItem(atPath: model)
        #expect(try train("postgresql://127.0.0.1/\(db.database)", environment: ["PGPORT": String(c.port), "PGUSER": c.user, "PGPASSWORD": c.password]).status == 0)
        try FileManager.default.removeItem(atPath: model)
        let pgpass = db.folder.appendingPathComponent("pgpass").path
        try "# host:port:database:user:password\n127.0.0.1:\(c.port):*:\(c.user):\(c.password.replacingOccurrences(of: ":", with: "\\:"))\n"
            .write(toFile: pgpass, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pgpass)
        #expect(try train("postgresql://\(c.user)@127.0.0.1:\(c.port)/\(db.database)", environment: ["PGPASSFILE": pgpass]).status == 0)
        // A password file others can read is ignored, as libpq ignores it.
        try FileManager.default.removeItem(atPath: model)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: pgpass)
        Self.expectFailure(try train("postgresql://\(c.user)@127.0.0.1:\(c.port)/\(db.database)", environment: ["PGPASSFILE": pgpass, "PGPASSWORD": ""]),
                           saying: "password", password: c.password, model: model)
    }

    @Test func aConnectionLostPartWayIsAnErrorAndWritesNothing() throws {
        // The events pause after the first rows have arrived, while the connection is ended from outside.
        let query = #"SELECT contact_id, \"timestamp\", event FROM events WHERE CASE WHEN contact_id = 'C000015' THEN pg_sleep(30) IS NOT NULL ELSE true END"#
        let db = try Self.loaded("dropped", events: #"{"query": "\#(query)"}"#)
        defer { try? FileManager.default.removeItem(at: db.folder) }
        let model = db.folder.appendingPathComponent("model.json").path
        let ended = Ended()
        let stopper = Thread {
            // End every connection of the database once the events are being read (the sleep has begun).
            for _ in 0..<200 {
                Thread.sleep(forTimeInterval: 0.1)
                if let sleeping = try? db.cluster.psql("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'", database: "postgres"),
                   sleeping.hasPrefix("1") {
                    ended.count = (try? db.cluster.terminateConnections(database: db.database)) ?? 0
                    return
                }
            }
        }
        stopper.start()
        let run = try CLI.run(["train", "--source", db.source, "--out", model])
        while stopper.isExecuting { Thread.sleep(forTimeInterval: 0.05) }
        #expect(ended.count >= 1)
        Self.expectFailure(run, saying: "events query", password: db.cluster.password, model: model)
        #expect(run.stderr.contains("the rows read are not used"), "\(run.stderr)")
    }

    final class Ended: @unchecked Sendable { var count = 0 }

    /// A loopback port nothing listens on.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
