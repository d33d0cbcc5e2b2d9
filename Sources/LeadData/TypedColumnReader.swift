/// Reads the columns of a CSV file typed as ``Table`` types them, in at most two passes: what
/// ``Table/read(path:options:)`` and the profile columns of ``Contacts/read(path:options:policy:skipped:)`` share.
///
/// The caller runs pass 1, handing each row it keeps to ``take(_:row:)``, which surveys each column's kind and
/// keeps the numbers of the columns that may be numeric; ``columns(rowLines:chunkSize:policy:)`` then reads the
/// file again, only when some column is categorical, to code those columns.
struct TypedColumnReader {
    /// The path of the file, for errors.
    let path: String
    /// The file's header.
    let header: [String]
    /// The header indices of the columns read (neither ignored nor required), in header order.
    let columnIndices: [Int]

    private var surveys: [TableColumnSurvey]
    /// The columns declared numeric, whose every value must be a usable number.
    private let forcedNumeric: [Int]
    /// Columns that still need a look at each value; detected columns leave once they prove categorical.
    private var watched: [Int]
    /// The numbers of each watched column, NaN where a value is missing or not finite.
    private var numbers: [[Double]]
    /// NaN, Inf or overflow in a detected column, by row: an error only if the column ends up numeric.
    private var nonFinite: [[(row: Int, text: String)]]

    /// Checks `options` against the header of `reader` (which has read nothing else yet) and prepares to read
    /// every column but the ignored ones and the `required` ones, which the options may not name.
    init(reader: CSVReader, options: TableReadOptions, required: Set<String> = []) throws(InputError) {
        try Self.check(options, against: reader, required: required)
        let header = reader.header
        let surveys = header.map { name in
            TableColumnSurvey(
                mode: options.ignore.contains(name) ? .ignored
                    : options.numeric.contains(name) ? .forcedNumeric
                    : options.categorical.contains(name) ? .forcedCategorical : .detect)
        }
        path = reader.path
        self.header = header
        self.surveys = surveys
        columnIndices = header.indices.filter { surveys[$0].mode != .ignored && !required.contains(header[$0]) }
        forcedNumeric = columnIndices.filter { surveys[$0].mode == .forcedNumeric }
        watched = columnIndices.filter { surveys[$0].mode == .forcedNumeric || surveys[$0].mode == .detect }
        numbers = header.map { _ in [] }
        nonFinite = header.map { _ in [] }
    }

    /// The message for the first column declared numeric (in header order) whose value in `record` is not a
    /// usable number, or nil when there is none; `text` gives a value as the message shows it.
    func forcedNumberError(in record: CSVRecord, text: (Int) throws(InputError) -> String) throws(InputError) -> String? {
        for j in forcedNumeric {
            switch record.number(at: j) {
            case .missing, .value:
                continue
            case .nonFinite(let value):
                return TableColumnSurvey.nonFiniteMessage(column: header[j], text: value)
            case .notNumeric:
                return "column \"\(header[j])\": \"\(try text(j))\" is not a number (the column was declared numeric)"
            }
        }
        return nil
    }

    /// Takes in the values of a row the caller keeps (pass 1); `row` counts the rows kept before it.
    /// The row must have passed ``forcedNumberError(in:text:)``.
    mutating func take(_ record: CSVRecord, row: Int) {
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

    /// The NaN, Inf and overflowing values in the columns that are numeric, by row and then column, each with
    /// its message: every one makes its row bad.
    func nonFiniteNumbers() -> [(row: Int, message: String)] {
        var found: [(row: Int, column: Int, text: String)] = []
        for j in columnIndices where surveys[j].isNumeric {
            found += nonFinite[j].map { ($0.row, j, $0.text) }
        }
        found.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        return found.map { ($0.row, TableColumnSurvey.nonFiniteMessage(column: header[$0.column], text: $0.text)) }
    }

    /// Keeps only the rows `kept` (ascending indices into the rows taken), to drop the rows that
    /// ``nonFiniteNumbers()`` named.
    mutating func keepRows(_ kept: [Int]) {
        for j in columnIndices where surveys[j].isNumeric {
            numbers[j] = kept.map { numbers[j][$0] }
            nonFinite[j] = []
        }
    }

    /// The typed columns, in header order: the numeric ones as taken, and the categorical ones coded by a second
    /// read of the rows that start on `rowLines` (levels in order of first appearance), only if there are any.
    ///
    /// With `policy.skip` the second read passes over the rows left out of `rowLines`, as the first did; without,
    /// every record must be one of `rowLines`. A file that no longer matches the first read is an error.
    func columns(rowLines: [Int32], chunkSize: Int, policy: BadRowPolicy) throws(InputError) -> [TableColumn] {
        let categorical = columnIndices.filter { !surveys[$0].isNumeric }
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
                if policy.skip {
                    guard row < rowLines.count else { break }
                    if record.line < Int(rowLines[row]) { continue }
                }
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
        return columnIndices.map { j in
            surveys[j].isNumeric
                ? TableColumn(name: header[j], values: .numeric(numbers[j]))
                : TableColumn(name: header[j], values: .categorical(codes: codes[j], levels: interners[j].strings))
        }
    }

    /// Options must name columns the file has, other than the `required` ones, and give each column at most
    /// one treatment.
    private static func check(_ options: TableReadOptions, against reader: CSVReader, required: Set<String>) throws(InputError) {
        let lists = [("categorical", options.categorical), ("numeric", options.numeric), ("ignored", options.ignore)]
        for (kind, names) in lists {
            for name in names.sorted() {
                if reader.columnIndex(name) == nil {
                    throw InputError(
                        file: reader.path, line: nil,
                        message: "column \"\(name)\" was declared \(kind), but the file has no such column (the header has: \(reader.header.joined(separator: ", ")))")
                }
                if required.contains(name) {
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
