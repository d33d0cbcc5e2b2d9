#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams `events.csv` (`contact_id`, `timestamp`, `event`; other columns ignored) once, in file order,
/// handing each good row over as `(contact index, timestamp, event code)`.
///
/// Built for tens of millions of rows: per row nothing is allocated and no String is made. Records are split
/// in place (``CSVScanner``), timestamps parsed from bytes, event names looked up from bytes
/// (``SmallVocabulary``; a String only for a name never seen before), and contacts found through
/// ``ContactIndex`` in batches, so that the cache misses of a few hundred lookups overlap instead of
/// queueing. Memory stays constant whatever the file's length; events need not be sorted.
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
    public let header: [String]
    /// Event names in order of first appearance; event codes index it.
    public private(set) var eventNames: [String] = []
    /// Data records read so far, good or skipped (updated after each batch and at the end).
    public private(set) var rowsRead = 0
    /// Bytes of the file consumed so far (updated after each batch; the file's size after a complete pass).
    public private(set) var bytesRead = 0
    /// Events kept although they happened before their contact was created (CRMs back-fill history from cookies).
    public private(set) var eventsBeforeCreation = 0

    private let scanner: CSVScanner
    /// Reads the timestamps when they are not ISO 8601 in UTC.
    private let dates: DateParser?
    private let early: EarlyEvents
    /// The column names of the file, for messages.
    private let timeName: String
    private let eventName: String
    private let idColumn: Int
    private let timeColumn: Int
    private let eventColumn: Int
    private var names = SmallVocabulary()
    private var streamed = false
    /// Keeps the batch's touching loads from being optimised away.
    private var touchSink: Int32 = 0

    /// Rows scanned before their contacts are looked up together.
    static let batchSize = 256

    /// Opens the file and checks the header: it must have `contact_id`, `timestamp` and `event`.
    public convenience init(path: String) throws(InputError) {
        try self.init(file: SourceFile(path: path))
    }

    /// Opens a file as an export has it (its format, its column names); `early` says what to do with events logged
    /// before their contact was created.
    public convenience init(file: SourceFile, early: EarlyEvents = .keep) throws(InputError) {
        try self.init(file: file, early: early, chunkSize: CSVReader.defaultChunkSize)
    }

    convenience init(path: String, chunkSize: Int) throws(InputError) {
        try self.init(file: SourceFile(path: path), early: .keep, chunkSize: chunkSize)
    }

    /// As ``init(file:early:)`` with a chosen read size, for tests.
    init(file: SourceFile, early: EarlyEvents, chunkSize: Int) throws(InputError) {
        // The header is read and checked by CSVReader, so its errors read exactly as every other reader's; the rows
        // are then split by its scanner directly.
        let path = file.path
        let csv = try file.reader(chunkSize: chunkSize, roles: ["contact_id", "timestamp", "event"])
        self.idColumn = try file.requireColumn("contact_id", in: csv)
        self.timeColumn = try file.requireColumn("timestamp", in: csv)
        self.eventColumn = try file.requireColumn("event", in: csv)
        self.dates = csv.dates
        self.early = early
        self.timeName = file.column("timestamp")
        self.eventName = file.column("event")
        self.header = csv.header
        self.path = path
        self.scanner = csv.scanner
        bytesRead = scanner.bytesConsumed
        fileSize = file.format.encoding == .utf8 ? StepProgress.fileSize(path) : nil
    }

    /// The size of the file, when it is a regular file read as it is (for progress).
    private let fileSize: Int64?

    /// Told how many bytes have been read after each batch, for a progress line.
    public var progress: ProgressReport?

    /// Calls `body(contact, timestamp, eventCode)` for every good event row, in file order. The file is
    /// read once, so this (or ``forEachBatch(contacts:policy:skipped:_:)``) can be called once per reader.
    ///
    /// Bad rows (an empty or unknown contact id, a timestamp that is not ISO 8601, an empty event name, an
    /// event before its contact was created, a malformed record, invalid UTF-8 in the event name) stop with
    /// `file:line: reason` (after every good row before them was handed over), or with `policy.skip` are
    /// passed over and counted in `skipped`. A file with a header and no rows is fine: a history may have
    /// no events.
    public func forEach(
        contacts: Contacts, policy: BadRowPolicy = .init(), skipped: inout SkippedRows,
        _ body: (Int32, Timestamp, Int32) -> Void
    ) throws(InputError) {
        try forEachBatch(contacts: contacts, policy: policy, skipped: &skipped) { batch in
            for i in 0..<batch.count {
                body(batch.contacts[i], batch.times[i], batch.events[i])
            }
        }
    }

    /// As ``forEach(contacts:policy:skipped:_:)``, handing over the good rows a batch at a time (see ``EventBatch``).
    public func forEachBatch(
        contacts: Contacts, policy: BadRowPolicy = .init(), skipped: inout SkippedRows,
        _ body: (EventBatch) -> Void
    ) throws(InputError) {
        precondition(!streamed, "an EventReader reads its file once; open a new one to read it again")
        streamed = true
        let batch = BatchStorage(capacity: Self.batchSize)
        var names = self.names
        var rows = 0
        defer {
            self.names = names
            self.rowsRead = rows
            self.bytesRead = scanner.bytesConsumed
        }
        let scanner = self.scanner
        let index = contacts.lookup
        let idColumn = self.idColumn
        let timeColumn = self.timeColumn
        let eventColumn = self.eventColumn
        let columnCount = header.count
        var touched: Int32 = 0

        /// Hands over the first `count` output rows.
        func deliver(_ count: Int) {
            guard count > 0 else { return }
            body(EventBatch(
                contacts: UnsafeBufferPointer(start: batch.outContacts, count: count),
                times: UnsafeBufferPointer(start: batch.outTimes, count: count),
                events: UnsafeBufferPointer(start: batch.outEvents, count: count)))
        }
        func reject(_ message: String, line: Int, _ reason: String) throws(InputError) {
            try policy.reject(InputError(file: path, line: line, message: message), reason: reason, &skipped)
        }

        while true {
            // Phase 1: scan rows, parse times and event names, hash ids; stop early at a row needing care.
            var n = 0
            var stop = Stop.full
            batch.keyCount = 0
            while n < Self.batchSize {
                let more: Bool
                do {
                    more = try scanner.nextRecord()
                } catch {
                    guard error.line != nil else { throw error }
                    rows += 1
                    stop = .malformed(error)
                    break
                }
                guard more else {
                    stop = .end
                    break
                }
                rows += 1
                guard scanner.fieldCount == columnCount else {
                    stop = .malformed(fieldCountError(found: scanner.fieldCount))
                    break
                }
                let id = scanner.field(idColumn)
                guard !id.isEmpty, let time = dates?.parse(scanner.field(timeColumn)) ?? Timestamp.parse(scanner.field(timeColumn)),
                      let event = names.code(of: scanner.field(eventColumn))
                else {
                    stop = .slowRow
                    break
                }
                batch.add(row: n, key: id, time: time, event: event, line: scanner.recordLine)
                n += 1
            }

            // Phase 2: start every contact lookup's cache miss before using any of them.
            for r in 0..<n {
                let slot = index.firstSlot(batch.hashes[r])
                batch.slots[r] = slot
                touched |= index.touch(slot: slot)
            }

            // Phase 3: probe one cache line per row. A key that may lie further on (one in ten at most)
            // touches its next line and waits for the next round, so those misses overlap as well.
            /// Probes row `r`'s current line; true when its key may lie further on (its next line is now touched).
            @inline(__always) func probe(_ r: Int) -> Bool {
                switch index.probeLine(batch.key(r), w0: batch.w0[r], w1: batch.w1[r], from: batch.slots[r], lines: 1) {
                case .found(let contact, let created):
                    batch.contacts[r] = contact
                    batch.created[r] = created
                    return false
                case .absent:
                    batch.contacts[r] = -1
                    return false
                case .continueAt(let slot):
                    batch.slots[r] = slot
                    touched |= index.touch(slot: slot)
                    return true
                }
            }
            var pending = 0
            for r in 0..<n where probe(r) {
                batch.pending[pending] = r
                pending += 1
            }
            while pending > 0 {
                var stillPending = 0
                for k in 0..<pending where probe(batch.pending[k]) {
                    batch.pending[stillPending] = batch.pending[k]
                    stillPending += 1
                }
                pending = stillPending
            }

            // Phase 4: check creation times and hand over the good rows, in file order.
            var out = 0
            let keepEarly = early == .keep
            for r in 0..<n {
                let contact = batch.contacts[r]
                if contact >= 0 && (batch.times[r] >= batch.created[r] || keepEarly) {
                    if batch.times[r] < batch.created[r] { eventsBeforeCreation += 1 }
                    batch.outContacts[out] = contact
                    batch.outTimes[out] = Timestamp(seconds: batch.times[r])
                    batch.outEvents[out] = batch.events[r]
                    out += 1
                    continue
                }
                deliver(out)
                out = 0
                if contact >= 0 {
                    try reject(HistoryRows.eventBeforeCreated(batch.times[r], batch.created[r]),
                               line: batch.lines[r], HistoryRows.Reason.eventBeforeCreated)
                } else {
                    try reject(HistoryRows.unknownContact(batch.key(r), contactsPath: contacts.path),
                               line: batch.lines[r], HistoryRows.Reason.unknownContact)
                }
            }
            deliver(out)
            rowsRead = rows
            bytesRead = scanner.bytesConsumed
            if let progress { progress(StepProgress(step: "reading \(HistoryRows.fileName(path))", done: Int64(bytesRead), total: fileSize, unit: .bytes)) }

            // The row that ended the batch, if any.
            switch stop {
            case .full:
                continue
            case .end:
                touchSink ^= touched
                try policy.checkLimit(skipped, path: path, rows: rows)
                return
            case .malformed(let error):
                try policy.reject(error, reason: HistoryRows.Reason.malformed, &skipped)
            case .slowRow:
                if let (contact, time, event) = try checkSlowRow(
                    index: index, contactsPath: contacts.path, names: &names, reject: reject) {
                    batch.outContacts[0] = contact
                    batch.outTimes[0] = time
                    batch.outEvents[0] = event
                    deliver(1)
                }
            }
        }
    }

    /// Why phase 1 ended.
    private enum Stop {
        case full, end, slowRow, malformed(InputError)
    }

    /// The scanner's current row, which is new (an event name never seen) or wrong: checked field by field in
    /// the order a person would, returning the event if it is good and interning a new event name.
    private func checkSlowRow(
        index: ContactIndex, contactsPath: String, names: inout SmallVocabulary,
        reject: (String, Int, String) throws(InputError) -> Void
    ) throws(InputError) -> (Int32, Timestamp, Int32)? {
        typealias Reason = HistoryRows.Reason
        let line = scanner.recordLine
        let id = scanner.field(idColumn)
        guard !id.isEmpty else {
            try reject("empty contact_id", line, Reason.emptyID)
            return nil
        }
        guard let (contact, created) = index.find(id) else {
            try reject(HistoryRows.unknownContact(id, contactsPath: contactsPath), line, Reason.unknownContact)
            return nil
        }
        guard let time = dates?.parse(scanner.field(timeColumn)) ?? Timestamp.parse(scanner.field(timeColumn)) else {
            try reject(HistoryRows.badTimestamp(column: timeName, scanner.field(timeColumn), formats: dates?.formats ?? DateFormats()),
                       line, Reason.badTimestamp)
            return nil
        }
        let name = scanner.field(eventColumn)
        let event: Int32
        if let known = names.code(of: name) {
            event = known
        } else {
            guard !name.isEmpty else {
                try reject("empty event name", line, Reason.emptyEventName)
                return nil
            }
            guard let code = names.intern(name) else {
                try reject("invalid UTF-8 in column \(Echo.quoted(eventName))", line, Reason.invalidUTF8)
                return nil
            }
            eventNames.append(names.strings[Int(code)])
            event = code
        }
        if time.seconds < created {
            guard early == .keep else {
                try reject(HistoryRows.eventBeforeCreated(time.seconds, created), line, Reason.eventBeforeCreated)
                return nil
            }
            eventsBeforeCreation += 1
        }
        return (contact, time, event)
    }

    /// The wrong-field-count error, worded as ``CSVReader/next()`` words it.
    private func fieldCountError(found: Int) -> InputError {
        let expected = header.count
        var message = "expected \(expected) \(expected == 1 ? "field" : "fields") (as in the header), found \(found)"
        if found < expected {
            if scanner.recordContains(0x3B) {
                message += " (is the file comma-separated? this line has semicolons)"
            } else if scanner.recordContains(0x09) {
                message += " (is the file comma-separated? this line has tabs)"
            }
        }
        return InputError(file: path, line: scanner.recordLine, message: message)
    }
}

/// The reusable buffers of one ``EventReader`` pass: rows scanned but not yet looked up, and rows to hand over.
private final class BatchStorage {
    let capacity: Int
    let hashes: UnsafeMutablePointer<UInt64>
    /// The id's first 16 bytes, zero-padded, as two words (what ``ContactIndex`` compares first).
    let w0: UnsafeMutablePointer<UInt64>
    let w1: UnsafeMutablePointer<UInt64>
    let keyStarts: UnsafeMutablePointer<Int>
    let keyLengths: UnsafeMutablePointer<Int>
    let times: UnsafeMutablePointer<Int64>
    let events: UnsafeMutablePointer<Int32>
    let lines: UnsafeMutablePointer<Int>
    /// Lookup state: the slot to probe next, then the contact found (-1: none) and its creation time.
    let slots: UnsafeMutablePointer<Int>
    let contacts: UnsafeMutablePointer<Int32>
    let created: UnsafeMutablePointer<Int64>
    /// Rows whose lookup goes on in the next round.
    let pending: UnsafeMutablePointer<Int>
    /// The ids of the scanned rows, copied (each padded to a multiple of 8 bytes, at least 16).
    var keys: UnsafeMutablePointer<UInt8>
    var keyCapacity: Int
    var keyCount = 0

    let outContacts: UnsafeMutablePointer<Int32>
    let outTimes: UnsafeMutablePointer<Timestamp>
    let outEvents: UnsafeMutablePointer<Int32>

    init(capacity: Int) {
        self.capacity = capacity
        hashes = .allocate(capacity: capacity)
        w0 = .allocate(capacity: capacity)
        w1 = .allocate(capacity: capacity)
        keyStarts = .allocate(capacity: capacity)
        keyLengths = .allocate(capacity: capacity)
        times = .allocate(capacity: capacity)
        events = .allocate(capacity: capacity)
        lines = .allocate(capacity: capacity)
        slots = .allocate(capacity: capacity)
        contacts = .allocate(capacity: capacity)
        created = .allocate(capacity: capacity)
        pending = .allocate(capacity: capacity)
        keyCapacity = capacity * 32
        keys = .allocate(capacity: keyCapacity)
        outContacts = .allocate(capacity: capacity)
        outTimes = .allocate(capacity: capacity)
        outEvents = .allocate(capacity: capacity)
    }

    deinit {
        hashes.deallocate()
        w0.deallocate()
        w1.deallocate()
        keyStarts.deallocate()
        keyLengths.deallocate()
        times.deallocate()
        events.deallocate()
        lines.deallocate()
        slots.deallocate()
        contacts.deallocate()
        created.deallocate()
        pending.deallocate()
        keys.deallocate()
        outContacts.deallocate()
        outTimes.deallocate()
        outEvents.deallocate()
    }

    /// Stores scanned row `r`, copying its id.
    @inline(__always)
    func add(row r: Int, key: UnsafeBufferPointer<UInt8>, time: Timestamp, event: Int32, line: Int) {
        let length = key.count
        let padded = max(16, (length + 7) & ~7)
        if keyCount + padded > keyCapacity { growKeys(toAtLeast: keyCount + padded) }
        let start = keys + keyCount
        let raw = UnsafeMutableRawPointer(start)
        raw.storeBytes(of: 0, toByteOffset: padded - 16, as: UInt64.self)
        raw.storeBytes(of: 0, toByteOffset: padded - 8, as: UInt64.self)
        start.update(from: key.baseAddress!, count: length)
        hashes[r] = StringInterner.hash(key)
        w0[r] = raw.load(as: UInt64.self)
        w1[r] = raw.load(fromByteOffset: 8, as: UInt64.self)
        keyStarts[r] = keyCount
        keyLengths[r] = length
        times[r] = time.seconds
        events[r] = event
        lines[r] = line
        keyCount += padded
    }

    /// The copied id of scanned row `r`.
    @inline(__always)
    func key(_ r: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: keys + keyStarts[r], count: keyLengths[r])
    }

    private func growKeys(toAtLeast needed: Int) {
        var grownCapacity = keyCapacity * 2
        while grownCapacity < needed { grownCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: grownCapacity)
        grown.update(from: keys, count: keyCount)
        keys.deallocate()
        keys = grown
        keyCapacity = grownCapacity
    }
}
