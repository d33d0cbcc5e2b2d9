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
        try read(path: path, options: options, policy: policy, skipped: &skipped, chunkSize: CSVReader.defaultChunkSize)
    }

    /// As ``read(path:options:policy:skipped:)`` with a chosen read size, for tests.
    static func read(
        path: String, options: TableReadOptions, policy: BadRowPolicy, skipped: inout SkippedRows, chunkSize: Int
    ) throws(InputError) -> Contacts {
        typealias Reason = HistoryRows.Reason
        // Pass 1: check every row, keep ids and creation times, survey and keep the numbers of the profile
        // columns, as Table does.
        let reader = try CSVReader(path: path, chunkSize: chunkSize)
        let idColumn = try reader.requireColumn("contact_id")
        let createdColumn = try reader.requireColumn("created_at")
        try check(options, against: reader)
        let header = reader.header
        let profileColumns = header.indices.filter {
            $0 != idColumn && $0 != createdColumn && !options.ignore.contains(header[$0])
        }
        var surveys = header.map { name in
            TableColumnSurvey(
                mode: options.numeric.contains(name) ? .forcedNumeric
                    : options.categorical.contains(name) ? .forcedCategorical : .detect)
        }
        let forcedNumeric = profileColumns.filter { surveys[$0].mode == .forcedNumeric }
        var watched = profileColumns.filter { surveys[$0].mode != .forcedCategorical }
        var numbers = header.map { _ in [Double]() }
        // NaN, Inf or overflow in a detected column: an error only if the column ends up numeric.
        var nonFinite = header.map { _ in [(row: Int, text: String)]() }

        var ids = StringInterner()
        var createdAt: [Timestamp] = []
        var rowLines: [Int32] = []
        var dataRows = 0
        rows: while try reader.next(policy: policy, skipped: &skipped) {
            dataRows += 1
            let record = reader.record
            let line = try HistoryRows.line32(record.line, path: path)
            func reject(_ message: String, _ reason: String) throws(InputError) {
                try policy.reject(InputError(file: path, line: record.line, message: message), reason: reason, &skipped)
            }

            if record.isEmpty(at: idColumn) {
                try reject("empty contact_id", Reason.emptyID)
                continue
            }
            if let first = record.withBytes(at: idColumn, { ids.code(of: $0) }) {
                try reject("duplicate contact \"\(ids.strings[Int(first)])\" (first seen on line \(rowLines[Int(first)]))",
                           Reason.duplicateContact)
                continue
            }
            guard record.withBytes(at: idColumn, HistoryRows.isValidUTF8) else {
                try reject("invalid UTF-8 in column \"contact_id\"", Reason.invalidUTF8)
                continue
            }
            guard let created = record.withBytes(at: createdColumn, { Timestamp.parse($0) }) else {
                try reject(record.withBytes(at: createdColumn) { HistoryRows.badTimestamp(column: "created_at", $0) },
                           Reason.badTimestamp)
                continue
            }
            for j in forcedNumeric {
                switch record.number(at: j) {
                case .missing, .value:
                    break
                case .nonFinite(let text):
                    try reject(TableColumnSurvey.nonFiniteMessage(column: header[j], text: text), Reason.badNumber)
                    continue rows
                case .notNumeric:
                    let text = record.withBytes(at: j, HistoryRows.shown)
                    try reject("column \"\(header[j])\": \"\(text)\" is not a number (the column was declared numeric)",
                               Reason.badNumber)
                    continue rows
                }
            }
            for j in profileColumns where !record.withBytes(at: j, HistoryRows.isValidUTF8) {
                try reject("invalid UTF-8 in column \"\(header[j])\"", Reason.invalidUTF8)
                continue rows
            }

            // The row is good: keep it.
            let row = createdAt.count
            _ = record.withBytes(at: idColumn) { ids.intern($0) }
            createdAt.append(created)
            rowLines.append(line)
            var dropped = false
            for j in watched {
                let field = record.number(at: j)
                switch field {
                case .value(let value):
                    numbers[j].append(value)
                case .missing:
                    numbers[j].append(.nan)
                case .nonFinite(let text):
                    numbers[j].append(.nan)
                    nonFinite[j].append((row, text))
                case .notNumeric:
                    numbers[j] = []
                    nonFinite[j] = []
                    dropped = true
                }
                surveys[j].observe(field, line: record.line)
            }
            if dropped {
                watched.removeAll { !surveys[$0].allNumeric }
            }
        }
        if dataRows == 0 {
            throw InputError(file: path, line: nil, message: "the file has a header but no data rows")
        }

        // NaN or Inf in a column that turned out numeric: the first one (by line, then column) stops the read;
        // when skipping, every such row goes.
        var badRows: [(row: Int, column: Int, text: String)] = []
        for j in profileColumns where surveys[j].isNumeric {
            badRows += nonFinite[j].map { ($0.row, j, $0.text) }
        }
        if !badRows.isEmpty {
            badRows.sort { ($0.row, $0.column) < ($1.row, $1.column) }
            var keep = [Bool](repeating: true, count: createdAt.count)
            for bad in badRows where keep[bad.row] {
                let error = InputError(
                    file: path, line: Int(rowLines[bad.row]),
                    message: TableColumnSurvey.nonFiniteMessage(column: header[bad.column], text: bad.text))
                try policy.reject(error, reason: Reason.badNumber, &skipped)
                keep[bad.row] = false
            }
            let kept = ids.strings.indices.filter { keep[$0] }
            var rebuilt = StringInterner()
            for row in kept { _ = rebuilt.intern(ids.strings[row]) }
            ids = rebuilt
            createdAt = kept.map { createdAt[$0] }
            rowLines = kept.map { rowLines[$0] }
            for j in profileColumns where surveys[j].isNumeric {
                numbers[j] = kept.map { numbers[j][$0] }
            }
        }
        if rowLines.isEmpty {
            throw InputError(
                file: path, line: nil,
                message: "no usable rows: all \(dataRows) data \(dataRows == 1 ? "row was" : "rows were") bad and skipped")
        }

        // Pass 2, only if needed: code the categorical columns of the rows kept, levels in order of first appearance.
        let categorical = profileColumns.filter { !surveys[$0].isNumeric }
        var codes = header.map { _ in [Int32]() }
        var interners = header.map { _ in StringInterner() }
        if !categorical.isEmpty {
            let changed = InputError(file: path, line: nil, message: "the file changed while it was being read; try again")
            let second = try CSVReader(path: path, chunkSize: chunkSize)
            guard second.header == header else { throw changed }
            for j in categorical { codes[j].reserveCapacity(rowLines.count) }
            var row = 0
            var ignored = SkippedRows()  // rows skipped (and counted) in pass 1
            while try second.next(policy: policy, skipped: &ignored) {
                let record = second.record
                guard row < rowLines.count else { break }
                if record.line < Int(rowLines[row]) { continue }
                guard record.line == Int(rowLines[row]) else { throw changed }
                row += 1
                for j in categorical {
                    guard let code = record.withBytes(at: j, { interners[j].intern($0) }) else { throw changed }
                    codes[j].append(code)
                }
            }
            guard row == rowLines.count else { throw changed }
        }

        let profile = profileColumns.map { j in
            surveys[j].isNumeric
                ? TableColumn(name: header[j], values: .numeric(numbers[j]))
                : TableColumn(name: header[j], values: .categorical(codes: codes[j], levels: interners[j].strings))
        }
        return Contacts(path: path, index: ids, createdAt: createdAt, profile: profile, rowLines: rowLines)
    }

    /// Options must name columns the file has, other than the id and created_at, and give each at most one treatment.
    private static func check(_ options: TableReadOptions, against reader: CSVReader) throws(InputError) {
        let lists = [("categorical", options.categorical), ("numeric", options.numeric), ("ignored", options.ignore)]
        for (kind, names) in lists {
            for name in names.sorted() {
                if reader.columnIndex(name) == nil {
                    throw InputError(
                        file: reader.path, line: nil,
                        message: "column \"\(name)\" was declared \(kind), but the file has no such column (the header has: \(reader.header.joined(separator: ", ")))")
                }
                if name == "contact_id" || name == "created_at" {
                    throw InputError(
                        file: reader.path, line: nil,
                        message: "column \"\(name)\" is required and cannot be declared \(kind); only profile columns can")
                }
            }
        }
        for (a, first) in lists.enumerated() {
            for second in lists[(a + 1)...] {
                if let name = first.1.intersection(second.1).sorted().first {
                    throw InputError(
                        file: reader.path, line: nil,
                        message: "column \"\(name)\" was declared both \(first.0) and \(second.0); choose one")
                }
            }
        }
    }
}
