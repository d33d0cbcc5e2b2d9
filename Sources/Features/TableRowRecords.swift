import LeadData

/// The rows of a ``Table`` as ``RecordEncoder`` reads records, so that a table held in memory is encoded by the very
/// arithmetic that encodes a CSV record or a lead posted to the server: ``TableEncoding/design(for:labelled:)`` is this
/// loop, not a copy of it.
///
/// A table codes its category levels by its own vocabulary; each column's codes are translated into the encoding's
/// once, when the records are made, so that a row costs an array read per category.
struct TableRowRecords {
    let table: Table
    /// For each table column: nothing for numbers; for categories, the encoding's code of each table level (nil for a
    /// level the encoding does not know).
    private let translations: [[Int32?]]

    init(table: Table, encoder: RecordEncoder) {
        self.table = table
        var translations = [[Int32?]](repeating: [], count: table.columns.count)
        for (index, known) in encoder.categoricalVocabularies {
            if case .categorical(_, let levels) = table.columns[index].values {
                translations[index] = levels.map { known.code(of: $0) }
            }
        }
        self.translations = translations
    }

    /// Row `i` as a record.
    func record(_ i: Int) -> Row { Row(records: self, row: i) }

    struct Row: FeatureRecord {
        let records: TableRowRecords
        let row: Int

        var errorLine: Int? { Int(records.table.rowLines[row]) }

        func isEmpty(at i: Int) -> Bool {
            switch records.table.columns[i].values {
            case .categorical(let codes, let levels): levels[Int(codes[row])].isEmpty
            case .numeric(let values): values[row].isNaN
            }
        }

        func string(at i: Int) -> String {
            switch records.table.columns[i].values {
            case .categorical(let codes, let levels): levels[Int(codes[row])]
            case .numeric(let values): values[row].isNaN ? "" : DecimalText.readable(values[row])
            }
        }

        func code(at i: Int, in vocabulary: StringInterner) -> Int32? {
            switch records.table.columns[i].values {
            case .categorical(let codes, _): records.translations[i][Int(codes[row])]
            case .numeric: nil
            }
        }

        func number(at i: Int) -> NumericField {
            switch records.table.columns[i].values {
            case .numeric(let values): return values[row].isNaN ? .missing : .value(values[row])
            case .categorical(let codes, let levels):
                var text = levels[Int(codes[row])]
                return text.withUTF8 { NumericField.parse($0) }
            }
        }
    }
}
