import Foundation
package import LeadData
import PostgresNIO

/// Writes rows into a table by key, all or nothing: in one transaction the table is created when missing, the rows are
/// streamed with `COPY ... FROM STDIN` into a temporary staging table (dropped at the commit), and
/// `INSERT ... SELECT ... ON CONFLICT (key) DO UPDATE` moves them into the table, replacing the rows of the same key.
/// A failure anywhere before the commit (the connection lost, a row the table refuses, the caller giving up) leaves
/// the table as it was: the server rolls back.
///
/// Made for synchronous callers (the command line): ``send(_:)`` blocks while the server is behind, so memory stays
/// bounded whatever the number of rows. Table and column names are always quoted; values go through COPY or are bound,
/// never spliced into SQL.
package final class TableUpsert: @unchecked Sendable {
    /// A column of the table: its name, SQL type, and whether it may be NULL.
    package struct Column: Sendable {
        package var name: String
        package var type: String
        package var nullable: Bool

        package init(_ name: String, _ type: String, nullable: Bool = false) {
            self.name = name
            self.type = type
            self.nullable = nullable
        }
    }

    /// A value that is the same in every row, bound once to the `INSERT`.
    package enum Constant: Sendable {
        case text(String)
        case time(Timestamp)
    }

    package let settings: ConnectionSettings
    package let table: DatabaseTable
    /// The key first, then the other columns each row of ``CopyRows`` gives, in order.
    let staged: [Column]
    let constants: [(column: Column, value: Constant)]
    /// The connection of the transaction, from the first ``send(_:)`` on.
    private var database: DatabaseConnection?
    private let feed = CopyFeed()
    private var copy: Task<Void, any Error>?
    private var finished = false

    /// The temporary table the rows are copied into; `pg_temp` comes first in the search path, so the unqualified name
    /// that COPY is given finds it.
    static let staging = "leadscore_staging"

    private init(settings: ConnectionSettings, table: DatabaseTable, staged: [Column], constants: [(column: Column, value: Constant)]) {
        self.settings = settings
        self.table = table
        self.staged = staged
        self.constants = constants
    }

    /// Checks what can be checked before any work, so that a wrong password or table fails at once: an existing table
    /// has every column and a unique key on `key`; a missing one's schema exists. Nothing is written, and the
    /// connection is closed again: the rows may be long in coming (all the events are read first), and a connection
    /// idle that long may be dropped on the way (a firewall, a pooler).
    package static func open(_ settings: ConnectionSettings, table: DatabaseTable, key: Column, columns: [Column],
                             constants: [(column: Column, value: Constant)]) throws(InputError) -> TableUpsert {
        let staged = [key] + columns
        try Blocking.run { () async throws(InputError) in
            let database = try await DatabaseConnection.open(settings)
            do throws(InputError) {
                try await check(table, columns: staged + constants.map(\.column), key: key.name, on: database)
            } catch {
                await database.close()
                throw error
            }
            await database.close()
        }
        return TableUpsert(settings: settings, table: table, staged: staged, constants: constants)
    }

    /// The rows built so far go to the server (the first call starts the transaction and the COPY); `rows` keeps its
    /// count and capacity. Blocks while the server is behind.
    package func send(_ rows: inout CopyRows) throws(InputError) {
        if copy == nil { try begin() }
        guard !rows.bytes.isEmpty else { return }
        if !feed.send(rows.bytes) {
            // The COPY stopped: its error says why.
            try finishCopy()
            throw failure("the COPY ended early")
        }
        rows.removeBytes()
    }

    /// Sends the last rows, moves them into the table and commits. The table holds the rows from here on.
    package func commit(_ rows: inout CopyRows) throws(InputError) {
        try send(&rows)
        feed.end()
        try finishCopy()
        let insert = insertStatement()
        var binds = PostgresBindings()
        for constant in constants {
            switch constant.value {
            case .text(let text): binds.append(text)
            case .time(let time): binds.append(Date(timeIntervalSince1970: TimeInterval(time.seconds)))
            }
        }
        guard let database else { preconditionFailure("send(_:) has begun the transaction") }
        let bound = binds
        try Blocking.run { () async throws(InputError) in
            do throws(InputError) { try await database.execute(insert, bound) } catch {
                throw self.failure(error.message)
            }
            do throws(InputError) { try await database.execute("COMMIT") } catch {
                throw self.settings.failure("writing into \(self.table.shortName): \(error.message) while committing, so whether the rows were written is unknown")
            }
        }
        finished = true
        _ = try? Blocking.run { await database.close() }
    }

    /// Gives up: the transaction is rolled back (the connection closed), and the table stays as it was. Does nothing
    /// after ``commit(_:)``.
    package func abandon() {
        guard !finished else { return }
        finished = true
        feed.abandon()
        let database = self.database, copy = self.copy
        _ = try? Blocking.run {
            await database?.close()
            _ = await copy?.result
        }
    }

    deinit {
        abandon()
    }

    /// Connects; `BEGIN`, the table when missing (checked again: another session may have made it since ``open``), the
    /// staging table, and the COPY into it, which then reads from ``feed``.
    private func begin() throws(InputError) {
        let settings = self.settings, table = self.table, staged = self.staged, constants = self.constants
        let target = TableCatalog.from(table)
        let create = "CREATE TABLE IF NOT EXISTS \(target) ("
            + (staged + constants.map(\.column)).enumerated().map { i, column in
                DatabaseConnection.quoted(column.name) + " " + column.type + (i == 0 ? " PRIMARY KEY" : column.nullable ? "" : " NOT NULL")
            }.joined(separator: ", ") + ")"
        let staging = "CREATE TEMPORARY TABLE \(DatabaseConnection.quoted(Self.staging)) ("
            + staged.map { DatabaseConnection.quoted($0.name) + " " + $0.type }.joined(separator: ", ") + ") ON COMMIT DROP"
        let database = try Blocking.run { () async throws(InputError) -> DatabaseConnection in
            let database: DatabaseConnection
            do throws(InputError) { database = try await DatabaseConnection.open(settings) } catch {
                throw self.failure(error.message)
            }
            do throws(InputError) {
                try await database.execute("BEGIN")
                try await database.execute(create)
                try await Self.check(table, columns: staged + constants.map(\.column), key: staged[0].name, on: database)
                try await database.execute(staging)
            } catch {
                await database.close()
                throw self.failure(error.message)
            }
            return database
        }
        self.database = database
        let feed = self.feed
        copy = Blocking.task {
            do {
                try await database.connection.copyFrom(table: Self.staging, columns: staged.map(\.name), format: .text(.init()),
                                                       logger: DatabaseConnection.logger) { writer in
                    while let chunk = try await feed.next() {
                        try await writer.write(ByteBuffer(bytes: chunk))
                    }
                }
            } catch {
                feed.stop()
                throw error
            }
        }
    }

    /// Waits for the COPY to end; its failure in one line.
    private func finishCopy() throws(InputError) {
        guard let copy else { return }
        let settings = self.settings
        let outcome = try Blocking.run { await copy.result }
        if case .failure(let error) = outcome {
            throw failure(ConnectionSettings.describe(error, connecting: false, settings: settings))
        }
    }

    /// `INSERT INTO target (...) SELECT ..., $1, ... FROM staging ON CONFLICT (key) DO UPDATE SET ...`.
    private func insertStatement() -> String {
        let all = (staged + constants.map(\.column)).map { DatabaseConnection.quoted($0.name) }
        let values = staged.map { DatabaseConnection.quoted($0.name) }
            + constants.enumerated().map { i, constant in "CAST($\(i + 1) AS \(constant.column.type))" }
        let updates = all.dropFirst().map { "\($0) = EXCLUDED.\($0)" }
        return "INSERT INTO \(TableCatalog.from(table)) (\(all.joined(separator: ", "))) SELECT \(values.joined(separator: ", ")) "
            + "FROM pg_temp.\(DatabaseConnection.quoted(Self.staging)) ON CONFLICT (\(all[0])) DO UPDATE SET \(updates.joined(separator: ", "))"
    }

    /// A failure before the commit: nothing was written.
    private func failure(_ message: String) -> InputError {
        settings.failure("writing into \(table.shortName): \(message); the table is as it was")
    }

    /// An existing table has `columns` and a unique key on `key` alone; a missing one's schema exists.
    private static func check(_ table: DatabaseTable, columns: [Column], key: String, on database: DatabaseConnection) async throws(InputError) {
        let relation = TableCatalog.from(table)
        var binds = PostgresBindings()
        binds.append(relation)
        let exists = try await database.rows("SELECT (to_regclass($1) IS NOT NULL)::text", binds)
        guard exists.first?.first == "true" else {
            if case .table(let schema?, _) = table.relation {
                var binds = PostgresBindings()
                binds.append(DatabaseConnection.quoted(schema))
                let found = try await database.rows("SELECT (to_regnamespace($1) IS NOT NULL)::text", binds)
                if found.first?.first != "true" {
                    throw database.settings.failure("cannot create the table \(table.shortName): the schema \(Echo.quoted(schema)) does not exist")
                }
            }
            return
        }
        let present = Set(try await TableCatalog(database: database).columns(of: table).map(\.name))
        let missing = columns.map(\.name).filter { !present.contains($0) }
        if !missing.isEmpty {
            throw database.settings.failure("the table \(table.shortName) lacks the column\(missing.count == 1 ? "" : "s") "
                + missing.joined(separator: ", ") + " (it has " + present.sorted().joined(separator: ", ") + ")")
        }
        binds.append(key)
        let unique = try await database.rows("""
            SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indnkeyatts = 1 AND i.indpred IS NULL AND a.attname = $2)::text
            """, binds)
        guard unique.first?.first == "true" else {
            throw database.settings.failure("the table \(table.shortName) has no primary key or unique index on \(key) alone, which replacing rows by \(key) needs")
        }
    }
}

/// Chunks of COPY data handed from a synchronous producer to the async task that sends them: at most `depth` wait, so
/// the producer blocks while the server is behind. The consumer stopping (the COPY failed) or the producer giving up
/// (``abandon()``) ends the exchange on both sides.
final class CopyFeed: @unchecked Sendable {
    private let lock = NSLock()
    private var chunks: [[UInt8]] = []
    private var waiting: CheckedContinuation<[UInt8]?, any Error>?
    private var ended = false
    private var abandoned = false
    private var stopped = false
    private let space: DispatchSemaphore

    init(depth: Int = 4) {
        space = DispatchSemaphore(value: depth)
    }

    /// Hands `chunk` on, waiting for room; false when the consumer has stopped.
    func send(_ chunk: [UInt8]) -> Bool {
        space.wait()
        lock.lock()
        if stopped {
            lock.unlock()
            space.signal()
            return false
        }
        if let waiting {
            self.waiting = nil
            lock.unlock()
            space.signal()
            waiting.resume(returning: chunk)
        } else {
            chunks.append(chunk)
            lock.unlock()
        }
        return true
    }

    /// No more chunks: the consumer's ``next()`` returns nil once it has taken those waiting.
    func end() {
        lock.lock()
        ended = true
        let waiting = chunks.isEmpty ? self.waiting : nil
        if waiting != nil { self.waiting = nil }
        lock.unlock()
        waiting?.resume(returning: nil)
    }

    /// The producer gives up: the consumer's ``next()`` throws, so the COPY fails rather than ends.
    func abandon() {
        lock.lock()
        abandoned = true
        let waiting = self.waiting
        self.waiting = nil
        lock.unlock()
        waiting?.resume(throwing: CancellationError())
    }

    /// The consumer has stopped: a producer waiting for room, or sending later, is told so.
    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        space.signal()
    }

    /// The next chunk; nil at the end.
    func next() async throws -> [UInt8]? {
        try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            if abandoned {
                lock.unlock()
                continuation.resume(throwing: CancellationError())
            } else if !chunks.isEmpty {
                let chunk = chunks.removeFirst()
                lock.unlock()
                space.signal()
                continuation.resume(returning: chunk)
            } else if ended {
                lock.unlock()
                continuation.resume(returning: nil)
            } else {
                waiting = continuation
                lock.unlock()
            }
        }
    }
}
