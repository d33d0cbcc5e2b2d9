/// A whole CSV table read into typed columns (table mode: one row per lead).
///
/// Each column is numeric when every non-empty value is a number, categorical otherwise (overridable with
/// ``TableReadOptions``).
public struct Table: Sendable {
    /// The path as given to ``read(path:options:)``.
    public let path: String
    /// The columns that were read, in header order (ignored columns left out).
    public let columns: [TableColumn]
    /// The physical line on which each data row starts, for error messages about a row.
    public let rowLines: [Int32]
    /// What reading decided on its own and a person should know: columns of dates left out.
    public var notes: [String] = []

    /// Assembles a table; every column must have one value per row.
    public init(path: String, columns: [TableColumn], rowLines: [Int32]) {
        for column in columns {
            precondition(column.count == rowLines.count, "column \"\(column.name)\" has \(column.count) values for \(rowLines.count) rows")
        }
        self.path = path
        self.columns = columns
        self.rowLines = rowLines
    }

    /// The number of data rows.
    public var rowCount: Int { rowLines.count }

    /// The column called `name`, unless it is absent or was ignored.
    public func column(named name: String) -> TableColumn? {
        columns.first { $0.name == name }
    }

    /// Reads a CSV file into typed columns, streaming it once: it checks the structure, counts rows, decides each
    /// column's kind, and keeps each column as numbers or as coded levels (see ``TypedColumnReader``).
    /// Memory grows with rows times columns, never with the length of the text.
    ///
    /// Errors: a header without rows; NaN, Inf or overflowing numbers in a numeric column; a non-number in a
    /// column declared numeric; options naming columns the file lacks; and every ``CSVReader`` error.
    public static func read(path: String, options: TableReadOptions = .init()) throws(InputError) -> Table {
        try read(file: SourceFile(path: path), options: options, chunkSize: CSVReader.defaultChunkSize)
    }

    /// As ``read(path:options:)`` for a file as an export has it (separator, encoding, numbers, dates).
    public static func read(file: SourceFile, options: TableReadOptions = .init()) throws(InputError) -> Table {
        try read(file: file, options: options, chunkSize: CSVReader.defaultChunkSize)
    }

    /// As ``read(path:options:)`` with a chosen read size, for tests.
    static func read(path: String, options: TableReadOptions, chunkSize: Int) throws(InputError) -> Table {
        try read(file: SourceFile(path: path), options: options, chunkSize: chunkSize)
    }

    static func read(file: SourceFile, options: TableReadOptions, chunkSize: Int) throws(InputError) -> Table {
        let path = file.path
        // One pass: structure, row count, kinds, and the values of every column.
        let reader = try file.reader(chunkSize: chunkSize)
        var columns = try TypedColumnReader(reader: reader, options: options)
        var rowLines: [Int32] = []
        while try reader.next() {
            let record = reader.record
            let line = try HistoryRows.line32(record.line, path: path)
            if let message = try columns.forcedNumberError(in: record, text: { j throws(InputError) in try record.string(at: j) }) {
                throw InputError(file: path, line: record.line, message: message)
            }
            try columns.take(record, row: rowLines.count)
            rowLines.append(line)
        }
        if rowLines.isEmpty {
            throw InputError(file: path, line: nil, message: "the file has a header but no data rows")
        }
        // The first NaN/Inf in the file (by line, then column) among the columns that are numeric.
        if let first = columns.nonFiniteNumbers().first {
            throw InputError(file: path, line: Int(rowLines[first.row]), message: first.message)
        }

        let notes = try columns.checkKinds()
        var table = Table(path: path, columns: columns.columns(), rowLines: rowLines)
        table.notes = notes
        return table
    }
}
