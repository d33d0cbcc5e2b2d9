import Foundation
package import LeadData
import NIOCore
import PostgresNIO

/// Reads database tables and queries for the CSV readers: the rows of a `SELECT` are written as CSV into a pipe, which
/// a ``CSVReader`` reads as it reads a file, so the mapping of columns and values, the checks, the messages and the
/// bounded memory are those of files. The pipe holds about a megabyte; when the reader falls behind, the query waits
/// (postgres-nio stops reading from the socket), so memory stays flat whatever the table's size.
///
/// Values are read as text; times as ISO 8601 (`2026-03-01T14:05:00Z` for `timestamptz`, without the `Z` for
/// `timestamp`, so that the source description's time zone applies), which the CSV readers parse fastest.
package struct PostgresTables: TableStreamer {
    package let environment: [String: String]

    package init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        // A reader that stops early closes the pipe: the producer's next write must fail, not kill the process.
        signal(SIGPIPE, SIG_IGN)
    }

    package func stream(_ table: DatabaseTable, columns wanted: [String]?, orderBy: [String]) throws(InputError) -> CSVStream {
        let settings = try ConnectionSettings.resolve(url: table.connection, environment: environment, name: "the database")
        let (database, select) = try Blocking.run { () async throws(InputError) -> (DatabaseConnection, Select) in
            let database = try await DatabaseConnection.open(settings)
            do throws(InputError) {
                let columns = try await TableCatalog(database: database).columns(of: table)
                return (database, Self.select(table: table, columns: columns, wanted: wanted, orderBy: orderBy))
            } catch {
                await database.close()
                throw error
            }
        }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            Blocking.detach { await database.close() }
            throw settings.failure("cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], 1031 /* F_SETPIPE_SZ */, 1 << 20)
        let writeEnd = ends[1]
        let name = Self.name(table)
        let producer = Producer()
        let stream = CSVStream(descriptor: ends[0], name: name, onAbandon: { producer.cancel() })
        producer.task = Task.detached {
            var failure: InputError?
            do {
                try await Self.copy(select, from: database, into: writeEnd)
            } catch let error as InputError {
                failure = error
            } catch {
                failure = settings.failure(error)
            }
            close(writeEnd)
            await database.close()
            stream.producerFinished(failure: producer.wasCancelled ? nil : failure.map { InputError(file: name, line: nil, message: Self.midRead($0)) })
        }
        return stream
    }

    /// How messages name a table read from the database: `table crm.contacts`, or `events query`.
    private static func name(_ table: DatabaseTable) -> String {
        if case .table = table.relation { return "table " + table.shortName }
        return "query"
    }

    /// A failure after rows began to arrive: the connection lost part way, said so.
    private static func midRead(_ error: InputError) -> String {
        "\(error.file): \(error.message); the rows read are not used"
    }

    /// `SELECT` of the wanted columns (all when nil or when one is missing, so that the reader names the missing one
    /// among those that exist), as text, ordered by `orderBy` where those columns exist.
    static func select(table: DatabaseTable, columns: [TableCatalog.Column], wanted: [String]?, orderBy: [String]) -> Select {
        let byName = Dictionary(columns.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var chosen = columns
        if let wanted, wanted.allSatisfy({ byName[$0] != nil }) { chosen = wanted.map { byName[$0]! } }
        let list = chosen.map { column in column.textExpression + " AS " + DatabaseConnection.quoted(column.name) }.joined(separator: ", ")
        let order = orderBy.compactMap { byName[$0] }.map(\.orderExpression)
        return Select(sql: "SELECT \(list) FROM \(TableCatalog.from(table))" + (order.isEmpty ? "" : " ORDER BY " + order.joined(separator: ", ")),
                      names: chosen.map(\.name))
    }

    /// A statement and the names of its columns (the CSV header, also when no row comes).
    struct Select: Sendable {
        var sql: String
        var names: [String]
    }

    /// Runs `select` and writes its rows as CSV (a header of the column names first) into `descriptor`.
    private static func copy(_ select: Select, from database: DatabaseConnection, into descriptor: Int32) async throws {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20 + 65_536)
        out.append(contentsOf: select.names.map { CSVText.field($0) }.joined(separator: ",").utf8)
        out.append(0x0A)
        let rows = try await database.connection.query(PostgresQuery(unsafeSQL: select.sql), logger: DatabaseConnection.logger)
        for try await row in rows {
            var first = true
            for cell in row {
                if !first { out.append(0x2C) }
                first = false
                if let bytes = cell.bytes { bytes.withUnsafeReadableBytes { CSVText.append($0, to: &out) } }
            }
            out.append(0x0A)
            if out.count >= 1 << 20 {
                try write(out, to: descriptor)
                out.removeAll(keepingCapacity: true)
            }
        }
        try write(out, to: descriptor)
    }

    private static func write(_ bytes: [UInt8], to descriptor: Int32) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CancellationError()  // the reader closed the pipe: it stopped early
                }
                offset += n
            }
        }
    }

    /// The producer's task, and whether the reader stopped it (then its failure is not the reader's concern).
    private final class Producer: @unchecked Sendable {
        private let lock = NSLock()
        var task: Task<Void, Never>? {
            get { lock.withLock { _task } }
            set { lock.withLock { _task = newValue } }
        }
        private var _task: Task<Void, Never>?
        private var cancelled = false
        var wasCancelled: Bool { lock.withLock { cancelled } }
        func cancel() {
            let task = lock.withLock { cancelled = true; return _task }
            task?.cancel()
        }
    }
}

/// Writing values as CSV fields: quoted only when they hold a comma, a quote or a line end.
enum CSVText {
    static func append(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        if bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            out.append(0x22)
            for byte in bytes {
                if byte == 0x22 { out.append(0x22) }
                out.append(byte)
            }
            out.append(0x22)
        } else {
            out.append(contentsOf: bytes)
        }
    }

    static func field(_ text: String) -> String {
        var out: [UInt8] = []
        append(Array(text.utf8), to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
