/// Category levels met while scoring that the model never saw at training, per column: tolerated (they are scored as
/// `other`, or as the reference level when the column has no `other`), and reported once with counts, because a new
/// level in a CRM export often means a renamed value that the model now treats as unknown.
public struct UnseenLevels: Sendable, Equatable {
    /// One column's unseen levels.
    public struct Column: Sendable, Equatable {
        public var name: String
        /// What an unseen level counts as: `"other"` or `the reference level "Software"`.
        public var fallback: String
        public var rows: Int
        /// The first few distinct unseen levels, in order of appearance.
        public var examples: [String]
        /// Whether there were more distinct unseen levels than `examples` holds.
        public var more: Bool
    }

    public private(set) var columns: [Column] = []

    public init() {}

    /// Counts one row with an unseen `level` in `column`.
    public mutating func record(column name: String, fallback: String, level: String) {
        let k = columns.firstIndex { $0.name == name } ?? {
            columns.append(Column(name: name, fallback: fallback, rows: 0, examples: [], more: false))
            return columns.count - 1
        }()
        columns[k].rows += 1
        guard !columns[k].examples.contains(level) else { return }
        if columns[k].examples.count < 3 { columns[k].examples.append(level) } else { columns[k].more = true }
    }

    /// One line per column, in column name order.
    public var notes: [String] {
        columns.sorted { $0.name < $1.name }.map { c in
            let shown = c.examples.map { "\"\($0)\"" }.joined(separator: ", ")
            return "column \"\(c.name)\": \(c.rows) row\(c.rows == 1 ? " has a level" : "s have levels") the model never saw (\(shown)\(c.more ? " and others" : "")), scored as \(c.fallback)"
        }
    }
}
