import Foundation
package import LeadData
import NIOCore
import PostgresNIO

/// Reads database tables and queries for the CSV readers: the rows of a `SELECT` are written as CSV into a pipe, which
/// a ``CSVReader`` reads as it reads a file, so the mapping of columns and values, the checks, the messages and the
/// bounded memory are those of files. The pipe holds about a megabyte; when the reader falls behind, the query waits
/// (postgres-nio stops reading from the socket), so memory stays flat whatever the table's size.
///
/// Values are read as text, times as ISO 8601 without a pattern to guess: in a chunked read, written here from the
/// stored value (`2026-03-01T14:05:00Z` for `timestamptz`, without the `Z` for `timestamp`, so that the source
/// description's time zone applies); row by row, as the server writes them in a UTC session (`2026-03-01
/// 14:05:00+00`).
package struct PostgresTables: TableStreamer {
    package let environment: [String: String]

    package init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        // A reader that stops early closes the pipe: the producer's next write must fail, not kill the process.
        signal(SIGPIPE, SIG_IGN)
    }

    package func stream(_ table: DatabaseTable, name: String, columns wanted: [String]?, orderBy: [String]) throws(InputError) -> CSVStream {
        let settings = try ConnectionSettings.resolve(url: table.connection, environment: environment, name: "the database")
        let (database, select) = try Blocking.run { () async throws(InputError) -> (DatabaseConnection, Select) in
            let database = try await DatabaseConnection.open(settings)
            do throws(InputError) {
                let catalog = TableCatalog(database: database)
                let columns = try await catalog.columns(of: table)
                let chunked = orderBy.isEmpty ? try await catalog.isPlainTable(table) : false
                return (database, Self.select(table: table, columns: columns, wanted: wanted, orderBy: orderBy, chunked: chunked))
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
        let producer = Producer()
        let stream = CSVStream(descriptor: ends[0], name: name, onAbandon: { producer.cancel() })
        producer.task = Blocking.task {
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

    /// A failure after rows began to arrive: the connection lost part way, said so.
    private static func midRead(_ error: InputError) -> String {
        "\(error.file): \(error.message); the rows read are not used"
    }

    /// `SELECT` of the wanted columns (all when nil or when one is missing, so that the reader names the missing one
    /// among those that exist), as text, ordered by `orderBy` where those columns exist.
    ///
    /// `chunked` (a plain table read in no particular order, such as the events): the rows come in runs of
    /// ``chunkPages`` pages of the table, each run as one row of arrays, one array per column, in the table's own
    /// order. postgres-nio spends about 1.5 µs on each row it receives, which made reading 50 million events one row
    /// at a time three times slower than the server's side of it; a run of about 7,000 events is one row instead.
    static func select(table: DatabaseTable, columns: [TableCatalog.Column], wanted: [String]?, orderBy: [String], chunked: Bool = false) -> Select {
        let byName = Dictionary(columns.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var chosen = columns
        if let wanted, wanted.allSatisfy({ byName[$0] != nil }) { chosen = wanted.map { byName[$0]! } }
        let from = TableCatalog.from(table)
        if chunked {
            let arrays = chosen.map { "array_agg(\($0.chunkExpression))" }.joined(separator: ", ")
            // The table's name is bound ($1), as every value is; its pages are counted when the statement starts.
            let pages = "(pg_relation_size($1::regclass) / current_setting('block_size')::int8)::int8"
            let sql = """
                SELECT chunk.* FROM generate_series(0, \(pages), \(chunkPages)) AS page,
                LATERAL (SELECT \(arrays) FROM \(from) WHERE ctid >= format('(%s,0)', page)::tid AND ctid < format('(%s,0)', page + \(chunkPages))::tid) AS chunk
                """
            var binds = PostgresBindings()
            binds.append(from)
            return Select(sql: sql, names: chosen.map(\.name), binds: binds, chunked: true)
        }
        let list = chosen.map { column in column.textExpression + " AS " + DatabaseConnection.quoted(column.name) }.joined(separator: ", ")
        let order = orderBy.compactMap { byName[$0] }.map(\.orderExpression)
        return Select(sql: "SELECT \(list) FROM \(from)" + (order.isEmpty ? "" : " ORDER BY " + order.joined(separator: ", ")),
                      names: chosen.map(\.name))
    }

    /// Pages of the table per run of a chunked read (8 KiB each: about 7,000 events of three short columns).
    static let chunkPages = 64

    /// A statement and the names of its columns (the CSV header, also when no row comes).
    struct Select: Sendable {
        var sql: String
        var names: [String]
        var binds = PostgresBindings()
        /// Each row holds one array per column (``select(table:columns:wanted:orderBy:chunked:)``).
        var chunked = false
    }

    /// Runs `select` and writes its rows as CSV (a header of the column names first) into `descriptor`.
    ///
    /// Rows are handed over on the connection's event loop, one call each (postgres-nio's row callback), which costs
    /// a third of iterating its async sequence row by row. The write into the pipe blocks that loop when the reader
    /// falls behind, and the loop then stops reading the socket: the server waits, and memory stays flat. The
    /// connection is this stream's own, so nothing else waits on that loop.
    private static func copy(_ select: Select, from database: DatabaseConnection, into descriptor: Int32) async throws {
        let writer = RowWriter(descriptor: descriptor, chunked: select.chunked)
        writer.out.append(contentsOf: select.names.map { CSVText.field($0) }.joined(separator: ",").utf8)
        writer.out.append(0x0A)
        _ = try await database.connection.query(PostgresQuery(unsafeSQL: select.sql, binds: select.binds), logger: DatabaseConnection.logger) { row in
            try writer.add(row)
        }.get()
        try writer.flush()
    }

    /// CSV of rows, written into the pipe a megabyte at a time; touched only by the connection's event loop, then by
    /// the producer once the query has ended.
    private final class RowWriter: @unchecked Sendable {
        let descriptor: Int32
        let chunked: Bool
        var out: [UInt8] = []

        init(descriptor: Int32, chunked: Bool) {
            self.descriptor = descriptor
            self.chunked = chunked
            out.reserveCapacity(1 << 20 + 65_536)
        }

        func add(_ row: PostgresRow) throws {
            if chunked { return try addChunk(row) }
            var first = true
            for cell in row {
                if !first { out.append(0x2C) }
                first = false
                if let bytes = cell.bytes { bytes.withUnsafeReadableBytes { CSVText.append($0, to: &out) } }
            }
            out.append(0x0A)
            if out.count >= 1 << 20 { try flush() }
        }

        /// A run of rows as one array per column (binary array format: dimensions, then each element as its length,
        /// -1 for NULL, and its bytes); a run of pages with no rows has NULL arrays.
        private func addChunk(_ row: PostgresRow) throws {
            var arrays: [ByteBuffer] = [], types: [UInt32] = []
            for cell in row {
                guard var bytes = cell.bytes else { return }
                guard let dimensions = bytes.readInteger(as: Int32.self), dimensions == 1,
                      bytes.readInteger(as: Int32.self) != nil, let type = bytes.readInteger(as: UInt32.self),
                      bytes.readInteger(as: Int32.self) != nil, bytes.readInteger(as: Int32.self) != nil else {
                    throw PostgresTablesError("an array of a chunked read is not one-dimensional")
                }
                arrays.append(bytes)
                types.append(type)
            }
            guard !arrays.isEmpty else { return }
            while arrays[0].readableBytes > 0 {
                for k in arrays.indices {
                    if k > 0 { out.append(0x2C) }
                    guard let length = arrays[k].readInteger(as: Int32.self) else { throw PostgresTablesError("a chunked read's arrays differ in length") }
                    if length > 0 {
                        guard let slice = arrays[k].readSlice(length: Int(length)) else { throw PostgresTablesError("a chunked read's array is cut short") }
                        switch types[k] {
                        case Self.timestamptz, Self.timestamp:
                            // Microseconds since 2000-01-01, written as ISO 8601 with the fraction dropped, as the
                            // readers drop it (`Z` only for timestamptz: a timestamp's zone is the description's).
                            guard length == 8, let micros = slice.getInteger(at: slice.readerIndex, as: Int64.self) else { throw PostgresTablesError("a time is not 8 bytes") }
                            if micros == .max || micros == .min {
                                out.append(contentsOf: (micros == .max ? "infinity" : "-infinity").utf8)
                            } else {
                                let (q, r) = micros.quotientAndRemainder(dividingBy: 1_000_000)
                                Timestamp(seconds: Self.epoch2000 + (r < 0 ? q - 1 : q)).appendISO8601(to: &out, zone: types[k] == Self.timestamptz)
                            }
                        case Self.date:
                            guard length == 4, let days = slice.getInteger(at: slice.readerIndex, as: Int32.self) else { throw PostgresTablesError("a date is not 4 bytes") }
                            if days == .max || days == .min {
                                out.append(contentsOf: (days == .max ? "infinity" : "-infinity").utf8)
                            } else {
                                Timestamp(seconds: Self.epoch2000 + Int64(days) * 86_400).appendISO8601(to: &out, dateOnly: true)
                            }
                        default:
                            slice.withUnsafeReadableBytes { CSVText.append($0, to: &out) }
                        }
                    }
                }
                out.append(0x0A)
                if out.count >= 1 << 20 { try flush() }
            }
        }

        /// Type OIDs of the arrays' elements that come in binary: times and dates (text is text).
        static let timestamptz: UInt32 = 1184, timestamp: UInt32 = 1114, date: UInt32 = 1082
        /// 2000-01-01, where PostgreSQL's binary times count from, in Unix seconds.
        static let epoch2000: Int64 = 946_684_800

        func flush() throws {
            try PostgresTables.write(out, to: descriptor)
            out.removeAll(keepingCapacity: true)
        }
    }

    fileprivate static func write(_ bytes: [UInt8], to descriptor: Int32) throws {
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

/// A chunked read that does not have the shape it asked for (a bug, not bad data).
struct PostgresTablesError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
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
