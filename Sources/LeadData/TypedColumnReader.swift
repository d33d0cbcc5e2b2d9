/// Reads the columns of a CSV file typed as ``Table`` types them, in one pass: what ``Table/read(path:options:)`` and
/// the profile columns of ``Contacts/read(path:options:policy:skipped:)`` share.
///
/// The caller reads the file, handing each row it keeps to ``take(_:row:)``, which surveys each column's kind, keeps
/// the numbers of the columns that may be numeric and codes the values of the columns that may be categorical;
/// ``columns()`` then gives each column as what it proved to be. One pass, so that a file is opened once and a pipe
/// can be read.
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
    /// Columns that may still be numeric: their numbers are kept as read.
    private var watched: [Int]
    /// Detected columns that had a value that is not a number: surveyed on, their numbers not kept.
    private var textual: [Int] = []
    /// Whether a value reads as a date in the file's formats.
    private let isDate: (UnsafeBufferPointer<UInt8>) -> Bool
    /// The numbers of each watched column, NaN where a value is missing or not finite.
    private var numbers: [[Double]]
    /// NaN, Inf or overflow in a detected column, by row: an error only if the column ends up numeric.
    private var nonFinite: [[(row: Int, text: String)]]
    /// The levels and codes of every column that may be categorical (all read columns but the forced numeric ones).
    private var interners: [StringInterner]
    private var codes: [[Int32]]
    private let coded: [Int]

    /// Checks `options` against the header of `reader` (which has read nothing else yet) and prepares to read
    /// every column but the ignored ones and the `required` ones, which the options may not name.
    init(reader: CSVReader, options: TableReadOptions, required: Set<String> = []) throws(InputError) {
        for name in options.required { _ = try reader.requireColumn(name) }
        try Self.check(options, against: reader, required: required)
        let header = reader.header
        let surveys = header.map { name in
            TableColumnSurvey(
                mode: options.ignore.contains(name) ? .ignored
                    : options.numeric.contains(name) ? .forcedNumeric
                    : options.categorical.contains(name) || options.keepsText ? .forcedCategorical : .detect)
        }
        path = reader.path
        isDate = { [reader] in reader.timestamp($0) != nil }
        self.header = header
        self.surveys = surveys
        columnIndices = header.indices.filter { surveys[$0].mode != .ignored && !required.contains(header[$0]) }
        forcedNumeric = columnIndices.filter { surveys[$0].mode == .forcedNumeric }
        watched = columnIndices.filter { surveys[$0].mode == .forcedNumeric || surveys[$0].mode == .detect }
        numbers = header.map { _ in [] }
        nonFinite = header.map { _ in [] }
        interners = header.map { _ in StringInterner() }
        codes = header.map { _ in [] }
        coded = columnIndices.filter { surveys[$0].mode != .forcedNumeric }
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
                return "column \(Echo.quoted(header[j])): \(Echo.quoted(try text(j))) is not a number (the column was declared numeric)"
            }
        }
        return nil
    }

    /// Takes in the values of a row the caller keeps; `row` counts the rows kept before it. The row must have passed
    /// ``forcedNumberError(in:text:)``; a value that is not valid UTF-8 is an error naming its column.
    mutating func take(_ record: CSVRecord, row: Int) throws(InputError) {
        for j in coded {
            guard let code = record.withBytes(at: j, { interners[j].intern($0) }) else {
                _ = try record.string(at: j)  // throws the invalid UTF-8 error
                preconditionFailure("a value the interner refuses is not valid UTF-8")
            }
            codes[j].append(code)
        }
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
                record.withBytes(at: j) { surveys[j].observeText($0, line: record.line, isDate: isDate) }
                continue
            }
            surveys[j].observe(field)
        }
        // Columns that had a word go on being surveyed, to tell categories from numbers with a few mistakes or dates.
        for j in textual {
            let field = record.number(at: j)
            if case .notNumeric = field {
                record.withBytes(at: j) { surveys[j].observeText($0, line: record.line, isDate: isDate) }
            } else {
                surveys[j].observe(field)
            }
        }
        if dropped {
            textual += watched.filter { !surveys[$0].allNumeric && surveys[$0].mode == .detect }
            watched.removeAll { !surveys[$0].allNumeric }
        }
    }

    /// Checks what the columns proved to be: numbers with a few words among them, or numbers in a notation the
    /// format does not describe, are errors at the first such value (a number column must not silently become
    /// categories); columns of dates are left out, and named in the notes returned.
    func checkKinds() throws(InputError) -> [String] {
        var notes: [String] = []
        for j in columnIndices where !surveys[j].isNumeric {
            switch surveys[j].verdict {
            case .categorical:
                continue
            case .dates:
                notes.append("\(Self.fileName(path)): column \(Echo.quoted(header[j])) holds dates (such as \(Echo.quoted(surveys[j].firstDate?.text ?? ""))): left out, since a category per date means nothing")
            case .strayText(let text, let line, let others):
                throw InputError(file: path, line: line,
                                 message: "column \(Echo.quoted(header[j])): \(Echo.quoted(text)) is not a number (the other \(others) values are)",
                                 remedy: .numberColumn(header[j]))
            case .otherNotation(let text, let line, let format):
                throw InputError(file: path, line: line,
                                 message: "column \(Echo.quoted(header[j])): \(Echo.quoted(text)) is a number written with a separator the file's format does not describe: say so in the source description's format (\(format))")
            }
        }
        return notes
    }

    /// The names of the columns ``checkKinds()`` leaves out as dates.
    var dateColumns: Set<Int> {
        Set(columnIndices.filter { !surveys[$0].isNumeric && surveys[$0].verdict == .dates })
    }

    private static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
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
        // Levels anew from the rows kept, in order of first appearance, so that a level only dropped rows had is gone.
        for j in coded where !surveys[j].isNumeric {
            var rebuilt = StringInterner()
            let old = interners[j].strings
            codes[j] = kept.map { rebuilt.intern(old[Int(codes[j][$0])]) }
            interners[j] = rebuilt
        }
    }

    /// The typed columns, in header order: the numeric ones as numbers, the categorical ones coded (levels in order of
    /// first appearance in the rows kept).
    func columns() -> [TableColumn] {
        let dates = dateColumns
        return columnIndices.filter { !dates.contains($0) }.map { j in
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
                    if options.kindsMayNameAbsentColumns { continue }
                    throw InputError(
                        file: reader.path, line: nil,
                        message: "column \(Echo.quoted(name)) was declared \(kind), but the file has no such column (the header has: \(reader.headerList))\(Suggestion.phrase(name, in: reader.header))")
                }
                if required.contains(name) {
                    throw InputError(
                        file: reader.path, line: nil,
                        message: "column \(Echo.quoted(name)) is required and cannot be declared \(kind); only profile columns can")
                }
            }
        }
        for (a, first) in lists.enumerated() {
            for second in lists[(a + 1)...] {
                if let name = first.1.intersection(second.1).sorted().first {
                    throw InputError(
                        file: reader.path, line: nil,
                        message: "column \(Echo.quoted(name)) was declared both \(first.0) and \(second.0); choose one")
                }
            }
        }
    }
}
