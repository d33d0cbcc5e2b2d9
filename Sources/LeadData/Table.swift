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

    /// Reads a CSV file into typed columns, streaming it at most twice.
    ///
    /// The first pass checks the structure, counts rows, decides each column's kind and keeps the numbers of
    /// columns that stay numeric; a second pass, only when some column is categorical, codes those columns.
    /// Memory grows with rows times columns, never with the length of the text.
    ///
    /// Errors: a header without rows; NaN, Inf or overflowing numbers in a numeric column; a non-number in a
    /// column declared numeric; options naming columns the file lacks; and every ``CSVReader`` error.
    public static func read(path: String, options: TableReadOptions = .init()) throws(InputError) -> Table {
        try read(path: path, options: options, chunkSize: CSVReader.defaultChunkSize)
    }

    /// As ``read(path:options:)`` with a chosen read size, for tests.
    static func read(path: String, options: TableReadOptions, chunkSize: Int) throws(InputError) -> Table {
        // Pass 1: structure, row count, kinds, and the numbers of the columns that may be numeric.
        let reader = try CSVReader(path: path, chunkSize: chunkSize)
        let header = reader.header
        try check(options, against: reader)
        var surveys = header.map { name in
            TableColumnSurvey(
                mode: options.ignore.contains(name) ? .ignored
                    : options.numeric.contains(name) ? .forcedNumeric
                    : options.categorical.contains(name) ? .forcedCategorical : .detect)
        }
        var numbers = header.map { _ in [Double]() }
        // Columns that still need a look at each value; detected columns leave once they prove categorical.
        var watched = surveys.indices.filter { surveys[$0].mode == .forcedNumeric || surveys[$0].mode == .detect }
        var rowLines: [Int32] = []
        while try reader.next() {
            let record = reader.record
            guard let line = Int32(exactly: record.line) else {
                throw InputError(file: path, line: record.line, message: "the file has too many lines (at most \(Int32.max) are supported)")
            }
            rowLines.append(line)
            var dropped = false
            for j in watched {
                let field = record.number(at: j)
                switch field {
                case .value(let value):
                    numbers[j].append(value)
                case .missing:
                    numbers[j].append(.nan)
                case .nonFinite(let text) where surveys[j].mode == .forcedNumeric:
                    throw InputError(
                        file: path, line: record.line,
                        message: TableColumnSurvey.nonFiniteMessage(column: header[j], text: text))
                case .notNumeric where surveys[j].mode == .forcedNumeric:
                    let text = try record.string(at: j)
                    throw InputError(
                        file: path, line: record.line,
                        message: "column \"\(header[j])\": \"\(text)\" is not a number (the column was declared numeric)")
                case .nonFinite:
                    numbers[j].append(.nan)  // an error below if the column stays numeric
                case .notNumeric:
                    numbers[j] = []
                    dropped = true
                }
                surveys[j].observe(field, line: record.line)
            }
            if dropped {
                watched.removeAll { !surveys[$0].allNumeric }
            }
        }
        if rowLines.isEmpty {
            throw InputError(file: path, line: nil, message: "the file has a header but no data rows")
        }
        // The first NaN/Inf in the file (by line, then column) among the columns that are numeric.
        let firstBad = surveys.indices
            .compactMap { j in surveys[j].isNumeric ? surveys[j].firstNonFinite.map { (j, $0.text, $0.line) } : nil }
            .min { ($0.2, $0.0) < ($1.2, $1.0) }
        if let (j, text, line) = firstBad {
            throw InputError(file: path, line: line, message: TableColumnSurvey.nonFiniteMessage(column: header[j], text: text))
        }

        // Pass 2, only if needed: code the categorical columns, levels in order of first appearance.
        let kept = surveys.indices.filter { surveys[$0].mode != .ignored }
        let categorical = kept.filter { !surveys[$0].isNumeric }
        var codes = header.map { _ in [Int32]() }
        var interners = header.map { _ in StringInterner() }
        if !categorical.isEmpty {
            let changed = InputError(file: path, line: nil, message: "the file changed while it was being read; try again")
            let second = try CSVReader(path: path, chunkSize: chunkSize)
            guard second.header == header else { throw changed }
            for j in categorical { codes[j].reserveCapacity(rowLines.count) }
            var row = 0
            while try second.next() {
                let record = second.record
                guard row < rowLines.count, record.line == Int(rowLines[row]) else { throw changed }
                row += 1
                for j in categorical {
                    guard let code = record.withBytes(at: j, { interners[j].intern($0) }) else {
                        _ = try record.string(at: j)  // throws the invalid UTF-8 error
                        throw changed
                    }
                    codes[j].append(code)
                }
            }
            guard row == rowLines.count else { throw changed }
        }

        let columns = kept.map { j in
            surveys[j].isNumeric
                ? TableColumn(name: header[j], values: .numeric(numbers[j]))
                : TableColumn(name: header[j], values: .categorical(codes: codes[j], levels: interners[j].strings))
        }
        return Table(path: path, columns: columns, rowLines: rowLines)
    }

    /// Options must name columns the file has, and give each column at most one treatment.
    private static func check(_ options: TableReadOptions, against reader: CSVReader) throws(InputError) {
        let lists = [("categorical", options.categorical), ("numeric", options.numeric), ("ignored", options.ignore)]
        for (kind, names) in lists {
            for name in names.sorted() where reader.columnIndex(name) == nil {
                throw InputError(
                    file: reader.path, line: nil,
                    message: "column \"\(name)\" was declared \(kind), but the file has no such column (the header has: \(reader.header.joined(separator: ", ")))")
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
