#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams `events.csv` (`contact_id`, `timestamp`, `event`; other columns ignored) once, in file order,
/// handing each good row to a closure as `(contact index, timestamp, event code)`.
///
/// Built for tens of millions of rows: per row it allocates nothing. The contact is looked up from the id's
/// bytes, the timestamp parsed from bytes, and the event name interned from bytes, so a String is made only
/// for an event name never seen before. Memory stays constant whatever the file's length; events need not
/// be sorted.
///
/// ```swift
/// let events = try EventReader(path: "events.csv")
/// var counts = [Int](repeating: 0, count: contacts.count)
/// try events.forEach(contacts: contacts, skipped: &skipped) { contact, time, event in
///     if time < cutoff[Int(contact)] { counts[Int(contact)] += 1 }
/// }
/// print(events.eventNames)
/// ```
public final class EventReader {
    /// The path as given to ``init(path:)``; errors name it.
    public let path: String
    /// The column names of the file, including the ones that are ignored.
    public var header: [String] { reader.header }
    /// Event names in order of first appearance; the codes given to ``forEach(contacts:policy:skipped:_:)`` index it.
    public private(set) var eventNames: [String] = []
    /// Data records read so far, good or skipped (updated every 65,536 rows and at the end).
    public private(set) var rowsRead = 0
    /// Bytes of the file read so far: an estimate from the records' lengths while reading, the file's size
    /// once a pass is complete.
    public private(set) var bytesRead = 0

    private let reader: CSVReader
    private let idColumn: Int
    private let timeColumn: Int
    private let eventColumn: Int
    private var names = StringInterner()
    private var streamed = false

    /// Opens the file and checks that the header has `contact_id`, `timestamp` and `event`.
    public convenience init(path: String) throws(InputError) {
        try self.init(path: path, chunkSize: CSVReader.defaultChunkSize)
    }

    /// As ``init(path:)`` with a chosen read size, for tests.
    init(path: String, chunkSize: Int) throws(InputError) {
        let reader = try CSVReader(path: path, chunkSize: chunkSize)
        self.idColumn = try reader.requireColumn("contact_id")
        self.timeColumn = try reader.requireColumn("timestamp")
        self.eventColumn = try reader.requireColumn("event")
        self.path = path
        self.reader = reader
    }

    /// Calls `body(contact, timestamp, eventCode)` for every good event row, in file order; the file is read
    /// once, so this can be called once per reader.
    ///
    /// Bad rows (an empty or unknown contact id, a timestamp that is not ISO 8601, an empty event name, an
    /// event before its contact was created, a malformed record, invalid UTF-8 in the event name) stop with
    /// `file:line: reason`, or with `policy.skip` are passed over and counted in `skipped`. A file with a header
    /// and no rows is fine: a history may have no events.
    public func forEach(
        contacts: Contacts, policy: BadRowPolicy = .init(), skipped: inout SkippedRows,
        _ body: (Int32, Timestamp, Int32) -> Void
    ) throws(InputError) {
        precondition(!streamed, "an EventReader reads its file once; open a new one to read it again")
        streamed = true
        typealias Reason = HistoryRows.Reason

        // Everything the loop touches, in locals: no class property access or exclusivity check per row.
        let reader = self.reader
        let fields = reader.record.fields  // the reader's reusable buffer: fields of the current record
        let idColumn = self.idColumn
        let timeColumn = self.timeColumn
        let eventColumn = self.eventColumn
        let createdAt = contacts.createdAt
        var names = self.names
        var rows = 0
        var bytes = 0
        defer {
            self.names = names
            self.rowsRead = rows
        }

        while true {
            do {
                guard try reader.next() else { break }
            } catch {
                rows += 1
                guard policy.skip, error.line != nil else { throw error }
                skipped.record(error, reason: Reason.malformed)
                continue
            }
            rows += 1
            bytes &+= fields.byteCount &+ fields.fieldCount
            if rows & 0xFFFF == 0 {
                self.rowsRead = rows
                self.bytesRead = bytes
            }

            // The fast path: known contact, valid time, known event, not before creation.
            let idBytes = fields.field(idColumn)
            let contact = contacts.index(ofBytes: idBytes)
            let time = Timestamp.parse(fields.field(timeColumn))
            let nameBytes = fields.field(eventColumn)
            var event = names.code(of: nameBytes)
            if let contact, let time, let event, time.seconds >= createdAt[Int(contact)].seconds {
                body(contact, time, event)
                continue
            }

            // Something is new or wrong: say what, in the order a person would check.
            func reject(_ message: String, _ reason: String) throws(InputError) {
                let error = InputError(file: path, line: reader.record.line, message: message)
                try policy.reject(error, reason: reason, &skipped)
            }
            guard !idBytes.isEmpty else {
                try reject("empty contact_id", Reason.emptyID)
                continue
            }
            guard let contact else {
                try reject(HistoryRows.unknownContact(idBytes, contactsPath: contacts.path), Reason.unknownContact)
                continue
            }
            guard let time else {
                try reject(HistoryRows.badTimestamp(column: "timestamp", fields.field(timeColumn)), Reason.badTimestamp)
                continue
            }
            if event == nil {
                guard !nameBytes.isEmpty else {
                    try reject("empty event name", Reason.emptyEventName)
                    continue
                }
                guard let code = names.intern(nameBytes) else {
                    try reject("invalid UTF-8 in column \"event\"", Reason.invalidUTF8)
                    continue
                }
                eventNames.append(names.strings[Int(code)])
                event = code
            }
            let created = createdAt[Int(contact)]
            guard time >= created else {
                try reject("event at \(time.iso8601) is before the contact was created (\(created.iso8601))",
                           Reason.eventBeforeCreated)
                continue
            }
            body(contact, time, event!)
        }
        bytesRead = Self.fileSize(path) ?? bytes
    }

    /// The size of the file at `path` in bytes, if it can be found.
    private static func fileSize(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }
}
