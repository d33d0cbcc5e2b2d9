import Foundation

/// A streaming RFC 4180 reader over a file: header row, comma separator, optional double quotes.
///
/// Reads the file in large chunks and never holds more than one record, so it runs in constant memory
/// whatever the file's size. Quoted fields may contain commas, doubled quotes and line ends; LF, CRLF and
/// lone CR all end records; a UTF-8 byte order mark is skipped and empty lines are ignored. Every error
/// says `file:line: what is wrong`.
///
/// ```swift
/// let reader = try CSVReader(path: "contacts.csv")
/// let id = try reader.requireColumn("contact_id")
/// while try reader.next() {
///     let contact = try reader.record.string(at: id)
/// }
/// ```
///
/// After an error about one record (a wrong number of fields, text after a closing quote), ``next()``
/// can be called again and continues with the following record, so callers can skip bad rows.
package final class CSVReader {
    /// The path as given to ``init(path:)``; errors name it.
    package let path: String
    /// The column names from the header row, a UTF-8 byte order mark stripped from the first.
    package let header: [String]
    /// The current record after ``next()`` returned `true` (before the first call: the header row).
    package private(set) var record: CSVRecord
    /// The physical line on which the header row starts (1 unless the file begins with empty lines).
    package let headerLine: Int

    /// The record splitter; hot loops (``EventReader``) read its fields directly.
    let scanner: CSVScanner
    private let columnIndices: [String: Int]

    /// The size of each read; large enough that system calls cost nothing next to parsing.
    static let defaultChunkSize = 1 << 20

    /// Opens the file and reads and checks the header row (not empty, names non-empty and distinct, UTF-8).
    package convenience init(path: String) throws(InputError) {
        try self.init(path: path, chunkSize: Self.defaultChunkSize)
    }

    /// Opens a file written in `format` (separator, encoding, numbers, dates), read as UTF-8 with `,` and ISO 8601
    /// by default.
    public convenience init(path: String, format: CSVFormat) throws(InputError) {
        try self.init(path: path, chunkSize: Self.defaultChunkSize, format: format)
    }

    /// As ``init(path:)`` with a chosen read size; tests use tiny chunks to put boundaries everywhere.
    convenience init(path: String, chunkSize: Int, format: CSVFormat = .standard) throws(InputError) {
        try self.init(scanner: try CSVScanner(path: path, chunkSize: chunkSize, format: format), path: path, format: format)
    }

    /// Reads CSV that a producer writes into `stream` (a database table), named in errors by the stream's name.
    package convenience init(stream: CSVStream, chunkSize: Int = defaultChunkSize, format: CSVFormat = .standard) throws(InputError) {
        try self.init(scanner: try CSVScanner(stream: stream, chunkSize: chunkSize, format: format), path: stream.name, format: format)
    }

    private init(scanner: CSVScanner, path: String, format: CSVFormat) throws(InputError) {
        guard try scanner.nextRecord() else {
            throw InputError(file: path, line: nil, message: "the file is empty: expected a header row")
        }
        let line = scanner.recordLine
        var names: [String] = []
        var indices: [String: Int] = [:]
        for i in 0..<scanner.fieldCount {
            guard let name = String(validating: scanner.field(i), as: UTF8.self) else {
                throw InputError(file: path, line: line, message: "invalid UTF-8 in the header (column \(i + 1))")
            }
            if name.isEmpty {
                throw InputError(file: path, line: line, message: "column \(i + 1) has an empty name in the header")
            }
            if let first = indices[name] {
                throw InputError(
                    file: path, line: line,
                    message: "column \(Echo.quoted(name)) appears twice in the header (columns \(first + 1) and \(i + 1))")
            }
            indices[name] = i
            names.append(name)
        }
        self.path = path
        self.header = names
        self.headerLine = line
        self.scanner = scanner
        self.columnIndices = indices
        self.record = CSVRecord(scanner: scanner, columnNames: names, line: line, format: format)
        self.format = format
        self.dates = format.dates.isStandard ? nil : DateParser(format.dates)
    }

    /// How the file is written.
    public let format: CSVFormat
    /// Bytes of the file read so far (after transcoding, for a file that is not UTF-8).
    package var bytesRead: Int { scanner.bytesConsumed }
    /// Reads its dates and times when they are not leadscore's own (ISO 8601 in UTC); nil for those.
    let dates: DateParser?

    /// The timestamp in `bytes`, as the file's format writes them.
    @inline(__always)
    func timestamp(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        if let dates { return dates.parse(bytes) }
        return Timestamp.parse(bytes)
    }

    /// Advances to the next record; `false` at the end of the file.
    ///
    /// A record whose field count differs from the header's is an error at the line where it starts; the
    /// reader stays usable and the next call moves past it.
    package func next() throws(InputError) -> Bool {
        guard try scanner.nextRecord() else { return false }
        record.line = scanner.recordLine
        let found = scanner.fieldCount
        if found != header.count {
            var message = "expected \(header.count) \(header.count == 1 ? "field" : "fields") (as in the header), found \(found)"
            if let hint = separatorHint(found: found) {
                message += " " + hint
            }
            throw InputError(file: path, line: scanner.recordLine, message: message)
        }
        return true
    }

    /// The 0-based index of the column named `name`, if the header has it.
    package func columnIndex(_ name: String) -> Int? {
        columnIndices[name]
    }

    /// The 0-based index of the column named `name`, or an error that lists the columns the header has.
    package func requireColumn(_ name: String) throws(InputError) -> Int {
        if let index = columnIndices[name] { return index }
        var message = "missing column \(Echo.quoted(name)) (the header has: \(headerList))"
        if let near = header.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == name }) {
            message += "; column \(near + 1) is \(Echo.quoted(header[near])), with extra spaces"
        } else if let near = header.firstIndex(where: { $0.lowercased() == name.lowercased() }) {
            message += "; column \(near + 1) is \(Echo.quoted(header[near])): names are case-sensitive"
        } else if header.count == 1, let hint = headerSeparatorHint() {
            message += " " + hint
        } else if let near = Suggestion.closest(to: name, in: header) {
            message += "; did you mean \(Echo.quoted(near))?"
        }
        throw InputError(file: path, line: headerLine, message: message)
    }

    /// The header's names for a message: each cut as ``Echo`` cuts values, at most 30 of them.
    package var headerList: String {
        let shown = header.prefix(30).map { Echo.text($0, limit: 40) }.joined(separator: ", ")
        return header.count > 30 ? shown + ", ... (\(header.count) columns)" : shown
    }

    // MARK: Hints

    /// A guess at why a record has the wrong number of fields, when the file looks like it uses another separator.
    private func separatorHint(found: Int) -> String? {
        if header.count == 1 || found < header.count {
            if scanner.recordContains(0x3B) { return "(is the file comma-separated? this line has semicolons)" }
            if scanner.recordContains(0x09) { return "(is the file comma-separated? this line has tabs)" }
        }
        guard header.count == 1 else { return nil }
        if let hint = headerSeparatorHint() { return hint }
        return "(the header has a single column, \(Echo.quoted(header[0], limit: 40)): is the first line of the file the header row?)"
    }

    /// The hint for a one-column header that contains semicolons or tabs.
    private func headerSeparatorHint() -> String? {
        if header[0].contains(";") { return "(is the file comma-separated? the header has semicolons)" }
        if header[0].contains("\t") { return "(is the file comma-separated? the header has tabs)" }
        return nil
    }
}
