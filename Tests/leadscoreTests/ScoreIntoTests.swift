import Foundation
import Testing
import _TestSupport

/// `leadscore score --into TABLE` against a real PostgreSQL (``PostgresCluster``, a throwaway cluster of the test
/// process): the scores land in the table as `--out` has them, a re-run replaces them, names and values of any shape
/// survive the trip, a failure part of the way leaves the table (and `--out`) exactly as they were, and no message shows
/// the password. Every test has a database of its own; the work blocks on processes, so it runs on threads of its own
/// (``Blocking/run(_:)``).
@Suite struct ScoreIntoTests {
    static let model = "models/sample.json"
    static let rules = "datasets/rules/seed.json"
    static let sample = CLI.root.appendingPathComponent("datasets/sample").path
    static let asOf = "2026-07-01T00:00:00Z"

    /// A fresh database holding the sample's contacts, events and outcomes as tables.
    static func sampleDatabase(_ name: String) throws -> (PostgresCluster, String) {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.createDatabase(name)
        try cluster.loadSample(into: database, folder: sample)
        return (cluster, database)
    }

    /// A source description reading the sample's tables from `database`.
    static func sourceDescription(_ cluster: PostgresCluster, _ database: String, outcomes: Bool = true) throws -> String {
        let path = try CLI.temporaryFolder().appendingPathComponent("source.json").path
        var description: [String: Any] = ["database": cluster.url(database: database), "contacts": ["table": "contacts"],
                                          "events": ["table": "events"]]
        if outcomes { description["outcomes"] = ["table": "outcomes"] }
        try JSONSerialization.data(withJSONObject: description).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The sample's files, history mode, without outcomes: every contact created before --as-of is scored.
    static let sampleFiles = ["--contacts", "datasets/sample/contacts.csv", "--events", "datasets/sample/events.csv"]

    /// The rows of `table` (an SQL name, quoted as needed), a JSON object a line; ``parse(_:)`` reads them.
    static func rows(_ cluster: PostgresCluster, _ database: String, _ table: String) throws -> String {
        try cluster.psql("""
            SELECT row_to_json(t) FROM (SELECT contact_id, probability, score, band, rule_points, rule_band, reasons, model,
            to_char(scored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS scored_at FROM \(table)) t
            """, database: database)
    }

    /// The rows ``rows(_:_:_:)`` gives, by contact_id.
    static func parse(_ output: String) throws -> [String: [String: Any]] {
        var rows: [String: [String: Any]] = [:]
        for line in output.split(separator: "\n") {
            let row = try CLI.json(Data(line.utf8))
            rows[row["contact_id"] as? String ?? ""] = row
        }
        return rows
    }

    /// A digest of every row of `table` in contact_id order: equal digests, equal tables.
    static func digest(_ cluster: PostgresCluster, _ database: String, _ table: String) throws -> String {
        try cluster.psql("SELECT count(*) || ' ' || md5(string_agg(t::text, E'\\n' ORDER BY contact_id)) FROM \(table) t", database: database)
    }

    /// The model's id as `leadscore serve` shows it at /healthz: FNV-1a (64 bits) of the file's bytes, in hex.
    static let modelID: String = {
        let data = try! Data(contentsOf: CLI.root.appendingPathComponent(model))
        var h: UInt64 = 0xcbf29ce484222325
        for byte in data { h = (h ^ UInt64(byte)) &* 0x100000001b3 }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }()

    /// The CSV `score` writes, as rows of fields (RFC 4180: quoted fields with doubled quotes).
    static func csv(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false, afterQuote = false
        for character in text {
            if quoted {
                if character == "\"" { quoted = false; afterQuote = true } else { field.append(character) }
            } else if character == "\"" {
                if afterQuote { field.append("\"") }
                quoted = true
                afterQuote = false
            } else if character == "," {
                row.append(field); field = ""; afterQuote = false
            } else if character == "\n" {
                row.append(field); rows.append(row); row = []; field = ""; afterQuote = false
            } else {
                field.append(character); afterQuote = false
            }
        }
        return rows
    }

    @Test func theSampleFromTablesLandsInATableAsScoreOutWritesIt() async throws {
        let (cluster, database, run, reference, referenceRun, sameCSV, rowsText) = try await Blocking.run {
            let (cluster, database) = try Self.sampleDatabase("into_sample")
            _ = try cluster.psql("CREATE SCHEMA crm", database: database)
            let source = try Self.sourceDescription(cluster, database)
            let folder = try CLI.temporaryFolder()
            let out = folder.appendingPathComponent("scores.csv").path
            let run = try CLI.run(["score", "--model", Self.model, "--source", source, "--as-of", Self.asOf, "--explain", "2",
                                   "--rules", Self.rules, "--into", "crm.lead_scores", "--out", out])
            // The reference: the same contacts from the files, to CSV.
            let referencePath = folder.appendingPathComponent("reference.csv").path
            let reference = try CLI.run(["score", "--model", Self.model, "--contacts", "datasets/sample/contacts.csv",
                                         "--events", "datasets/sample/events.csv", "--outcomes", "datasets/sample/outcomes.csv",
                                         "--as-of", Self.asOf, "--explain", "2", "--rules", Self.rules, "--out", referencePath])
            let sameCSV = (try? Data(contentsOf: URL(fileURLWithPath: out))) == (try? Data(contentsOf: URL(fileURLWithPath: referencePath)))
            return (cluster, database, run, (try? String(contentsOfFile: referencePath, encoding: .utf8)) ?? "", reference, sameCSV,
                    try Self.rows(cluster, database, "crm.lead_scores"))
        }
        let rows = try Self.parse(rowsText)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(referenceRun.status == 0, "\(referenceRun.stderr)")
        #expect(sameCSV, "--out of the run that also wrote the table is the CSV of the files")
        let scored = try #require(run.stdout.firstMatch(of: #/Scored ([0-9,]+) leads to /#)?.output.1)
        #expect(run.stderr.contains("Wrote \(scored) scores into crm.lead_scores (postgresql://leadscore@127.0.0.1:\(cluster.port)/\(database))\n"),
                "\(run.stderr)")
        #expect(!run.stderr.contains(cluster.password) && !run.stdout.contains(cluster.password))

        let table = Self.csv(reference)
        let header = try #require(table.first)
        #expect(header == ["contact_id", "probability", "score", "band", "rule_points", "rule_band",
                           "reason_up_1", "reason_up_2", "reason_down_1", "reason_down_2"])
        #expect(rows.count == table.count - 1)
        #expect(String(rows.count) == scored.filter(\.isNumber))
        for line in table.dropFirst() {
            guard let row = rows[line[0]] else {
                Issue.record("contact \(line[0]) is not in the table")
                continue
            }
            #expect(abs((row["probability"] as? Double ?? -1) - Double(line[1])!) <= 1e-12, "\(line[0])")
            #expect(row["score"] as? Int == Int(line[2]))
            #expect(row["band"] as? String == line[3])
            #expect(row["rule_points"] as? Double == Double(line[4]))
            #expect(row["rule_band"] as? String == line[5])
            let reasons = row["reasons"] as? [String: Any]
            let up = (reasons?["reasons_up"] as? [[String: Any]])?.map { $0["text"] as? String ?? "" } ?? []
            let down = (reasons?["reasons_down"] as? [[String: Any]])?.map { $0["text"] as? String ?? "" } ?? []
            #expect(up == line[6...7].filter { !$0.isEmpty }, "\(line[0])")
            #expect(down == line[8...9].filter { !$0.isEmpty }, "\(line[0])")
            #expect(row["model"] as? String == Self.modelID)
            #expect(row["scored_at"] as? String == Self.asOf)
        }
        // The shape of the table it made.
        let columns = try await Blocking.run {
            try cluster.psql("""
                SELECT column_name || ' ' || data_type || ' ' || is_nullable FROM information_schema.columns
                WHERE table_schema = 'crm' AND table_name = 'lead_scores' ORDER BY ordinal_position
                """, database: database)
        }
        #expect(columns == """
            contact_id text NO
            probability double precision NO
            score integer NO
            band text NO
            rule_points double precision YES
            rule_band text YES
            reasons jsonb YES
            model text NO
            scored_at timestamp with time zone NO

            """)
    }

    @Test func aRerunReplacesTheRowsAndTheEnvironmentNamesTheDatabase() async throws {
        let (cluster, database, first, second, beforeText, afterText) = try await Blocking.run {
            let cluster = try PostgresCluster.shared()
            let database = try cluster.createDatabase("into_rerun")
            let first = try CLI.run(["score", "--model", Self.model] + Self.sampleFiles
                                    + ["--as-of", Self.asOf, "--into", "lead_scores", "--database", cluster.url(database: database)])
            let before = try Self.rows(cluster, database, "lead_scores")
            // The second run finds the database in the PG* variables, as psql would.
            let second = try CLI.run(["score", "--model", Self.model] + Self.sampleFiles + ["--as-of", "2026-07-08", "--into", "lead_scores", "--quiet"],
                                     environment: ["PGHOST": cluster.host, "PGPORT": String(cluster.port), "PGUSER": cluster.user,
                                                   "PGPASSWORD": cluster.password, "PGDATABASE": database, "PGSSLMODE": "disable"])
            return (cluster, database, first, second, before, try Self.rows(cluster, database, "lead_scores"))
        }
        let before = try Self.parse(beforeText), after = try Self.parse(afterText)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(first.stdout.isEmpty && second.stdout.isEmpty, "with --into and no --out, nothing goes to standard output")
        #expect(first.stderr.hasSuffix("Wrote 20,000 scores into lead_scores (postgresql://leadscore@127.0.0.1:\(cluster.port)/\(database))\n"),
                "\(first.stderr)")
        #expect(second.stderr == "Wrote 20,000 scores into lead_scores (postgresql://leadscore@127.0.0.1:\(cluster.port)/\(database))\n")
        #expect(before.count == 20_000)
        #expect(after.count == 20_000)
        #expect(Set(after.keys) == Set(before.keys))
        #expect(before.values.allSatisfy { $0["scored_at"] as? String == Self.asOf })
        #expect(after.values.allSatisfy { $0["scored_at"] as? String == "2026-07-08T00:00:00Z" })
        #expect(after.values.allSatisfy { $0["reasons"] is NSNull && $0["rule_points"] is NSNull && $0["rule_band"] is NSNull })
        // A week later every lead has been inactive a week longer: the scores moved.
        let moved = after.filter { id, row in (row["probability"] as? Double) != (before[id]?["probability"] as? Double) }
        #expect(moved.count > 10_000)
    }

    @Test func namesAndIdsOfAnyShapeSurviveTheTrip() async throws {
        // Ids with a tab, a line break, a carriage return, backslashes, a quote, and COPY's own NULL and end markers.
        let ids = ["tab\there", "line\nbreak", "carriage\rreturn", "back\\slash", "quote\"d", "\\N", "\\.", "comma, and 'single'", "plain"]
        let (cluster, database, run, stored) = try await Blocking.run {
            let cluster = try PostgresCluster.shared()
            let database = try cluster.createDatabase("into_names")
            _ = try cluster.psql(#"CREATE SCHEMA "odd ""schema""""#, database: database)
            let folder = try CLI.temporaryFolder()
            func field(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            var contacts = "contact_id,created_at,job_title,company_size,industry,country,lead_source\n"
            var events = "contact_id,timestamp,event,campaign\n"
            for (i, id) in ids.enumerated() {
                contacts += "\(field(id)),2026-05-0\(i + 1)T10:00:00Z,Software Engineer,\(20 * (i + 1)),Software,US,Paid Search\n"
                events += "\(field(id)),2026-06-0\(i + 1)T10:00:00Z,page_view,\n"
            }
            try contacts.write(to: folder.appendingPathComponent("contacts.csv"), atomically: true, encoding: .utf8)
            try events.write(to: folder.appendingPathComponent("events.csv"), atomically: true, encoding: .utf8)
            let run = try CLI.run(["score", "--model", Self.model, "--contacts", folder.appendingPathComponent("contacts.csv").path,
                                   "--events", folder.appendingPathComponent("events.csv").path, "--as-of", Self.asOf, "--explain", "1",
                                   "--into", #"odd "schema".lead "scores""#, "--database", cluster.url(database: database)])
            let stored = try cluster.psql(#"SELECT json_agg(contact_id ORDER BY contact_id) FROM "odd ""schema"""."lead ""scores""""#,
                                          database: database)
            return (cluster, database, run, stored)
        }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.hasSuffix("Wrote 9 scores into odd \"schema\".lead \"scores\" (postgresql://leadscore@127.0.0.1:\(cluster.port)/\(database))\n"),
                "\(run.stderr)")
        let back = try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String]
        #expect(back.map(Set.init) == Set(ids))
        #expect(back?.count == ids.count)
    }

    @Test func aTableOfAnotherShapeIsRefusedNamingWhatItLacks() async throws {
        let (database, lacking, unkeyed, digest) = try await Blocking.run {
            let cluster = try PostgresCluster.shared()
            let database = try cluster.createDatabase("into_shape")
            _ = try cluster.psql("""
                CREATE TABLE lead_scores (contact_id text PRIMARY KEY, probability double precision, score integer, band text);
                INSERT INTO lead_scores VALUES ('C1', 0.5, 50, 'MQL');
                CREATE TABLE unkeyed (contact_id text, probability double precision, score integer, band text, rule_points
                double precision, rule_band text, reasons jsonb, model text, scored_at timestamptz);
                """, database: database)
            let url = cluster.url(database: database)
            let lacking = try CLI.run(["score", "--model", Self.model] + Self.sampleFiles + ["--as-of", Self.asOf, "--into", "lead_scores", "--database", url])
            let unkeyed = try CLI.run(["score", "--model", Self.model] + Self.sampleFiles + ["--as-of", Self.asOf, "--into", "unkeyed", "--database", url])
            return (database, lacking, unkeyed, try Self.digest(cluster, database, "lead_scores"))
        }
        let place = "postgresql://leadscore@127.0.0.1:\(try PostgresCluster.shared().port)/\(database)"
        #expect(lacking.status == 1)
        #expect(lacking.stderr == "leadscore: error: \(place): the table lead_scores lacks the columns rule_points, rule_band, reasons, model, scored_at (it has band, contact_id, probability, score)\n")
        #expect(unkeyed.status == 1)
        #expect(unkeyed.stderr == "leadscore: error: \(place): the table unkeyed has no primary key or unique index on contact_id alone, which replacing rows by contact_id needs\n")
        #expect(digest.hasPrefix("1 "))
    }

    @Test func aRowTheTableRefusesLeavesTableAndOutAsTheyWere() async throws {
        let (database, first, failed, before, after, outAfter) = try await Blocking.run {
            let cluster = try PostgresCluster.shared()
            let database = try cluster.createDatabase("into_refused")
            let url = cluster.url(database: database)
            let out = try CLI.temporaryFolder().appendingPathComponent("scores.csv").path
            let first = try CLI.run(["score", "--model", Self.model] + Self.sampleFiles + ["--as-of", Self.asOf, "--into", "lead_scores", "--database", url])
            try "previous scores\n".write(toFile: out, atomically: true, encoding: .utf8)
            // A rule the table enforces from now on, which a late row of the next run breaks.
            _ = try cluster.psql("ALTER TABLE lead_scores ADD CONSTRAINT not_that_one CHECK (contact_id <> 'C019990') NOT VALID", database: database)
            let before = try Self.digest(cluster, database, "lead_scores")
            let failed = try CLI.run(["score", "--model", Self.model] + Self.sampleFiles + ["--as-of", "2026-07-08", "--explain", "3",
                                      "--into", "lead_scores", "--database", url, "--out", out])
            return (database, first, failed, before, try Self.digest(cluster, database, "lead_scores"), try String(contentsOfFile: out, encoding: .utf8))
        }
        #expect(first.status == 0, "\(first.stderr)")
        #expect(failed.status == 1)
        let place = "postgresql://leadscore@127.0.0.1:\(try PostgresCluster.shared().port)/\(database)"
        #expect(failed.stderr == "leadscore: error: \(place): writing into lead_scores: new row for relation \"lead_scores\" violates check constraint \"not_that_one\"; the table is as it was\n")
        #expect(before.hasPrefix("20000 "))
        #expect(after == before)
        #expect(outAfter == "previous scores\n")
    }

    @Test func aConnectionKilledDuringTheCopyLeavesTheTableAsItWas() async throws {
        let (first, failed, before, after, copying) = try await Blocking.run {
            let cluster = try PostgresCluster.shared()
            let database = try cluster.createDatabase("into_killed")
            let url = cluster.url(database: database)
            let first = try CLI.run(["score", "--model", Self.model] + Self.sampleFiles + ["--as-of", Self.asOf, "--into", "lead_scores", "--database", url])
            let before = try Self.digest(cluster, database, "lead_scores")

            let process = Process()
            process.executableURL = CLI.binary
            // With reasons by feature, scoring the sample takes seconds, and the COPY runs all the while.
            process.arguments = ["score", "--model", Self.model] + Self.sampleFiles + ["--as-of", "2026-07-08", "--explain", "3", "--explain-detail",
                                                                                      "--into", "lead_scores", "--database", url]
            process.currentDirectoryURL = CLI.root
            let err = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = err
            try process.run()
            // Wait for the COPY to be under way, then end the connection from another session.
            var copying = false
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning, Date() < deadline {
                let active = try cluster.psql("""
                    SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database)' AND state = 'active' AND query LIKE 'COPY%'
                    """, database: "postgres")
                if active == "1\n" {
                    copying = true
                    try cluster.terminateConnections(database: database)
                    break
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (first, (process.terminationStatus, stderr), before, try Self.digest(cluster, database, "lead_scores"), copying)
        }
        #expect(first.status == 0, "\(first.stderr)")
        #expect(copying, "the COPY was never seen running")
        #expect(failed.0 == 1)
        #expect(failed.1.hasPrefix("leadscore: error: postgresql://leadscore@127.0.0.1:"), "\(failed.1)")
        #expect(failed.1.contains(": writing into lead_scores: the server ended the connection (terminating connection due to administrator command); the table is as it was\n")
                || failed.1.contains(": writing into lead_scores: the connection to the server was lost; the table is as it was\n"), "\(failed.1)")
        #expect(failed.1.split(separator: "\n").count == 1, "\(failed.1)")
        #expect(before.hasPrefix("20000 "))
        #expect(after == before)
    }

    @Test func aWrongPasswordIsOneLineWithoutThePassword() async throws {
        let (cluster, database, byURL, byEnvironment) = try await Blocking.run {
            let cluster = try PostgresCluster.shared()
            let database = try cluster.createDatabase("into_password")
            let url = "postgresql://\(cluster.user):Wr0ngSecret@\(cluster.host):\(cluster.port)/\(database)"
            let byURL = try CLI.run(["score", "--model", Self.model] + Self.sampleFiles + ["--as-of", Self.asOf, "--into", "lead_scores", "--database", url])
            let byEnvironment = try CLI.run(["score", "--model", Self.model] + Self.sampleFiles + ["--as-of", Self.asOf, "--into", "lead_scores"],
                                            environment: ["PGHOST": cluster.host, "PGPORT": String(cluster.port), "PGUSER": cluster.user,
                                                          "PGPASSWORD": "Wr0ngSecret", "PGDATABASE": database])
            return (cluster, database, byURL, byEnvironment)
        }
        let expected = "leadscore: error: postgresql://leadscore@127.0.0.1:\(cluster.port)/\(database): cannot connect: password authentication failed for user \"leadscore\"\n"
        for run in [byURL, byEnvironment] {
            #expect(run.status == 1)
            #expect(run.stderr == expected)
            #expect(!run.stderr.contains("Wr0ngSecret") && !run.stdout.contains("Wr0ngSecret"))
        }
    }

    @Test func intoAndDatabaseBelongWhereTheyWork() throws {
        let table = try CLI.run(["score", "--model", Self.model, "--table", "datasets/table/leads.csv", "--into", "lead_scores"])
        #expect(table.status == 64)
        #expect(table.stderr.contains("--into applies to contact history (--contacts and --events), not to a table"), "\(table.stderr)")
        let alone = try CLI.run(["score", "--model", Self.model] + Self.sampleFiles + ["--database", "postgresql://localhost/crm"])
        #expect(alone.status == 64)
        #expect(alone.stderr.contains("--database names where --into writes the scores: give --into TABLE too"), "\(alone.stderr)")
        let help = try CLI.run(["score", "--help"])
        #expect(help.stdout.contains("--into <schema.table>"))
        #expect(help.stdout.contains("leadscore score --model models/sample.json --source crm.json --explain 3 \\\n    --into crm.lead_scores\n"))
        #expect(help.stdout.contains("--database <url>"))
    }
}
