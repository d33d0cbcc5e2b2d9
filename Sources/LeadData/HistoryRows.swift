/// What the history readers (``Contacts``, ``Outcomes``, ``EventReader``) share: the short reasons that
/// ``SkippedRows`` groups by, the messages of the errors they have in common, and skipping malformed records.
enum HistoryRows {
    /// The short reasons bad rows are counted under with `--skip-bad-rows`.
    enum Reason {
        static let malformed = "malformed row"
        static let emptyID = "empty contact_id"
        static let unknownContact = "unknown contact id"
        static let duplicateContact = "duplicate contact"
        static let badTimestamp = "bad timestamp"
        static let emptyEventName = "empty event name"
        static let eventBeforeCreated = "event before created_at"
        static let badOutcome = "bad outcome"
        static let secondOutcome = "second outcome"
        static let decidedBeforeCreated = "decided before created_at"
        static let badNumber = "bad number"
        static let invalidUTF8 = "invalid UTF-8"
    }

    /// Field bytes for a message: lossy UTF-8, cut after 60 characters so one huge field cannot flood a terminal.
    static func shown(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.count > 60 ? String(text.prefix(60)) + "..." : text
    }

    /// `column "created_at": "2026-13-01" is not an ISO 8601 date or time` (`or MM/DD/YYYY` when the file's formats
    /// name patterns).
    static func badTimestamp(column: String, _ bytes: UnsafeBufferPointer<UInt8>, formats: DateFormats = DateFormats()) -> String {
        let patterns = formats.patterns.map(\.description)
        return "column \(Echo.quoted(column)): \(Echo.quoted(shown(bytes))) is not an ISO 8601 date or time" + (patterns.isEmpty ? "" : " nor \(patterns.joined(separator: " nor "))")
    }

    /// `unknown contact_id "C999" (not in contacts.csv)`, naming the contacts file as the user knows it.
    static func unknownContact(_ bytes: UnsafeBufferPointer<UInt8>, contactsPath: String) -> String {
        "unknown contact_id \(Echo.quoted(shown(bytes))) (not in \(fileName(contactsPath)))"
    }

    /// `event at 2026-01-01T00:00:00Z is before the contact was created (2026-02-01T00:00:00Z)`.
    static func eventBeforeCreated(_ time: Int64, _ created: Int64) -> String {
        "event at \(Timestamp(seconds: time).iso8601) is before the contact was created (\(Timestamp(seconds: created).iso8601))"
    }

    /// The last component of a path.
    static func fileName(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }

    /// Whether the bytes are valid UTF-8; pure ASCII, the common case, is checked without building a String.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var ascii = true
        for byte in bytes where byte >= 0x80 {
            ascii = false
            break
        }
        return ascii || String(validating: bytes, as: UTF8.self) != nil
    }

    /// A history reader's verdict on a bad row: stop with `file:line: message`, or, when skipping, count the row
    /// under `reason` (one of ``Reason``) and return, so the reader moves on to the next.
    typealias Reject = (_ message: String, _ reason: String) throws(InputError) -> Void

    /// The row loop of ``Contacts`` and ``Outcomes``: calls `body` with each data row (malformed records passed
    /// over as `policy` says), the line it starts on and a ``Reject`` for it, after rejecting the rows with an
    /// empty `contact_id` itself; `body` returns after a rejection. Returns how many data rows the file has,
    /// bad ones included; a file with none is an error.
    static func forEachRow(
        of reader: CSVReader, idColumn: Int, policy: BadRowPolicy, skipped: inout SkippedRows,
        _ body: (_ record: CSVRecord, _ line: Int32, _ reject: Reject) throws(InputError) -> Void
    ) throws(InputError) -> Int {
        var dataRows = 0
        while try reader.next(policy: policy, skipped: &skipped) {
            dataRows += 1
            let record = reader.record
            let line = try line32(record.line, path: reader.path)
            func reject(_ message: String, _ reason: String) throws(InputError) {
                try policy.reject(InputError(file: reader.path, line: record.line, message: message), reason: reason, &skipped)
            }
            if record.isEmpty(at: idColumn) {
                try reject("empty contact_id", Reason.emptyID)
                continue
            }
            try body(record, line, reject)
        }
        if dataRows == 0 {
            throw InputError(file: reader.path, line: nil, message: "the file has a header but no data rows")
        }
        return dataRows
    }

    /// Stops a read that kept none of its `dataRows` rows (all bad, and skipped).
    static func requireUsableRows(kept: Int, of dataRows: Int, path: String) throws(InputError) {
        if kept == 0 {
            throw InputError(
                file: path, line: nil,
                message: "no usable rows: all \(dataRows) data \(dataRows == 1 ? "row was" : "rows were") bad and skipped")
        }
    }

    /// The line as stored in `rowLines`; files of more than 2^31 lines are refused.
    static func line32(_ line: Int, path: String) throws(InputError) -> Int32 {
        guard let value = Int32(exactly: line) else {
            throw InputError(file: path, line: line, message: "the file has too many lines (at most \(Int32.max) are supported)")
        }
        return value
    }
}

extension BadRowPolicy {
    /// Stops with `error`, or, when skipping, counts it under `reason` and returns so the caller moves on.
    func reject(_ error: InputError, reason: String, _ skipped: inout SkippedRows) throws(InputError) {
        guard skip else { throw error }
        skipped.record(error, reason: reason)
    }
}

extension CSVReader {
    /// ``next()``, except that when `policy` skips bad rows, malformed records (a wrong number of fields, text
    /// after a closing quote, an unbalanced quote) are counted as "malformed row" and passed over.
    /// Errors about the whole file (it cannot be read) always stop.
    func next(policy: BadRowPolicy, skipped: inout SkippedRows) throws(InputError) -> Bool {
        while true {
            do {
                return try next()
            } catch {
                guard policy.skip, error.line != nil else { throw error }
                skipped.record(error, reason: HistoryRows.Reason.malformed)
            }
        }
    }
}
