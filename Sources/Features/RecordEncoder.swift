package import LeadData

/// Encodes one CSV record at a time into a row of standardised features, exactly as
/// `TableEncoding.design(for:labelled: false)` encodes the same row read into a `Table`: the same imputation, missing
/// indicators, one-hot levels and pooling, the same arithmetic, so the same bits.
///
/// Built once per file from a model's encoding and the file's header. Encoding a record allocates nothing (an unseen
/// category level of more than 15 bytes aside), so a scorer can stream millions of rows through one reusable buffer.
/// A level the model never saw (nor pooled into `other` at training), and a missing value where training had none,
/// count as the average lead: every feature of the column at its training mean, so the column moves the score by
/// nothing. Neither `other` (a handful of rare leads, whose weight can be large) nor the reference level (a real,
/// specific level) says anything about a value nobody has seen.
package struct RecordEncoder: Sendable {
    /// The file being encoded, for errors.
    package let path: String
    /// The number of features written per row (`encoding.features.count`).
    package let featureCount: Int

    // Plain values in flat arrays, read through buffer pointers: the per-record loop retains nothing.
    private let numeric: [NumericSource]
    private let numericNames: [String]
    private let categorical: [CategoricalSource]
    private let levelFeatures: [LevelFeature]

    /// A numeric source column and the features it feeds (-1: no such feature).
    private struct NumericSource: Sendable {
        let index: Int
        /// The value feature's position, mean and scale, and the standardised imputed value (for a missing value).
        let valueFeature: Int
        let mean: Double
        let scale: Double
        let imputedZ: Double
        /// The missing indicator's position, and its standardised 0 and 1.
        let missingFeature: Int
        let absent: Double
        let present: Double
        /// The training range of the raw value; values outside it are scored at its edge.
        let low: Double
        let high: Double
    }

    /// A categorical source column: the levels the encoding knows (the reference and the levels with a feature),
    /// frozen, and its features in `levelFeatures`.
    private struct CategoricalSource: Sendable {
        let index: Int
        let known: StringInterner
        let features: Range<Int>
        /// For drift notes: the column, and the levels pooled at training (seen, though not `known`: they count as
        /// `other`).
        let name: String
        let pooled: Set<String>
    }

    /// One feature of a categorical column: its position, the code of its level in `known` (-1 for `other`, which
    /// fires for every level `known` lacks), and its standardised 0 and 1.
    private struct LevelFeature: Sendable {
        let feature: Int
        let code: Int32
        let zero: Double
        let one: Double
    }

    /// How an empty categorical field is looked up (`TableEncoding.missingLevel`).
    private static let missingLevelBytes = Array(TableEncoding.missingLevel.utf8)

    /// Prepares to encode records of a file with `header` (at `headerLine` of `path`).
    ///
    /// Every column the encoding uses must be in the header; otherwise the error names the missing ones and every
    /// column the model needs. Extra columns are ignored.
    package init(encoding: TableEncoding, header: [String], path: String, headerLine: Int = 1) throws(InputError) {
        var position: [String: Int] = [:]
        for (i, name) in header.enumerated() where position[name] == nil { position[name] = i }
        var byColumn: [String: [(Int, TableFeature)]] = [:]
        var order: [String] = []
        for (j, feature) in encoding.features.enumerated() {
            if byColumn[feature.column] == nil { order.append(feature.column) }
            byColumn[feature.column, default: []].append((j, feature))
        }
        let absent = order.filter { position[$0] == nil }
        if !absent.isEmpty {
            let list = absent.map { "\(Echo.quoted($0))" }.joined(separator: ", ")
            throw InputError(file: path, line: headerLine,
                             message: "missing column\(absent.count == 1 ? "" : "s") \(list), which the model uses (it needs: \(order.joined(separator: ", ")))")
        }
        let recipes = Dictionary(encoding.recipes.map { ($0.column, $0) }, uniquingKeysWith: { a, _ in a })
        var numeric: [NumericSource] = [], numericNames: [String] = []
        var categorical: [CategoricalSource] = [], levelFeatures: [LevelFeature] = []
        for column in order {
            let features = byColumn[column]!
            let index = position[column]!
            guard let recipe = recipes[column] else {
                throw InputError(file: path, line: nil, message: "the model's encoding has no recipe for column \(Echo.quoted(column)): the model file is damaged")
            }
            switch recipe.role {
            case .numeric:
                var value: (feature: Int, mean: Double, scale: Double) = (-1, 0, 1)
                var range = -Double.infinity...Double.infinity
                var missing: (feature: Int, absent: Double, present: Double) = (-1, 0, 0)
                for (j, f) in features {
                    switch f.kind {
                    case .value:
                        value = (j, f.mean, f.scale)
                        if let r = f.range { range = r }
                    case .missing: missing = (j, (0 - f.mean) / f.scale, (1 - f.mean) / f.scale)
                    case .level, .other:
                        throw InputError(file: path, line: nil, message: "feature \(Echo.quoted(f.name)) is a category level of the numeric column \(Echo.quoted(column)): the model file is damaged")
                    }
                }
                numeric.append(NumericSource(index: index, valueFeature: value.feature, mean: value.mean, scale: value.scale,
                                             imputedZ: ((recipe.imputedValue ?? 0) - value.mean) / value.scale,
                                             missingFeature: missing.feature, absent: missing.absent, present: missing.present,
                                             low: range.lowerBound, high: range.upperBound))
                numericNames.append(column)
            case .categorical:
                var known = StringInterner()
                for level in [recipe.reference].compactMap({ $0 }) + (recipe.levels ?? []) { _ = known.intern(level) }
                let first = levelFeatures.count
                for (j, f) in features {
                    let zero = (0 - f.mean) / f.scale, one = (1 - f.mean) / f.scale
                    switch f.kind {
                    case .level(let level):
                        // A level feature whose level is not among the recipe's levels never fires, as in TableEncoding.
                        levelFeatures.append(LevelFeature(feature: j, code: known.code(of: level) ?? -2, zero: zero, one: one))
                    case .other:
                        levelFeatures.append(LevelFeature(feature: j, code: -1, zero: zero, one: one))
                    case .value, .missing:
                        throw InputError(file: path, line: nil, message: "feature \(Echo.quoted(f.name)) is numeric, but its column \(Echo.quoted(column)) is categorical: the model file is damaged")
                    }
                }
                categorical.append(CategoricalSource(index: index, known: known, features: first..<levelFeatures.count, name: column,
                                                     pooled: Set(recipe.pooled ?? [])))
            case .dropped:
                throw InputError(file: path, line: nil, message: "column \(Echo.quoted(column)) was dropped at training but has features: the model file is damaged")
            }
        }
        self.path = path
        self.featureCount = encoding.features.count
        self.numeric = numeric
        self.numericNames = numericNames
        self.categorical = categorical
        self.levelFeatures = levelFeatures
    }

    /// Writes the standardised features of `record` into `row` (at least ``featureCount`` long).
    ///
    /// A value in a numeric column that is not a number, or is NaN or infinite, is an error at the record's line that
    /// names the column and the value.
    package func encode(_ record: CSVRecord, into row: UnsafeMutableBufferPointer<Double>) throws(InputError) {
        var notes = EncodingNotes()
        try encode(record, into: row, notes: &notes)
    }

    /// As ``encode(_:into:)``, noting category levels the model never saw and numbers far outside the training range
    /// in `notes`.
    package func encode(_ record: CSVRecord, into row: UnsafeMutableBufferPointer<Double>,
                       notes: inout EncodingNotes) throws(InputError) {
        try encodeRecord(record, into: row, notes: &notes)
    }

    /// The encoding of any ``FeatureRecord`` (specialised for each within this module, so the CSV path pays nothing
    /// for sharing it with ``TableRowEncoder``).
    func encodeRecord<Record: FeatureRecord>(_ record: Record, into row: UnsafeMutableBufferPointer<Double>,
                                             notes: inout EncodingNotes) throws(InputError) {
        precondition(row.count >= featureCount, "the row buffer holds \(row.count) values, the model has \(featureCount) features")
        try numeric.withUnsafeBufferPointer { sources throws(InputError) in
            for k in sources.indices {
                let source = sources[k]
                let isMissing: Bool
                var number = 0.0
                switch record.number(at: source.index) {
                case .value(let v): isMissing = false; number = v
                case .missing: isMissing = true
                case .nonFinite(let text):
                    throw InputError(file: path, line: record.errorLine, message: Self.nonFiniteMessage(column: numericNames[k], text: text))
                case .notNumeric:
                    throw InputError(file: path, line: record.errorLine,
                                     message: "column \(Echo.quoted(numericNames[k])): \(Echo.quoted(try record.string(at: source.index))) is not a number (the model was trained on numbers in this column)")
                }
                if source.valueFeature >= 0 {
                    if !isMissing, !(source.low...source.high).contains(number) {
                        let range = source.low...source.high
                        if EncodingNotes.isFarOutside(number, range) { notes.record(column: numericNames[k], range: range, value: number) }
                        number = min(max(number, source.low), source.high)
                    }
                    row[source.valueFeature] = isMissing ? source.imputedZ : (number - source.mean) / source.scale
                }
                if source.missingFeature >= 0 {
                    row[source.missingFeature] = isMissing ? source.present : source.absent
                }
            }
        }
        try categorical.withUnsafeBufferPointer { sources throws(InputError) in
            try levelFeatures.withUnsafeBufferPointer { levels throws(InputError) in
                for k in sources.indices {
                    let index = sources[k].index
                    let found: Int32? = record.isEmpty(at: index)
                        ? Self.missingLevelBytes.withUnsafeBufferPointer { sources[k].known.code(of: $0) }
                        : record.code(at: index, in: sources[k].known)
                    var unseen = false
                    if found == nil {
                        // An unseen level must still be text, as Table.read insists.
                        let text = record.isEmpty(at: index) ? TableEncoding.missingLevel : try record.string(at: index)
                        if !sources[k].pooled.contains(text) {
                            unseen = true
                            notes.record(column: sources[k].name, fallback: Self.unseenFallback, level: text)
                        }
                    }
                    let code = found ?? -1
                    for f in sources[k].features {
                        let level = levels[f]
                        // Unknown means average: every feature of the column at its training mean (0 once
                        // standardised), so the column adds nothing to the log-odds against the average lead.
                        row[level.feature] = unseen ? 0 : level.code == code ? level.one : level.zero
                    }
                }
            }
        }
    }

    /// For each categorical source, its column position and the levels the encoding knows: what a row held in a
    /// ``Table`` needs to translate its own level codes once per table rather than once per value.
    var categoricalVocabularies: [(index: Int, known: StringInterner)] {
        categorical.map { ($0.index, $0.known) }
    }

    /// What an unseen level counts as, in notes and warnings.
    static let unseenFallback = "average (no effect on the score)"

    /// The message `Table.read` gives for NaN, an infinity or an overflowing number.
    private static func nonFiniteMessage(column: String, text: String) -> String {
        let unsigned = text.first == "+" || text.first == "-" ? text.dropFirst() : Substring(text)
        if let first = unsigned.first, first == "." || first.isASCII && first.isNumber {
            return "column \(Echo.quoted(column)): \(Echo.text(text)) is too large for a Double"
        }
        return "column \(Echo.quoted(column)): \(Echo.text(text)) is not a usable number"
    }
}
