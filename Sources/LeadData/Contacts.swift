/// The contacts of a history export (`contacts.csv`): one row per contact with its id, when it was created,
/// and any profile columns, typed as in ``Table`` (numeric, or categorical coded as integers).
///
/// Contacts are numbered 0, 1, 2, ... in file order (bad rows skipped); events and outcomes refer to them
/// by that index, looked up from the id's bytes without building a String (``index(ofBytes:)``).
public struct Contacts: Sendable {
    /// The path as given to ``read(path:options:policy:skipped:)``; errors name it.
    public let path: String
    /// The contact ids, in file order.
    public let ids: [String]
    /// When each contact was created (the `created_at` column).
    public let createdAt: [Timestamp]
    /// Every other column (unless ignored by the options), typed, rows aligned with ``ids``, in header order.
    public let profile: [TableColumn]
    /// The physical line on which each contact's row starts.
    public let rowLines: [Int32]
    /// What reading decided on its own and a person should know: profile columns of dates left out.
    public var notes: [String] = []

    /// Id bytes to index and creation time, laid out for the event loop's random lookups.
    let lookup: ContactIndex

    /// Assembles contacts from columns (tests, generators); ids must be distinct and every array as long as `ids`.
    public init(path: String, ids: [String], createdAt: [Timestamp], profile: [TableColumn] = [], rowLines: [Int32]? = nil) {
        var index = StringInterner()
        for id in ids {
            let code = index.intern(id)
            precondition(Int(code) == index.count - 1, "duplicate contact id \"\(id)\"")
        }
        precondition(createdAt.count == ids.count, "\(createdAt.count) created_at values for \(ids.count) contacts")
        for column in profile {
            precondition(column.count == ids.count, "column \"\(column.name)\" has \(column.count) values for \(ids.count) contacts")
        }
        self.init(path: path, index: index, createdAt: createdAt, profile: profile,
                  rowLines: rowLines ?? ids.indices.map { Int32($0 + 2) })
    }

    private init(path: String, index: StringInterner, createdAt: [Timestamp], profile: [TableColumn], rowLines: [Int32]) {
        precondition(rowLines.count == index.count, "\(rowLines.count) row lines for \(index.count) contacts")
        self.path = path
        self.ids = index.strings
        self.createdAt = createdAt
        self.profile = profile
        self.rowLines = rowLines
        self.lookup = ContactIndex(ids: index.strings, createdAt: createdAt)
    }

    /// The number of contacts.
    public var count: Int { ids.count }

    /// The index of the contact with this id, if there is one.
    public func index(of id: String) -> Int32? {
        var id = id
        return id.withUTF8 { lookup.find($0)?.code }
    }

    /// The index of the contact whose id has these UTF-8 bytes, without allocating (for the event loop).
    @inline(__always)
    public func index(ofBytes bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        lookup.find(bytes)?.code
    }

    /// The profile column called `name`, unless it is absent or was ignored.
    public func column(named name: String) -> TableColumn? {
        profile.first { $0.name == name }
    }
}

// MARK: - Reading

extension Contacts {
    /// Reads `contacts.csv`: `contact_id` and `created_at` are required; every other column becomes a typed
    /// profile column (see ``Table/read(path:options:)`` for how kinds are decided and overridden).
    ///
    /// Bad rows (an empty or duplicate id, a created_at that is not ISO 8601, a malformed record, a value
    /// that is not a number in a numeric column, invalid UTF-8) stop the read with `file:line: reason`, or
    /// with `policy.skip` are left out and counted in `skipped`; for a duplicate id the first row is kept.
    /// A missing column, an empty file and a file whose every row is bad always stop.
    public static func read(
        path: String, options: TableReadOptions = .init(), policy: BadRowPolicy = .init(),
        skipped: inout SkippedRows
    ) throws(InputError) -> Contacts {
        try read(file: SourceFile(path: path), options: options, policy: policy, skipped: &skipped)
    }

    /// As ``read(path:options:policy:skipped:)`` for a file as an export has it (its format, its column names).
    public static func read(
        file: SourceFile, options: TableReadOptions = .init(), policy: BadRowPolicy = .init(), skipped: inout SkippedRows
    ) throws(InputError) -> Contacts {
        try read(file: file, options: options, policy: policy, skipped: &skipped, chunkSize: CSVReader.defaultChunkSize)
    }

    /// As ``read(file:options:policy:skipped:)`` with a chosen read size, for tests.
    static func read(
        file: SourceFile, options: TableReadOptions, policy: BadRowPolicy, skipped: inout SkippedRows, chunkSize: Int
    ) throws(InputError) -> Contacts {
        typealias Reason = HistoryRows.Reason
        let path = file.path
        // One pass: check every row, keep ids and creation times, and survey and keep the values of the profile
        // columns, as Table does.
        let reader = try file.reader(chunkSize: chunkSize, orderRoles: ["contact_id"])
        let idColumn = try file.requireColumn("contact_id", in: reader)
        let createdColumn = try file.requireColumn("created_at", in: reader)
        var profile = try TypedColumnReader(reader: reader, options: options, required: [file.column("contact_id"), file.column("created_at")])
        var ids = StringInterner()
        var createdAt: [Timestamp] = []
        var rowLines: [Int32] = []
        var lost = LostLevels(columns: profile.columnIndices, header: profile.header)
        let dataRows = try HistoryRows.forEachRow(of: reader, idColumn: idColumn, policy: policy, skipped: &skipped) {
            record, line, rejectRow throws(InputError) in
            func reject(_ message: String, _ reason: String) throws(InputError) {
                try rejectRow(message, reason)
                lost.note(record, error: InputError(file: path, line: record.line, message: message).description)
            }
            if let first = record.withBytes(at: idColumn, { ids.code(of: $0) }) {
                try reject("duplicate contact \(Echo.quoted(ids.strings[Int(first)])) (first seen on line \(rowLines[Int(first)]))",
                           Reason.duplicateContact)
                return
            }
            guard record.withBytes(at: idColumn, HistoryRows.isValidUTF8) else {
                try reject("invalid UTF-8 in column \(Echo.quoted(file.column("contact_id")))", Reason.invalidUTF8)
                return
            }
            guard let created = record.withBytes(at: createdColumn, { reader.timestamp($0) }) else {
                try reject(record.withBytes(at: createdColumn) { HistoryRows.badTimestamp(column: file.column("created_at"), $0, formats: file.format.dates) },
                           Reason.badTimestamp)
                return
            }
            if let message = try profile.forcedNumberError(in: record, text: { record.withBytes(at: $0, HistoryRows.shown) }) {
                try reject(message, Reason.badNumber)
                return
            }
            if let j = profile.columnIndices.first(where: { !record.withBytes(at: $0, HistoryRows.isValidUTF8) }) {
                try reject("invalid UTF-8 in column \(Echo.quoted(profile.header[j]))", Reason.invalidUTF8)
                return
            }

            // The row is good: keep it.
            try profile.take(record, row: createdAt.count)
            _ = record.withBytes(at: idColumn) { ids.intern($0) }
            createdAt.append(created)
            rowLines.append(line)
        }

        // NaN or Inf in a column that turned out numeric: the first one (by line, then column) stops the read;
        // when skipping, every such row goes.
        let badNumbers = profile.nonFiniteNumbers()
        if !badNumbers.isEmpty {
            var keep = [Bool](repeating: true, count: createdAt.count)
            for bad in badNumbers where keep[bad.row] {
                let error = InputError(file: path, line: Int(rowLines[bad.row]), message: bad.message)
                try policy.reject(error, reason: Reason.badNumber, &skipped)
                keep[bad.row] = false
            }
            let kept = ids.strings.indices.filter { keep[$0] }
            var rebuilt = StringInterner()
            for row in kept { _ = rebuilt.intern(ids.strings[row]) }
            ids = rebuilt
            createdAt = kept.map { createdAt[$0] }
            rowLines = kept.map { rowLines[$0] }
            profile.keepRows(kept)
        }
        let dateNotes = try profile.checkKinds()
        let columns = profile.columns()
        try lost.check(kept: columns, path: path)
        try policy.checkLimit(skipped, path: path, rows: dataRows)
        try HistoryRows.requireUsableRows(kept: rowLines.count, of: dataRows, path: path)
        var contacts = Contacts(path: path, index: ids, createdAt: createdAt, profile: columns, rowLines: rowLines)
        contacts.notes = dateNotes
        return contacts
    }
}
