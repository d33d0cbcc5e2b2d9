import Foundation
public import LeadData
import LinearAlgebra

/// How a table becomes a design matrix, learned from training rows and frozen for scoring.
///
/// Numeric columns: missing values imputed with the observed mean, plus a `(missing)` indicator when any are missing.
/// Categorical columns: one 0/1 column per level, except the most frequent (the reference, all zeros); levels in
/// fewer than `minLevelCount` rows, and any level named `other`, pooled into `other`. Then every design column is
/// centred, and numbers are divided by their (population) standard deviation, 0/1 indicators (levels, `other`,
/// missing flags) by ``indicatorScale``; constant columns and exact duplicates (or opposites) are dropped.
/// Each choice is recorded in `recipes` so that it can be reported.
public struct TableEncoding: Codable, Sendable, Equatable {
    public let options: TableEncodingOptions
    /// One entry per table column that could be a feature (label, id and weight excluded), in table order.
    public let recipes: [ColumnRecipe]
    /// The design columns, in order.
    public let features: [TableFeature]

    /// The design column names, in order.
    public var featureNames: [String] { features.map(\.name) }

    /// The name of the pooled-levels group.
    public static let otherLevel = "other"
    /// How an empty categorical value is named.
    public static let missingLevel = "(missing)"

    /// What a 0/1 indicator (a level, `other`, a missing flag) is divided by after centring, in place of its
    /// standard deviation.
    ///
    /// Dividing by the standard deviation, `sqrt(p (1 - p))`, would make a rare level huge (a level held by one lead
    /// in a thousand sits 31.6 standard deviations from the mean), so the L2 penalty, which acts on the standardised
    /// weight, would barely restrain it: a dozen leads that happened to lose could move every lead of their level by
    /// whole bands. Divided by a fixed 2, every level's effect in log-odds (its weight per unit, against the
    /// reference level) is penalised alike, as a prior of standard deviation `1 / (2 sqrt(lambda))` on it: rare
    /// levels are shrunk towards the average in proportion to how little evidence they carry, common ones are
    /// treated almost as before (a level held by half the leads has a standard deviation of 0.5, a quarter of 2).
    public static let indicatorScale = 2.0

    /// The table-reading options that keep columns as this encoding expects (ids, labels and categories as text).
    public static func readOptions(for options: TableEncodingOptions, categorical: Set<String> = [],
                                   numeric: Set<String> = [], ignore: Set<String> = []) -> TableReadOptions {
        var text = categorical.union([options.label])
        if let id = options.id { text.insert(id) }
        var numbers = numeric
        if let weight = options.weight { numbers.insert(weight) }
        return TableReadOptions(categorical: text, numeric: numbers, ignore: ignore)
    }

    /// Learns the encoding from a training table.
    public static func fit(_ table: Table, options: TableEncodingOptions) throws(InputError) -> TableEncoding {
        for name in [options.label, options.id, options.weight].compactMap({ $0 }) where table.column(named: name) == nil {
            throw InputError(file: table.path, line: 1,
                             message: "missing column \(Echo.quoted(name)) (the header has: \(table.columns.map(\.name).joined(separator: ", ")))")
        }
        guard options.minLevelCount >= 1 else {
            throw InputError(file: table.path, line: nil, message: "the minimum level count must be at least 1")
        }
        let reserved = Set([options.label, options.id, options.weight].compactMap { $0 })
        var recipes: [ColumnRecipe] = []
        var candidates: [(feature: TableFeature, values: [Double], deviation: Double)] = []
        for column in table.columns where !reserved.contains(column.name) {
            let (recipe, kinds) = recipe(for: column, minLevelCount: options.minLevelCount)
            recipes.append(recipe)
            for kind in kinds {
                let raw = rawValues(of: kind, column: column, recipe: recipe)
                let (mean, deviation) = meanAndDeviation(raw)
                let range = kind == .value ? raw.min().flatMap { lo in raw.max().map { lo...$0 } } : nil
                candidates.append((TableFeature(name: featureName(column.name, kind), column: column.name, kind: kind,
                                                mean: mean, scale: kind == .value ? deviation : indicatorScale, range: range),
                                   raw, deviation))
            }
        }

        // Constant columns carry nothing; exact duplicates (or opposites) of an earlier column carry nothing new.
        var kept: [(feature: TableFeature, values: [Double])] = []
        var dropNotes: [String: [String]] = [:]
        for (feature, raw, deviation) in candidates {
            // Exactly constant raw values can still give a deviation of 1e-17 from rounding in the mean.
            guard deviation > 1e-12 * max(abs(feature.mean), 1), raw.contains(where: { $0 != raw[0] }) else {
                dropNotes[feature.column, default: []].append("\(Echo.quoted(feature.name)) dropped: the same value in every row")
                continue
            }
            // Compared on the scale of standard deviations, so that an indicator and a number can be twins too.
            let standardised = raw.map { ($0 - feature.mean) / deviation }
            if let twin = kept.first(where: { isDuplicate($0.values, standardised) }) {
                dropNotes[feature.column, default: []].append("\(Echo.quoted(feature.name)) dropped: identical to (or the exact opposite of) \(Echo.quoted(twin.feature.name))")
                continue
            }
            kept.append((feature, standardised))
        }
        let keptColumns = Set(kept.map(\.feature.column))
        recipes = recipes.map { r in
            let notes = dropNotes[r.column] ?? []
            guard r.role != .dropped else { return r }
            if !keptColumns.contains(r.column) {
                return ColumnRecipe(column: r.column, role: .dropped, imputedValue: nil, levels: nil, reference: nil, pooled: nil,
                                    note: (notes.isEmpty ? ["no usable values"] : notes).joined(separator: "; "))
            }
            return ColumnRecipe(column: r.column, role: r.role, imputedValue: r.imputedValue, levels: r.levels,
                                reference: r.reference, pooled: r.pooled, note: ([r.note] + notes).joined(separator: "; "))
        }
        // Names are keys in exports, reports and model files: they must be unique and not clash with the export's own columns.
        let exportColumns = ["label", "weight", options.id ?? "row"]
        var firstSource: [String: String] = [:]
        for (feature, _) in kept {
            if exportColumns.contains(feature.name) {
                throw InputError(file: table.path, line: 1,
                                 message: "column \(Echo.quoted(feature.column)) gives a feature named \(Echo.quoted(feature.name)), which the design-matrix export uses for its own column: rename it")
            }
            if let other = firstSource[feature.name] {
                throw InputError(file: table.path, line: 1,
                                 message: "columns \(Echo.quoted(other)) and \(Echo.quoted(feature.column)) both give a feature named \(Echo.quoted(feature.name)): rename one of them")
            }
            firstSource[feature.name] = feature.column
        }
        guard !kept.isEmpty else {
            if recipes.isEmpty {
                throw InputError(file: table.path, line: 1, message: "no feature columns: every column is the label, the id or the weight, or is left out; a model needs at least one column to learn from")
            }
            throw InputError(file: table.path, line: nil,
                             message: "no usable feature columns: \(recipes.map { "\($0.column) (\($0.note))" }.joined(separator: ", ")); a model needs at least one column whose values vary")
        }
        return TableEncoding(options: options, recipes: recipes, features: kept.map(\.feature))
    }

    /// The standardised design matrix of `table`, with labels when `labelled`: each row encoded by ``RecordEncoder``,
    /// the one encoding arithmetic (a CSV record and a lead posted to the server go through it too). Values outside a
    /// feature's training range are scored at its edge; `notes` collects unseen levels and numbers far out of range.
    public func design(for table: Table, labelled: Bool = true) throws(InputError) -> DesignMatrix {
        var notes = EncodingNotes()
        return try design(for: table, labelled: labelled, notes: &notes)
    }

    /// As ``design(for:labelled:)``, noting what the rows had that training did not.
    public func design(for table: Table, labelled: Bool, notes: inout EncodingNotes) throws(InputError) -> DesignMatrix {
        let n = table.rowCount, d = features.count
        let encoder = try RecordEncoder(encoding: self, header: table.columns.map(\.name), path: table.path)
        let records = TableRowRecords(table: table, encoder: encoder)
        var matrix = Matrix(rows: n, columns: d)
        try matrix.storage.withUnsafeMutableBufferPointer { m throws(InputError) in
            for i in 0..<n {
                try encoder.encodeRecord(records.record(i), into: UnsafeMutableBufferPointer(rebasing: m[(i * d)..<((i + 1) * d)]),
                                         notes: &notes)
            }
        }
        var labels: [Double] = []
        if labelled {
            guard let labelColumn = table.column(named: options.label) else {
                throw InputError(file: table.path, line: 1, message: "missing column \(Echo.quoted(options.label)) (the label)")
            }
            labels = try LabelDecoder.decode(labelColumn, positive: options.positive, table: table)
        }
        return DesignMatrix(ids: try ids(of: table), labels: labels, weights: labelled ? try weights(of: table) : nil,
                            features: matrix, featureNames: featureNames)
    }

    // MARK: - Learning a column's recipe

    private static func recipe(for column: TableColumn, minLevelCount: Int) -> (ColumnRecipe, [TableFeature.Kind]) {
        switch column.values {
        case .numeric(let values):
            let observed = values.filter { !$0.isNaN }
            guard !observed.isEmpty else {
                return (dropped(column.name, "every value is missing"), [])
            }
            let mean = observed.reduce(0, +) / Double(observed.count)
            let missing = values.count - observed.count
            var note = "numeric"
            var kinds: [TableFeature.Kind] = [.value]
            if missing > 0 {
                note += ", \(missing) missing value\(missing == 1 ? "" : "s") imputed with the mean (\(String(format: "%.6g", mean))) and flagged in \"\(column.name) (missing)\""
                kinds.append(.missing)
            }
            return (ColumnRecipe(column: column.name, role: .numeric, imputedValue: mean, levels: nil, reference: nil,
                                 pooled: nil, note: note), kinds)
        case .categorical(let codes, let rawLevels):
            let names = rawLevels.map { $0.isEmpty ? missingLevel : $0 }
            var counts = [String: Int]()
            for code in codes { counts[names[Int(code)], default: 0] += 1 }
            let byFrequency = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            let pooled = byFrequency.filter { $0.value < minLevelCount || $0.key == otherLevel }.map(\.key).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let keptLevels = byFrequency.filter { $0.value >= minLevelCount && $0.key != otherLevel }.map(\.key)
            guard let reference = keptLevels.first else {
                return (dropped(column.name, "every level is in fewer than \(minLevelCount) rows"), [])
            }
            let levels = Array(keptLevels.dropFirst())
            var kinds = levels.map { TableFeature.Kind.level($0) }
            if !pooled.isEmpty { kinds.append(.other) }
            guard !kinds.isEmpty else {
                return (dropped(column.name, "the same value (\(Echo.quoted(reference))) in every row"), [])
            }
            var note = "categorical, \(counts.count) level\(counts.count == 1 ? "" : "s"): reference \(Echo.quoted(reference)) (most frequent)"
            if !pooled.isEmpty {
                note += ", \(pooled.count) level\(pooled.count == 1 ? "" : "s") pooled into \(Echo.quoted(otherLevel)) (\(pooled.prefix(5).map { "\(Echo.quoted($0))" }.joined(separator: ", "))\(pooled.count > 5 ? ", ..." : ""))"
            }
            return (ColumnRecipe(column: column.name, role: .categorical, imputedValue: nil, levels: levels, reference: reference,
                                 pooled: pooled, note: note), kinds)
        }
    }

    private static func dropped(_ column: String, _ why: String) -> ColumnRecipe {
        ColumnRecipe(column: column, role: .dropped, imputedValue: nil, levels: nil, reference: nil, pooled: nil, note: why)
    }

    private static func featureName(_ column: String, _ kind: TableFeature.Kind) -> String {
        switch kind {
        case .value: return column
        case .missing: return "\(column) (missing)"
        case .level(let level): return "\(column)=\(level)"
        case .other: return "\(column)=\(otherLevel)"
        }
    }

    // MARK: - Computing raw feature values

    /// The raw (unstandardised) values of one feature over a table whose column has the trained kind.
    private static func rawValues(of kind: TableFeature.Kind, column: TableColumn, recipe: ColumnRecipe) -> [Double] {
        switch column.values {
        case .numeric(let values):
            let imputed = recipe.imputedValue ?? 0
            if kind == .missing { return values.map { $0.isNaN ? 1 : 0 } }
            return values.map { $0.isNaN ? imputed : $0 }
        case .categorical(let codes, let rawLevels):
            let names = rawLevels.map { $0.isEmpty ? missingLevel : $0 }
            let known = Set((recipe.levels ?? []) + [recipe.reference].compactMap { $0 })
            let hit: [Double] = names.map { name in
                switch kind {
                case .level(let level): return name == level ? 1 : 0
                case .other: return known.contains(name) ? 0 : 1
                case .value, .missing: return 0
                }
            }
            return codes.map { hit[Int($0)] }
        }
    }

    /// The mean and the population standard deviation.
    private static func meanAndDeviation(_ values: [Double]) -> (Double, Double) {
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        var sum = 0.0
        for v in values { sum += (v - mean) * (v - mean) }
        return (mean, (sum / n).squareRoot())
    }

    private static func isDuplicate(_ a: [Double], _ b: [Double]) -> Bool {
        let same = zip(a, b).allSatisfy { abs($0 - $1) <= 1e-9 }
        return same || zip(a, b).allSatisfy { abs($0 + $1) <= 1e-9 }
    }

    // MARK: - Ids and weights

    private func ids(of table: Table) throws(InputError) -> [String] {
        guard let id = options.id else { return (1...max(1, table.rowCount)).prefix(table.rowCount).map(String.init) }
        guard let column = table.column(named: id), case .categorical(let codes, let levels) = column.values else {
            throw InputError(file: table.path, line: 1, message: "missing id column \(Echo.quoted(id))")
        }
        // Ids key the predictions, exports and reports: a repeated one is a duplicated row or a wrong --id column.
        var firstRow = [Int](repeating: -1, count: levels.count)
        for (row, code) in codes.enumerated() {
            let first = firstRow[Int(code)]
            guard first < 0 else {
                throw InputError(file: table.path, line: Int(table.rowLines[row]),
                                 message: "duplicate id \(levels[Int(code)].isEmpty ? "(empty)" : "\(Echo.quoted(levels[Int(code)]))") in column \(Echo.quoted(id)) (first on line \(table.rowLines[first]))")
            }
            firstRow[Int(code)] = row
        }
        return codes.map { levels[Int($0)] }
    }

    private func weights(of table: Table) throws(InputError) -> [Double]? {
        guard let weight = options.weight else { return nil }
        guard let column = table.column(named: weight), case .numeric(let values) = column.values else {
            throw InputError(file: table.path, line: 1, message: "missing weight column \(Echo.quoted(weight))")
        }
        if let i = values.firstIndex(where: { $0.isNaN || $0 < 0 }) {
            throw InputError(file: table.path, line: Int(table.rowLines[i]),
                             message: "the weight column \(Echo.quoted(weight)) must hold a number >= 0 in every row, not \(values[i].isNaN ? "an empty value" : String(values[i]))")
        }
        return values
    }
}
