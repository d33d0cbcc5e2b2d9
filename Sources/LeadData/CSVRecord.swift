/// The fields of one record; valid until the reader's next call to ``CSVReader/next()``.
///
/// A view into the reader's reusable buffer rather than a copy, so that reading a row allocates nothing;
/// copy out what you keep (``string(at:)``, ``number(at:)``).
package struct CSVRecord {
    let scanner: CSVScanner
    /// The header's names, for errors about a field.
    let columnNames: [String]

    /// The physical line (1-based) where this record starts; later than the previous record's line plus one
    /// when a quoted field of that record spans lines, or blank lines were skipped.
    package internal(set) var line: Int

    /// Thousands separator and decimal mark of the file's numbers.
    let thousands: UInt8?
    let decimal: UInt8

    init(scanner: CSVScanner, columnNames: [String], line: Int, format: CSVFormat = .standard) {
        self.scanner = scanner
        self.columnNames = columnNames
        self.line = line
        thousands = format.thousands
        decimal = format.decimal
    }

    /// The number of fields (equal to the header's, for records that ``CSVReader/next()`` accepted).
    package var count: Int { scanner.fieldCount }

    /// Whether field `i` is empty (zero bytes; `""` in quotes counts as empty too).
    package func isEmpty(at i: Int) -> Bool {
        scanner.field(i).isEmpty
    }

    /// Field `i` as a string; bytes that are not valid UTF-8 are an error naming the column and line.
    package func string(at i: Int) throws(InputError) -> String {
        let bytes = scanner.field(i)
        // ASCII is valid UTF-8: skip the general validation, which costs a generic call per field (ids, millions of rows).
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError(file: scanner.path, line: line, message: "invalid UTF-8 in \(columnDescription(i))")
        }
        return text
    }

    /// Calls `body` with the raw, unescaped bytes of field `i`; the pointer is valid only during the call.
    package func withBytes<R>(at i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(scanner.field(i))
    }

    /// The code of field `i` in a frozen vocabulary, or `nil` if the vocabulary lacks it; makes no `String`.
    package func code(at i: Int, in vocabulary: StringInterner) -> Int32? {
        vocabulary.code(of: scanner.field(i))
    }

    /// Field `i` parsed strictly as a number (see ``NumericField``), in the file's notation.
    package func number(at i: Int) -> NumericField {
        if thousands == nil, decimal == UInt8(ascii: ".") { return NumericField.parse(scanner.field(i)) }
        return NumericField.parse(scanner.field(i), thousands: thousands, decimal: decimal)
    }

    /// `column "name"`, or `field N` while the header itself is being read.
    func columnDescription(_ i: Int) -> String {
        i < columnNames.count ? "column \(Echo.quoted(columnNames[i]))" : "field \(i + 1)"
    }
}
