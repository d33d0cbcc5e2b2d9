public import Evaluation
public import Features
import Foundation
public import LinearAlgebra
public import Rules

/// How the leads a model was made for looked when it was trained: per table column, for the probability and for the
/// rules' signals, the bins and shares the Population Stability Index needs, and each feature's mean. `monitor`
/// measures today's leads in the same bins, and the means give the characteristic analysis (how far each column's
/// shift moved the average log-odds).
///
/// A numeric column is cut at deciles of its reference values (fewer bins where values repeat, as counts of events
/// mostly 0 do), with a bin of its own for missing values when it has them; a categorical column has a bin per level
/// with its own weight, one for pooled rare levels (`other`) and one for the reference level.
public struct ReferenceDistributions: Codable, Sendable, Equatable {
    /// One column's bins and shares.
    public struct Column: Codable, Sendable, Equatable {
        /// The table column (or `probability`, or a rule's key).
        public var name: String
        /// `numeric` or `categorical`.
        public var kind: String
        /// Numeric: the bins' upper edges in the column's own units (bin 0 is everything up to `edges[0]`, the last
        /// everything above the last edge).
        public var edges: [Double]?
        /// Numeric: whether the last bin is missing values. Categorical: the bins' levels.
        public var missing: Bool?
        public var levels: [String]?
        public var shares: [Double]
        /// The indices of the model's features that come from this column, and their reference means (standardised).
        public var features: [Int]?
        public var means: [Double]?

        public init(name: String, kind: String, edges: [Double]? = nil, missing: Bool? = nil, levels: [String]? = nil,
                    shares: [Double], features: [Int]? = nil, means: [Double]? = nil) {
            self.name = name
            self.kind = kind
            self.edges = edges
            self.missing = missing
            self.levels = levels
            self.shares = shares
            self.features = features
            self.means = means
        }

        /// The bins' names, for reports: `<= 3`, `> 12`, `missing`, or the levels.
        public var binNames: [String] {
            if let levels { return levels }
            let edges = edges ?? []
            var names = edges.map { "<= \(Self.short($0))" } + [edges.last.map { "> \(Self.short($0))" } ?? "all"]
            if missing == true { names.append("missing") }
            return names
        }

        static func short(_ x: Double) -> String {
            x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(format: "%.4g", x)
        }
    }

    /// Which leads these are, in words (the open leads at the end of the training data, or the training leads).
    public var population: String
    public var leads: Int
    public var columns: [Column]
    public var probability: Column
    /// Per rule of the rules file the model was trained with, its signal (named by key and label,
    /// `events[0]: demo_request`); then the points. Absent without rules.
    public var rules: [Column]?

    /// The distributions of `design` (encoded with `encoding`), of `probabilities` and of `ruleSignals` (one row per
    /// design row).
    public init(population: String, encoding: TableEncoding, design: Matrix, probabilities: [Double], ruleSignals: RuleSignals?) {
        self.population = population
        leads = design.rows
        let binner = ColumnBinner(encoding: encoding)
        columns = binner.groups.map { group in
            let (edges, levels) = binner.layout(of: group, design: design)
            let counts = binner.counts(of: group, edges: edges, design: design)
            return Column(name: group.name, kind: group.value == nil ? "categorical" : "numeric", edges: group.value == nil ? nil : edges,
                          missing: group.missing == nil ? nil : true, levels: levels, shares: PopulationStability.shares(counts),
                          features: group.features, means: group.features.map { design.columnMean($0) })
        }
        probability = Self.numeric("probability", probabilities)
        rules = ruleSignals.map { signals in
            signals.signals.indices.map { Self.numeric("\(signals.signals[$0].key): \(signals.signals[$0].label)", signals.column($0)) }
                + [Self.numeric("points", signals.points)]
        }
    }

    /// A column of plain numbers cut at its deciles.
    static func numeric(_ name: String, _ values: [Double]) -> Column {
        let edges = PopulationStability.quantileEdges(values)
        return Column(name: name, kind: "numeric", edges: edges, shares: shares(values, edges: edges))
    }

    /// The shares of `values` in bins with upper `edges`.
    public static func shares(_ values: [Double], edges: [Double]) -> [Double] {
        var counts = [Int](repeating: 0, count: edges.count + 1)
        for v in values { counts[PopulationStability.bin(v, edges: edges)] += 1 }
        return PopulationStability.shares(counts)
    }
}

/// Groups a model's features by the table column they come from and puts leads in a column's bins, from the design
/// matrix alone (a feature's raw value is its standardised value times its scale plus its mean).
public struct ColumnBinner: Sendable {
    public struct Group: Sendable {
        public var name: String
        public var features: [Int]
        /// Numeric columns: the value feature, and the missing indicator when there is one.
        public var value: Int?
        public var missing: Int?
        /// Categorical columns: the level indicators (with `other` last when there is one), and the reference level.
        public var levels: [(feature: Int, name: String)]
        public var reference: String
    }

    public let encoding: TableEncoding
    public let groups: [Group]

    public init(encoding: TableEncoding) {
        self.encoding = encoding
        var groups: [Group] = []
        var index: [String: Int] = [:]
        for (j, feature) in encoding.features.enumerated() {
            let g: Int
            if let known = index[feature.column] {
                g = known
            } else {
                let reference = encoding.recipes.first { $0.column == feature.column }?.reference ?? "(reference)"
                groups.append(Group(name: feature.column, features: [], levels: [], reference: reference))
                g = groups.count - 1
                index[feature.column] = g
            }
            groups[g].features.append(j)
            switch feature.kind {
            case .value: groups[g].value = j
            case .missing: groups[g].missing = j
            case .level(let level): groups[g].levels.append((j, level))
            case .other: groups[g].levels.append((j, "other"))
            }
        }
        self.groups = groups
    }

    /// A categorical column's last bin: levels the model never saw (scored as the average lead, every indicator at its
    /// mean), none of them at training.
    public static let unseenLevel = "(not seen in training)"

    /// Numeric: decile edges of the column's values (missing ones aside). Categorical: the level names, the
    /// reference level, and ``unseenLevel``.
    func layout(of group: Group, design: Matrix) -> (edges: [Double], levels: [String]?) {
        guard let value = group.value else { return ([], group.levels.map(\.name) + [group.reference, Self.unseenLevel]) }
        let values = (0..<design.rows).filter { !isMissing(group, row: $0, design: design) }.map { raw(value, row: $0, design: design) }
        return (PopulationStability.quantileEdges(values), nil)
    }

    /// How many rows of `design` fall in each of the group's bins.
    public func counts(of group: Group, edges: [Double], design: Matrix) -> [Int] {
        if let value = group.value {
            var counts = [Int](repeating: 0, count: edges.count + 1 + (group.missing == nil ? 0 : 1))
            for i in 0..<design.rows {
                counts[isMissing(group, row: i, design: design) ? edges.count + 1 : PopulationStability.bin(raw(value, row: i, design: design), edges: edges)] += 1
            }
            return counts
        }
        var counts = [Int](repeating: 0, count: group.levels.count + 2)
        for i in 0..<design.rows {
            let values = group.levels.map { raw($0.feature, row: i, design: design) }
            let bin: Int
            if let level = values.firstIndex(where: { $0 == 1 }) {
                bin = level
            } else if values.allSatisfy({ $0 == 0 }) {
                bin = group.levels.count
            } else {
                bin = group.levels.count + 1  // every indicator at its mean, neither 0 nor 1: a level never seen
            }
            counts[bin] += 1
        }
        return counts
    }

    private func isMissing(_ group: Group, row: Int, design: Matrix) -> Bool {
        group.missing.map { raw($0, row: row, design: design) > 0.5 } ?? false
    }

    /// The feature's value before standardisation, to 1e-9: standardising and back leaves round-off (a count of 1
    /// comes back as 0.9999999999999999), which must not move a value across a bin edge.
    private func raw(_ j: Int, row: Int, design: Matrix) -> Double {
        let feature = encoding.features[j]
        return ((design[row, j] * feature.scale + feature.mean) * 1e9).rounded() / 1e9
    }
}

extension ReferenceDistributions {
    /// The first way these distributions do not fit `encoding` (a hand-edited or damaged file), or nil.
    public func inconsistency(with encoding: TableEncoding) -> String? {
        let groups = ColumnBinner(encoding: encoding).groups
        guard columns.count == groups.count else {
            return "\"reference.columns\" has \(columns.count) columns for the model's \(groups.count)"
        }
        for (k, (column, group)) in zip(columns, groups).enumerated() {
            let field = "reference.columns[\(k)]"
            guard column.name == group.name, column.features == group.features, column.means?.count == group.features.count else {
                return "\"\(field)\" does not describe the model's column \"\(group.name)\""
            }
            let bins = group.value == nil ? group.levels.count + 2 : (column.edges?.count ?? 0) + 1 + (group.missing == nil ? 0 : 1)
            if let problem = Self.problem(column, bins: bins, field: field) { return problem }
        }
        for (field, column) in [("reference.probability", probability)] + (rules ?? []).enumerated().map { ("reference.rules[\($0)]", $1) } {
            if let problem = Self.problem(column, bins: (column.edges?.count ?? 0) + 1, field: field) { return problem }
        }
        return nil
    }

    private static func problem(_ column: Column, bins: Int, field: String) -> String? {
        guard column.shares.count == bins else { return "\"\(field).shares\" has \(column.shares.count) entries for \(bins) bins" }
        guard column.shares.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return "\"\(field).shares\" holds a share that is not a number from 0 to 1" }
        let edges = column.edges ?? []
        guard zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }), edges.allSatisfy(\.isFinite) else {
            return "\"\(field).edges\" do not increase"
        }
        return nil
    }
}

extension Matrix {
    /// The mean of column `j` (0 for a matrix without rows).
    public func columnMean(_ j: Int) -> Double {
        guard rows > 0 else { return 0 }
        var sum = 0.0
        for i in 0..<rows { sum += self[i, j] }
        return sum / Double(rows)
    }
}
