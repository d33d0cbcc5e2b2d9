import Foundation

/// An input that lives in a database rather than a file: a table (or view) by name, or a query, on a connection given
/// by URL or by the usual `PG*` environment variables. The source description names it (`"table"` or `"query"` instead
/// of `"file"`); a ``TableStreamer`` reads it.
public struct DatabaseTable: Sendable, Equatable {
    /// A `postgresql://` URL, or nil for the `PG*` environment variables (`PGHOST`, `PGPORT`, `PGUSER`, ...).
    public var connection: String?
    public var relation: Relation

    public enum Relation: Sendable, Equatable {
        /// A table or view: `contacts`, or `crm.contacts` with its schema. Names are matched exactly, as quoted
        /// identifiers are.
        case table(schema: String?, name: String)
        /// A query whose result is read as a table (`SELECT ... FROM ... WHERE ...`).
        case query(String)
    }

    public init(connection: String?, relation: Relation) {
        self.connection = connection
        self.relation = relation
    }

    /// `crm.contacts` as `(schema: "crm", name: "contacts")`; a name without a dot has no schema (the search path's).
    public static func relation(named text: String) -> Relation {
        if let dot = text.firstIndex(of: "."), dot != text.startIndex, text.index(after: dot) != text.endIndex {
            return .table(schema: String(text[..<dot]), name: String(text[text.index(after: dot)...]))
        }
        return .table(schema: nil, name: text)
    }

    /// `text` with the password of a `postgresql://` URL (and of a `password=` parameter) cut out: how every message
    /// and every file leadscore writes names a database.
    public static func redacted(_ text: String) -> String {
        var result = text
        if let scheme = result.range(of: "://") {
            let authorityEnd = result[scheme.upperBound...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? result.endIndex
            if let at = result[scheme.upperBound..<authorityEnd].lastIndex(of: "@"),
               let colon = result[scheme.upperBound..<at].firstIndex(of: ":") {
                result.replaceSubrange(colon..<at, with: "")
            }
        }
        while let range = result.range(of: "password="), !result[range.upperBound...].hasPrefix("...") {
            let end = result[range.upperBound...].firstIndex(of: "&") ?? result.endIndex
            result.replaceSubrange(range.upperBound..<end, with: "...")
        }
        return result
    }

    /// `contacts`, `crm.contacts`, or `query` for a query: how messages name the input, after the database.
    public var shortName: String {
        switch relation {
        case .table(let schema, let name): return schema.map { "\($0).\(name)" } ?? name
        case .query: return "query"
        }
    }
}

/// Reads a ``DatabaseTable`` as CSV, so that the readers of CSV files (``Contacts``, ``Outcomes``, ``EventReader``,
/// ``Table``) read database rows as they read files, with the same mapping of columns and values, the same checks and
/// the same bounded memory. Implemented above this module (PostgreSQL); LeadData knows only the protocol.
public protocol TableStreamer: Sendable {
    /// Starts reading `table`: `columns` only when given (all when nil; a missing one is an error that lists those that
    /// exist), in the order of `orderBy` (columns of the table) when given, so that a run reads rows in the same order
    /// every time. `name` is how messages name the input (`table crm.contacts`, `events query`).
    func stream(_ table: DatabaseTable, name: String, columns: [String]?, orderBy: [String]) throws(InputError) -> CSVStream
}

/// CSV written into a pipe by a producer on another thread (a database query): the read end and the name errors give,
/// and the producer's verdict at the end, so that a connection lost mid-read is an error, not a short file.
public final class CSVStream: @unchecked Sendable {
    /// The read end of the pipe; the reader closes it.
    public let descriptor: Int32
    /// How errors name the input, in place of a path.
    public let name: String
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var failure: InputError?
    private var stopped = false
    private let onAbandon: @Sendable () -> Void

    /// `onAbandon` stops the producer when the reader gives up early (it has closed the read end, so a blocked write
    /// fails and the producer ends).
    public init(descriptor: Int32, name: String, onAbandon: @escaping @Sendable () -> Void) {
        self.descriptor = descriptor
        self.name = name
        self.onAbandon = onAbandon
    }

    /// Called once by the producer when it has written its last row (`failure` nil) or failed.
    public func producerFinished(failure: InputError?) {
        lock.lock()
        self.failure = failure
        lock.unlock()
        done.signal()
    }

    /// Waits for the producer at the end of the bytes and throws its failure, if any.
    func finish() throws(InputError) {
        lock.lock()
        let alreadyStopped = stopped
        stopped = true
        lock.unlock()
        if alreadyStopped { return }
        done.wait()
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
    }

    /// The reader stopped before the end.
    func abandon() {
        lock.lock()
        let alreadyStopped = stopped
        stopped = true
        lock.unlock()
        if !alreadyStopped { onAbandon() }
    }
}
