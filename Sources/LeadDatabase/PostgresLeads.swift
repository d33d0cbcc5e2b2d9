import Foundation
package import LeadData
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// One contact read by its id from a source description's contacts and events tables, for `GET /v1/leads/{contact_id}`
/// of `leadscore serve`: its profile row and its events, in one statement and one round trip, on a pool of connections.
///
/// The lead comes back as the JSON a client would `POST /v1/score` for it, so that the server reads it with the same
/// code: `{"contact_id": ..., "created_at": ..., "profile": {...}, "events": [{"timestamp": ..., "event": ...}]}`.
/// Every value is text, written as the source description's readers get it from the database (times as ISO 8601, in
/// UTC for `timestamptz`; NULL as null), so a lead read here is read as `score --source` reads the same row: a
/// number in a numeric profile field is parsed, a category is its text. Profile fields are every column of the contacts
/// table but the id, the creation time and those the description excludes; events are those before the scoring
/// moment, oldest first.
///
/// ``connect(contacts:events:excluded:environment:maximumConnections:)`` checks everything once, over a connection of
/// its own (the pool would retry a refused connection or a wrong password for as long as a request waits): that the
/// database answers, that the tables and every mapped column exist, and that the statement runs. The identifiers come
/// from the description and are quoted; the id is always a bound parameter, never part of the statement.
package final class PostgresLeads: Sendable {
    /// Where the database is; ``ConnectionSettings/redacted`` names it in messages.
    package let settings: ConnectionSettings
    /// How messages name the contacts: `table contacts`, `contacts query`.
    package let contactsName: String
    /// What the check at start found worth saying but not stopping for: a table without an index on its id column,
    /// which every request then reads whole.
    package let notes: [String]
    private let client: PostgresClient
    private let sql: String
    /// The profile columns, in the order of the table: the keys of the profile object.
    private let profileKeys: [String]
    /// Whether the statement takes the scoring moment (`$3`) to leave out later events: only when the events'
    /// time column is a time, not text.
    private let filtersEvents: Bool
    /// The pool's most connections: how many ended ones a request may be handed before an open one.
    private let maximumConnections: Int

    /// How long a request may wait for the database (a connection from the pool, then the answer) before it is
    /// answered as unavailable.
    package let timeout: Duration

    /// Why a lead could not be read.
    package enum Failure: Error, Sendable, Equatable {
        /// The database failed, went away or did not answer in time: one line naming it without its password.
        case unavailable(InputError)
        /// More than one row of the contacts has this id (the readers of files refuse a duplicate contact too).
        case ambiguous(rows: Int)
    }

    private init(settings: ConnectionSettings, contactsName: String, client: PostgresClient, sql: String, profileKeys: [String],
                 filtersEvents: Bool, maximumConnections: Int, timeout: Duration, notes: [String]) {
        self.settings = settings
        self.notes = notes
        self.timeout = timeout
        self.contactsName = contactsName
        self.client = client
        self.sql = sql
        self.profileKeys = profileKeys
        self.filtersEvents = filtersEvents
        self.maximumConnections = maximumConnections
    }

    /// Checks the database and the tables of `contacts` and `events` (each must be a ``SourceFile/table``), and
    /// prepares the pool (which connects once ``run()`` runs; at most `maximumConnections`, default two per core);
    /// a request waits at most `timeout` for it. Every failure is one line that names the database
    /// without its password: refused, authentication, a missing database, table or column.
    package static func connect(contacts: SourceFile, events: SourceFile, excluded: [String],
                                environment: [String: String] = ProcessInfo.processInfo.environment,
                                maximumConnections: Int? = nil, timeout: Duration = .seconds(5)) async throws(InputError) -> PostgresLeads {
        guard let contactsTable = contacts.table, let eventsTable = events.table else {
            throw InputError(file: contacts.table == nil ? contacts.path : events.path, line: nil,
                             message: "a file; reading one lead by its id needs the contacts and the events in a database (\"table\" or \"query\" in the source description)")
        }
        let settings = try ConnectionSettings.resolve(url: contactsTable.connection ?? eventsTable.connection, environment: environment,
                                                      name: "the database")
        let database = try await DatabaseConnection.open(settings)
        let prepared: (sql: String, keys: [String], filters: Bool)
        var notes: [String] = []
        do throws(InputError) {
            let catalog = TableCatalog(database: database)
            let contactColumns = try await catalog.columns(of: contactsTable)
            let eventColumns = try await catalog.columns(of: eventsTable)
            prepared = try statement(contacts: contacts, contactColumns: contactColumns, events: events, eventColumns: eventColumns,
                                     excluded: excluded, settings: settings)
            // Planned and run once for no id: a type that does not compare (a text id in one table, a number in the
            // other) or a query that no longer runs is found now, not by the first request.
            do throws(InputError) {
                _ = try await database.rows(prepared.sql, binds(id: nil, keys: prepared.keys, asOf: prepared.filters ? Timestamp(seconds: 0) : nil))
            } catch {
                throw settings.failure("the statement that reads one lead does not run: \(error.message)")
            }
            for (file, table) in [(contacts, contactsTable), (events, eventsTable)] {
                if let note = try await missingIndex(file, table, on: database) { notes.append(note) }
            }
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        let configuration = settings.clientConfiguration(maximumConnections: maximumConnections ?? 2 * System.coreCount)
        let client = PostgresClient(configuration: configuration)
        return PostgresLeads(settings: settings, contactsName: contacts.path, client: client, sql: prepared.sql, profileKeys: prepared.keys,
                             filtersEvents: prepared.filters, maximumConnections: configuration.options.maximumConnections, timeout: timeout, notes: notes)
    }

    /// Keeps the pool: connects, reconnects after a lost connection, closes idle ones. Runs until cancelled or
    /// until a graceful shutdown (it is a `ServiceLifecycle` service's work).
    package func run() async {
        await client.run()
    }

    /// The lead with this id as the JSON of a score request, with the events before `asOf`; nil when no contact has
    /// the id (nor could have: an id that is not a value of the id column's type, such as `abc` for a number).
    package func lead(id: String, asOf: Timestamp) async throws(Failure) -> [UInt8]? {
        let query = PostgresQuery(unsafeSQL: sql, binds: Self.binds(id: id, keys: profileKeys, asOf: filtersEvents ? asOf : nil))
        let client = client
        let attempts = maximumConnections + 1
        let result = await Self.withTimeout(timeout) { () async throws -> [[UInt8]?] in
            try await Self.rows(of: query, on: client, attempts: attempts)
        }
        switch result {
        case nil:
            throw .unavailable(settings.failure("no answer within \(Self.seconds(timeout)) seconds"))
        case .failure(let error as PSQLError)?:
            // An id that is not a value of the column's type (class 22, data exception: `abc` for an integer id, a NUL
            // byte) names no contact.
            if let state = error.serverInfo?[.sqlState], state.hasPrefix("22") { return nil }
            throw .unavailable(settings.failure(error))
        case .failure(let error)?:
            throw .unavailable(settings.failure(error))
        case .success(let rows)?:
            guard rows.count <= 1 else { throw .ambiguous(rows: rows.count) }
            guard let first = rows.first else { return nil }
            guard let json = first else { throw .unavailable(settings.failure("the statement that reads one lead gave no value")) }
            return json
        }
    }

    /// The rows of `query`, each its first value, on a connection of the pool that is open when the statement is
    /// written to it, asked again on another connection when the one it was asked on ended under it.
    ///
    /// The pool learns that a connection has ended (the server ended it, the network dropped) only when the
    /// connection's event loop has processed the end, so it may still lease an ended connection. The statement is
    /// therefore written from that event loop, after checking there that the connection is open: postgres-nio writes
    /// a statement without a promise, so one written from another thread just after the channel's handlers were
    /// removed would be dropped, its answer never given (the request waited out its whole timeout, and the lease was
    /// never returned). Even so, the server's last words on a connection it ended (`terminating connection due to
    /// administrator command`, after a restart or a `pg_terminate_backend`) may still be on their way when the
    /// statement is written: the connection looked open, and the statement fails with them. The statement only reads,
    /// so a connection that ended, before or under it, is not a failure of the request: once the pool has removed it
    /// (its close future), the statement is asked on another connection, at most `attempts` times in all (one more
    /// than the pool's connections, so every pooled connection of a restarted server can be found ended). Any other
    /// failure, and the request's timeout around all of this, end the request as before.
    private static func rows(of query: PostgresQuery, on client: PostgresClient, attempts: Int) async throws -> [[UInt8]?] {
        var attempt = 1
        while true {
            // A request that timed out has cancelled this work: no statement is asked again for it.
            try Task.checkCancellation()
            do {
                return try await client.withConnection { connection in
                    let sent = connection.eventLoop.flatSubmit { () -> EventLoopFuture<[[UInt8]?]> in
                        guard !connection.isClosed else { return connection.eventLoop.makeFailedFuture(Ended(cause: PostgresError.connectionClosed)) }
                        return connection.query(query, logger: DatabaseConnection.logger).map { result in
                            result.rows.map { row in row.first?.bytes.map { Array($0.readableBytesView) } }
                        }
                    }
                    do {
                        return try await sent.get()
                    } catch {
                        let ended = (error as? Ended) ?? (Self.endsTheConnection(error) ? Ended(cause: error) : nil)
                        guard let ended else { throw error }
                        // The pool removes the connection when its close completes (already under way).
                        try? await connection.closeFuture.get()
                        throw ended
                    }
                }
            } catch let ended as Ended {
                guard attempt < attempts else { throw ended.cause }
                attempt += 1
            }
        }
    }

    /// Whether `error` says the connection it came on has ended: the server ended it (class 57P: an administrator's
    /// command, a crash, a server shutting down) or the connection closed.
    private static func endsTheConnection(_ error: any Error) -> Bool {
        if let error = error as? PostgresError, case .connectionClosed = error { return true }
        guard let error = error as? PSQLError else { return false }
        if let state = error.serverInfo?[.sqlState] { return state.hasPrefix("57P") }
        return [.serverClosedConnection, .uncleanShutdown, .clientClosedConnection].contains(error.code)
    }

    /// A leased connection that had ended, before the statement was written to it or under it; `cause` is what the
    /// request fails with when no attempt is left.
    private struct Ended: Error {
        var cause: any Error
    }

    /// A note when `table` (a table, not a view or query) has no index whose first column is its `contact_id` column.
    private static func missingIndex(_ file: SourceFile, _ table: DatabaseTable, on database: DatabaseConnection) async throws(InputError) -> String? {
        guard case .table = table.relation else { return nil }
        let relation = TableCatalog.from(table)
        var binds = PostgresBindings()
        binds.append(relation)
        binds.append(file.column("contact_id"))
        let rows = try await database.rows("""
            SELECT (c.relkind <> 'r' AND c.relkind <> 'p' OR EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid \
            AND a.attnum = i.indkey[0] WHERE i.indrelid = c.oid AND a.attname = $2))::text FROM pg_class c WHERE c.oid = to_regclass($1)
            """, binds)
        guard rows.first?.first == "false" else { return nil }
        return "\(database.settings.redacted): \(file.path) has no index on \(Echo.quoted(file.column("contact_id"))): every GET /v1/leads reads the whole table (CREATE INDEX ON \(relation) (\(DatabaseConnection.quoted(file.column("contact_id")))))"
    }

    /// `5`, `0.5`: a duration in seconds as a person writes it.
    private static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        return attoseconds == 0 ? String(whole) : String(Double(whole) + Double(attoseconds) / 1e18)
    }

    // MARK: The statement

    /// `SELECT json_build_object(...)::text FROM contacts AS c WHERE c.id = $1 LIMIT 2`, with the events in a
    /// subquery: `$1` the id, `$2` the profile keys, `$3` the scoring moment (when `filters`).
    static func statement(contacts: SourceFile, contactColumns: [TableCatalog.Column], events: SourceFile, eventColumns: [TableCatalog.Column],
                          excluded: [String], settings: ConnectionSettings) throws(InputError) -> (sql: String, keys: [String], filters: Bool) {
        func column(_ role: String, of file: SourceFile, in columns: [TableCatalog.Column]) throws(InputError) -> TableCatalog.Column {
            let name = file.column(role)
            if let found = columns.first(where: { $0.name == name }) { return found }
            let mapped = name == role ? "" : " (the \(role) column, as the source description names it)"
            let list = columns.prefix(30).map(\.name).joined(separator: ", ") + (columns.count > 30 ? ", ..." : "")
            throw settings.failure("\(file.path) has no column \(Echo.quoted(name))\(mapped); its columns: \(list)")
        }
        let id = try column("contact_id", of: contacts, in: contactColumns)
        let created = try column("created_at", of: contacts, in: contactColumns)
        let eventID = try column("contact_id", of: events, in: eventColumns)
        let time = try column("timestamp", of: events, in: eventColumns)
        let name = try column("event", of: events, in: eventColumns)
        let left = Set(excluded + [id.name, created.name])
        let profile = contactColumns.filter { !left.contains($0.name) }

        let q = DatabaseConnection.quoted
        let eventTime = "e." + q(time.name)
        let filter: String
        switch time.type {
        case "timestamptz": filter = " AND \(eventTime) < $3"
        // A time without a zone is in the description's zone, at most a day from UTC: the scorer cuts exactly.
        case "timestamp", "date": filter = " AND \(eventTime) < ($3 AT TIME ZONE 'UTC') + interval '1 day'"
        default: filter = ""
        }
        let values = profile.map { $0.textExpression(in: "c") }.joined(separator: ", ")
        let sql = """
            SELECT json_build_object('contact_id', c.\(q(id.name))::text, 'created_at', \(created.textExpression(in: "c")), \
            'profile', json_object($2::text[], ARRAY[\(values)]::text[]), \
            'events', COALESCE((SELECT json_agg(json_build_object('timestamp', \(time.textExpression(in: "e")), 'event', e.\(q(name.name))::text) \
            ORDER BY \(eventTime), \(name.orderExpression(in: "e"))) \
            FROM \(relation(events.table!)) AS e WHERE e.\(q(eventID.name)) = c.\(q(id.name))\(filter)), '[]'::json))::text \
            FROM \(relation(contacts.table!)) AS c WHERE c.\(q(id.name)) = $1 LIMIT 2
            """
        return (sql, profile.map(\.name), !filter.isEmpty)
    }

    /// A table by its quoted name, or a query in parentheses.
    private static func relation(_ table: DatabaseTable) -> String {
        switch table.relation {
        case .table(let schema, let name): (schema.map { DatabaseConnection.quoted($0) + "." } ?? "") + DatabaseConnection.quoted(name)
        case .query(let sql): "(\(sql))"
        }
    }

    /// The id as text of no declared type, so that the server reads it as the id column's type (as it would a literal):
    /// a text id compares as text, and `42` finds an integer id.
    private struct UntypedText: PostgresNonThrowingEncodable, PostgresDynamicTypeEncodable {
        var text: String
        static var psqlType: PostgresDataType { .null }
        static var psqlFormat: PostgresFormat { .text }
        func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
            byteBuffer.writeString(text)
        }
    }

    private static func binds(id: String?, keys: [String], asOf: Timestamp?) -> PostgresBindings {
        var binds = PostgresBindings()
        if let id { binds.append(UntypedText(text: id), context: .default) } else { binds.appendNull() }
        binds.append(keys, context: .default)
        if let asOf { binds.append(Date(timeIntervalSince1970: TimeInterval(asOf.seconds)), context: .default) }
        return binds
    }

    /// `work`'s result, or nil when it takes longer than `limit` (it is then cancelled and left to finish on its own:
    /// a query in flight cannot be taken back, and the request must not wait for it). The clock is a timer of an event
    /// loop, cancelled when the work ends: a sleeping task per request cost a timer thread's wake-up each.
    private static func withTimeout<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> T) async -> Result<T, any Error>? {
        let race = Race<T>()
        let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? MultiThreadedEventLoopGroup.singleton.any()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>?, Never>) in
            let timer = loop.scheduleTask(in: .nanoseconds(Int64(limit.components.seconds) * 1_000_000_000 + limit.components.attoseconds / 1_000_000_000)) {
                race.finish(with: nil)
            }
            let task = Task {
                let result: Result<T, any Error>
                do { result = .success(try await work()) } catch { result = .failure(error) }
                timer.cancel()
                race.finish(with: result)
            }
            race.start(continuation, work: task)
        }
    }

    /// The work and its timer: whichever ends first resumes the waiting request; a timer that wins cancels the work.
    private final class Race<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Result<T, any Error>?, Never>?
        private var work: Task<Void, Never>?
        /// The first result, once there is one (nil inside for the timer's).
        private var first: Result<T, any Error>??

        func start(_ continuation: CheckedContinuation<Result<T, any Error>?, Never>, work: Task<Void, Never>) {
            let done: Result<T, any Error>?? = lock.withLock {
                if let first { return first }
                self.continuation = continuation
                self.work = work
                return nil
            }
            if let done {
                if done == nil { work.cancel() }
                continuation.resume(returning: done)
            }
        }

        func finish(with result: Result<T, any Error>?) {
            let (continuation, work) = lock.withLock { () -> (CheckedContinuation<Result<T, any Error>?, Never>?, Task<Void, Never>?) in
                guard first == nil else { return (nil, nil) }
                first = .some(result)
                defer { self.continuation = nil; self.work = nil }
                return (self.continuation, self.work)
            }
            if result == nil { work?.cancel() }
            continuation?.resume(returning: result)
        }
    }
}
