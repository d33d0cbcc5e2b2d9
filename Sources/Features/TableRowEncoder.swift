import LeadData

/// Encodes one row of feature-table values, held in memory, into standardised features, exactly as
/// `TableEncoding.design(for:labelled: false)` encodes the same row of a one-row `Table`: the same imputation, missing
/// indicators, one-hot levels and `other`, the same arithmetic, so the same bits (as ``RecordEncoder`` does for CSV
/// records).
///
/// Built once for a model and a fixed column layout (the HTTP server: a history model's columns in table order),
/// so that a row costs one pass over the features and no table, dictionary or column lookup by name.
public struct TableRowEncoder: Sendable {
    /// One cell of the row: a number (NaN for missing) or a category level (`""` for missing).
    public enum Value: Sendable, Equatable {
        case number(Double)
        case level(String)
    }

    /// What feature `j` takes from its column, and its standardisation.
    private struct Step: Sendable {
        let column: Int
        let operation: Operation
        let mean: Double
        let scale: Double
    }

    private enum Operation: Sendable {
        /// A numeric column: the value, or the imputed value when missing.
        case value(imputed: Double)
        /// A numeric column: 1 when missing.
        case missing
        /// A categorical column: 1 for this level.
        case level(String)
        /// A categorical column: 1 for a level that is neither the reference nor a level with a feature.
        case other(known: Set<String>)
        /// A feature kind that reads nothing from a categorical column (0, as in `TableEncoding`).
        case zero
    }

    private let steps: [Step]
    /// Which columns the encoding reads as numbers (the others as levels), by column position.
    private let numericColumns: [Bool]
    /// The columns, for errors.
    private let columns: [String]

    /// The number of features written per row.
    public var featureCount: Int { steps.count }

    /// Prepares to encode rows whose cells come in the order of `columns`. Every column a feature uses must be there.
    public init(encoding: TableEncoding, columns: [String]) throws(InputError) {
        var position: [String: Int] = [:]
        for (i, name) in columns.enumerated() where position[name] == nil { position[name] = i }
        let recipes = Dictionary(encoding.recipes.map { ($0.column, $0) }, uniquingKeysWith: { a, _ in a })
        var numeric = [Bool](repeating: false, count: columns.count)
        var steps: [Step] = []
        for feature in encoding.features {
            guard let column = position[feature.column], let recipe = recipes[feature.column] else {
                throw InputError(file: "", line: nil, message: "missing column \"\(feature.column)\", which the model uses")
            }
            let operation: Operation
            switch recipe.role {
            case .numeric:
                numeric[column] = true
                operation = feature.kind == .missing ? .missing : .value(imputed: recipe.imputedValue ?? 0)
            case .categorical:
                switch feature.kind {
                case .level(let level): operation = .level(level)
                case .other: operation = .other(known: Set((recipe.levels ?? []) + [recipe.reference].compactMap { $0 }))
                case .value, .missing: operation = .zero
                }
            case .dropped:
                throw InputError(file: "", line: nil, message: "column \"\(feature.column)\" was dropped at training but has features: the model file is damaged")
            }
            steps.append(Step(column: column, operation: operation, mean: feature.mean, scale: feature.scale))
        }
        self.steps = steps
        self.numericColumns = numeric
        self.columns = columns
    }

    /// Whether the encoding reads the column at `position` as numbers (else as category levels, or not at all).
    public func isNumeric(_ position: Int) -> Bool { numericColumns[position] }

    /// Writes the standardised features of `row` (one value per column) into `out` (at least ``featureCount`` long).
    ///
    /// A level in a column the model reads as numbers is an error that names the column, as in `TableEncoding`.
    public func encode(_ row: [Value], into out: UnsafeMutableBufferPointer<Double>) throws(InputError) {
        precondition(row.count == columns.count && out.count >= steps.count, "one value per column, one slot per feature")
        for (j, step) in steps.enumerated() {
            let raw: Double
            switch (step.operation, row[step.column]) {
            case (.value(let imputed), .number(let x)): raw = x.isNaN ? imputed : x
            case (.missing, .number(let x)): raw = x.isNaN ? 1 : 0
            case (.level(let level), .level(let text)): raw = (text.isEmpty ? TableEncoding.missingLevel : text) == level ? 1 : 0
            case (.other(let known), .level(let text)): raw = known.contains(text.isEmpty ? TableEncoding.missingLevel : text) ? 0 : 1
            case (.zero, .level): raw = 0
            case (.value, .level(let text)), (.missing, .level(let text)):
                throw InputError(file: "", line: nil, message: "column \"\(columns[step.column])\" was numeric in training, but \"\(text)\" is not a number")
            case (.level, .number), (.other, .number), (.zero, .number):
                throw InputError(file: "", line: nil, message: "column \"\(columns[step.column])\" must be read as categorical")
            }
            out[j] = (raw - step.mean) / step.scale
        }
    }
}
