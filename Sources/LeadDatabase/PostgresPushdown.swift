import Foundation
package import LeadData
import NIOCore
import PostgresNIO

/// `--pushdown`: the events are aggregated by PostgreSQL, so that one row per contact leaves the database instead of
/// every event. The statement joins the events to each contact's cutoff (bound as two arrays: the ids and the cutoffs
/// in Unix seconds), keeps the events strictly before it, and groups by contact and event type, then by contact:
/// occurrences, the most recent one's age, the days of the last 30 with one, and the occurrences in each window the
/// features and rules count in. These are exactly what the feature and rule accumulators keep per contact and type,
/// so the design matrix is the one the CSV path gives.
///
/// It groups and joins on the contact id only, which a distributed PostgreSQL (Citus, tables distributed by contact
/// id) runs on its workers. Identifiers are quoted; the cutoffs are bound, never spliced.
package struct PostgresPushdown: EventAggregator {
    package let environment: [String: String]

    package init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The statement for `events` (its columns as the source description maps them) and these windows, with the
    /// events' timestamp column of type `timeType`. `$1` is the array of contact ids, `$2` of their cutoffs.
    package static func statement(events: SourceFile, windows: [Int64]) throws(InputError) -> String {
        guard let table = events.table else {
            throw InputError(file: events.path, line: nil, message: "--pushdown reads events from a database table or query, not a file")
        }
        let id = DatabaseConnection.quoted(events.column("contact_id"))
        let time = DatabaseConnection.quoted(events.column("timestamp"))
        let event = DatabaseConnection.quoted(events.column("event"))
        let windowColumns = windows.enumerated().map { w, seconds in
            seconds == Int64.max ? "count(*)::int4 AS w\(w)" : "(count(*) FILTER (WHERE age <= \(seconds)))::int4 AS w\(w)"
        }
        let arrays = windows.indices.map { "array_agg(w\($0)) AS w\($0)" }
        return """
            -- leadscore --pushdown: per contact, its events before its cutoff, aggregated by event type.
            -- $1: the contact ids (text[]); $2: each contact's cutoff in Unix seconds (int8[]), events at or after it do not count.
            WITH cutoffs AS (
              SELECT * FROM unnest($1::text[], $2::int8[]) AS c(contact_id, cutoff)
            ), aged AS (
              SELECT c.contact_id, e.\(event)::text AS event, c.cutoff - floor(extract(epoch FROM e.\(time)))::int8 AS age
              FROM \(TableCatalog.from(table)) AS e JOIN cutoffs AS c ON c.contact_id = e.\(id)::text
              WHERE e.\(event) IS NOT NULL AND e.\(event)::text <> ''
            ), by_type AS (
              SELECT contact_id, event, count(*)::int4 AS n, min(age) AS min_age,
                     bit_or(CASE WHEN age <= 2592000 THEN (1 << ((age - 1) / 86400)::int4) ELSE 0 END) AS days\(windowColumns.map { ",\n         " + $0 }.joined())
              FROM aged WHERE age > 0
              GROUP BY contact_id, event
            )
            SELECT contact_id, array_agg(event) AS events, array_agg(n) AS n, array_agg(min_age) AS min_age, array_agg(days) AS days\(arrays.map { ", " + $0 }.joined())
            FROM by_type GROUP BY contact_id
            """
    }

    package func aggregate(events: SourceFile, contacts: Contacts, rows: [Int32], cutoffs: [Timestamp], windows: [Int64]) throws(InputError) -> EventAggregates {
        guard let table = events.table else {
            throw InputError(file: events.path, line: nil, message: "--pushdown reads events from a database table or query, not a file")
        }
        let settings = try ConnectionSettings.resolve(url: table.connection, environment: environment, name: "the database")
        let sql = try Self.statement(events: events, windows: windows)
        let ids = rows.map { contacts.ids[Int($0)] }
        let seconds = cutoffs.map(\.seconds)
        return try Blocking.run { () async throws(InputError) -> EventAggregates in
            let database = try await DatabaseConnection.open(settings)
            defer { Blocking.detach { await database.close() } }
            try await Self.checkTypes(events: events, table: table, database: database)
            // The aggregate holds a group per contact and event type: with the default 4 MB it spills to disk (a third
            // slower on 50 million events). This session's own setting; the server's stays as it is.
            try await database.execute("SET work_mem TO '256MB'")
            var binds = PostgresBindings()
            binds.append(ids)
            binds.append(seconds)
            var aggregates = EventAggregates(windows: windows)
            var codes: [String: Int32] = [:]
            do {
                let result = try await database.connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: DatabaseConnection.logger)
                for try await row in result {
                    let cells = PostgresRandomAccessRow(row)
                    for k in 0..<cells.count { aggregates.bytes += cells[k].bytes?.readableBytes ?? 0 }
                    let id = try cells[0].decode(String.self)
                    guard let contact = contacts.index(of: id) else { continue }
                    let names = try cells[1].decode([String].self)
                    let n = try cells[2].decode([Int32].self)
                    let ages = try cells[3].decode([Int64].self)
                    let days = try cells[4].decode([Int32].self)
                    let counts = try (0..<windows.count).map { try cells[5 + $0].decode([Int32].self) }
                    for (j, name) in names.enumerated() {
                        let code = codes[name] ?? {
                            let code = Int32(aggregates.eventNames.count)
                            aggregates.eventNames.append(name)
                            codes[name] = code
                            return code
                        }()
                        aggregates.contacts.append(contact)
                        aggregates.types.append(code)
                        aggregates.counts.append(n[j])
                        aggregates.minimumAges.append(ages[j])
                        aggregates.dayMasks.append(UInt32(bitPattern: days[j]))
                        for w in windows.indices { aggregates.windowCounts.append(counts[w][j]) }
                        aggregates.events += Int(n[j])
                    }
                }
            } catch let error as InputError {
                throw error
            } catch {
                throw settings.failure(error)
            }
            return aggregates
        }
    }

    /// The events' time column must be a time type for the database to count ages (text times are parsed by the
    /// readers, which is what the streaming read is for), and a `timestamp` without zone is read as UTC.
    private static func checkTypes(events: SourceFile, table: DatabaseTable, database: DatabaseConnection) async throws(InputError) {
        let columns = try await TableCatalog(database: database).columns(of: table)
        for role in ["contact_id", "timestamp", "event"] where !columns.contains(where: { $0.name == events.column(role) }) {
            throw InputError(file: events.path, line: nil,
                             message: "no column \(Echo.quoted(events.column(role))) (the \(role) column); the columns are " + columns.map { Echo.quoted($0.name) }.joined(separator: ", "))
        }
        let time = columns.first { $0.name == events.column("timestamp") }!
        guard ["timestamptz", "timestamp", "date"].contains(time.type) else {
            throw InputError(file: events.path, line: nil,
                             message: "column \(Echo.quoted(time.name)) is \(time.type), not a time type: --pushdown counts ages in the database, which needs timestamptz (or timestamp); read without --pushdown to parse its text")
        }
        if time.type != "timestamptz", events.format.dates.zone != .utc {
            throw InputError(file: events.path, line: nil,
                             message: "column \(Echo.quoted(time.name)) is \(time.type) without a zone, and the source description gives a time zone: --pushdown reads such times as UTC; read without --pushdown, or store them as timestamptz")
        }
    }
}
