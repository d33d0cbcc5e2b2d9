package import LeadData

/// Encodes one row of feature-table values, held in memory, into standardised features, exactly as
/// `TableEncoding.design(for:labelled: false)` encodes the same row of a one-row `Table`: it is a ``RecordEncoder``
/// fed values instead of CSV fields, so the imputation, missing indicators, one-hot levels, `other` and arithmetic are
/// the very same code, and so the same bits.
///
/// Built once for a model and a fixed column layout (the HTTP server: a history model's columns in table order),
/// so that a row costs one pass over the features and no table, dictionary or column lookup by name.
package struct TableRowEncoder: Sendable {
    /// One cell of the row: a number (NaN for missing) or a category level (`""` for missing).
    package enum Value: Sendable, Equatable {
        case number(Double)
        case level(String)
    }

    private let encoder: RecordEncoder
    private let columnCount: Int

    /// The number of features written per row.
    package var featureCount: Int { encoder.featureCount }

    /// Prepares to encode rows whose cells come in the order of `columns`. Every column a feature uses must be there.
    package init(encoding: TableEncoding, columns: [String]) throws(InputError) {
        encoder = try RecordEncoder(encoding: encoding, header: columns, path: "", headerLine: 0)
        columnCount = columns.count
    }

    /// Writes the standardised features of `row` (one value per column) into `out` (at least ``featureCount`` long).
    ///
    /// A number in a column the model reads as levels is taken as unseen; text in a column the model reads as numbers
    /// must be a number, or the error names the column, as for a CSV record. Returns what the row had that training
    /// did not (unseen levels, numbers far out of range).
    @discardableResult
    package func encode(_ row: [Value], into out: UnsafeMutableBufferPointer<Double>) throws(InputError) -> EncodingNotes {
        precondition(row.count == columnCount, "one value per column")
        var notes = EncodingNotes()
        try encoder.encodeRecord(Cells(values: row), into: out, notes: &notes)
        return notes
    }

    /// A row of values as the encoder reads a record.
    private struct Cells: FeatureRecord {
        let values: [Value]

        var errorLine: Int? { nil }

        func isEmpty(at i: Int) -> Bool {
            if case .level(let text) = values[i] { text.isEmpty } else { false }
        }

        func string(at i: Int) -> String {
            switch values[i] {
            case .level(let text): text
            case .number(let x): "\(x)"
            }
        }

        func code(at i: Int, in vocabulary: StringInterner) -> Int32? {
            if case .level(let text) = values[i] { vocabulary.code(of: text) } else { nil }
        }

        func number(at i: Int) -> NumericField {
            switch values[i] {
            case .number(let x): x.isNaN ? .missing : .value(x)
            case .level(var text): text.withUTF8 { NumericField.parse($0) }
            }
        }
    }
}
