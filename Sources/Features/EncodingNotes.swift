import Foundation
import LeadData

/// What scoring met in new rows that the training data did not have, per column: tolerated, and reported once with
/// counts, because it often means the data changed under the model.
///
/// - Category levels the model never saw (and missing values where training had none): scored as the average lead,
///   adding nothing. A new level in a CRM export often means a renamed value that the model now treats as unknown.
/// - Numbers far outside the range seen in training (beyond it by more than its width): scored at the range's edge, as
///   every value outside it is, so that no input moves a lead further than the training data did.
public struct EncodingNotes: Sendable, Equatable {
    /// One column's unseen levels.
    public struct Column: Sendable, Equatable {
        public var name: String
        /// What an unseen level counts as (the average lead).
        public var fallback: String
        public var rows: Int
        /// The first few distinct unseen levels, in order of appearance.
        public var examples: [String]
        /// Whether there were more distinct unseen levels than `examples` holds.
        public var more: Bool
    }

    /// One column's values far outside the training range.
    public struct OutOfRange: Sendable, Equatable {
        public var name: String
        public var range: ClosedRange<Double>
        public var rows: Int
        /// The first such value.
        public var example: Double
    }

    public private(set) var columns: [Column] = []
    public private(set) var outOfRange: [OutOfRange] = []

    public init() {}

    /// Whether nothing was noted.
    public var isEmpty: Bool { columns.isEmpty && outOfRange.isEmpty }

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

    /// Counts one row whose `value` in `column` lies far outside the training `range`.
    public mutating func record(column name: String, range: ClosedRange<Double>, value: Double) {
        if let k = outOfRange.firstIndex(where: { $0.name == name }) {
            outOfRange[k].rows += 1
        } else {
            outOfRange.append(OutOfRange(name: name, range: range, rows: 1, example: value))
        }
    }

    /// Adds what `other` noted on rows that come after these: the same notes as if one encoding had met all the rows
    /// in order (counts add up; the first few unseen levels and the first far value are kept), so that rows encoded in
    /// chunks, in parallel, report what one pass reports.
    package mutating func merge(_ other: EncodingNotes) {
        for column in other.columns {
            guard let k = columns.firstIndex(where: { $0.name == column.name }) else {
                columns.append(column)
                continue
            }
            columns[k].rows += column.rows
            for level in column.examples where !columns[k].examples.contains(level) {
                if columns[k].examples.count < 3 { columns[k].examples.append(level) } else { columns[k].more = true }
            }
            if column.more { columns[k].more = true }
        }
        for column in other.outOfRange {
            if let k = outOfRange.firstIndex(where: { $0.name == column.name }) {
                outOfRange[k].rows += column.rows
            } else {
                outOfRange.append(column)
            }
        }
    }

    /// Whether `value` lies beyond `range` by more than the range's width: far enough to be worth a warning (every
    /// value outside the range is clamped to it, but a count one above the training maximum is no news).
    public static func isFarOutside(_ value: Double, _ range: ClosedRange<Double>) -> Bool {
        let width = range.upperBound - range.lowerBound
        return value > range.upperBound + width || value < range.lowerBound - width
    }

    /// One line per column, in column name order: unseen levels first, then numbers out of range.
    public var notes: [String] {
        columns.sorted { $0.name < $1.name }.map { c in
            let shown = c.examples.map { Echo.quoted($0, limit: 40) }.joined(separator: ", ")
            return "column \(Echo.quoted(c.name)): \(c.rows) row\(c.rows == 1 ? " has a level" : "s have levels") the model never saw (\(shown)\(c.more ? " and others" : "")), scored as \(c.fallback)"
        } + outOfRange.sorted { $0.name < $1.name }.map { c in
            "column \(Echo.quoted(c.name)): \(c.rows) value\(c.rows == 1 ? " lies" : "s lie") far outside the training range \(Self.number(c.range.lowerBound)) to \(Self.number(c.range.upperBound)) (such as \(Self.number(c.example))), scored at its edge"
        }
    }

    /// The out-of-range notes of one row, phrased for that lead's answer (its `warnings`). Columns in `log1pColumns`
    /// hold `log1p` of a profile field (`company_size (log1p)`): they are named and shown in the field's own units.
    public func leadWarnings(log1pColumns: Set<String> = []) -> [String] {
        columns.map { c in
            let value = c.examples.first.map { $0 == TableEncoding.missingLevel ? "a missing value" : Echo.quoted($0, limit: 40) } ?? "a value"
            return "\(c.name): \(value) is unknown to the model (never seen in training); treated as average, adding nothing to the score"
        } + outOfRange.map { c in
            var name = c.name, example = c.example, range = c.range
            if log1pColumns.contains(c.name) {
                name = HistoryFeatures.field(ofLog1pColumn: c.name)
                example = expm1(example)
                range = expm1(range.lowerBound)...expm1(range.upperBound)
            }
            let edge = example > range.upperBound ? range.upperBound : range.lowerBound
            return "\(name): \(Self.number(example)) is far outside the training range \(Self.number(range.lowerBound)) to \(Self.number(range.upperBound)); scored as \(Self.number(edge))"
        }
    }

    private static func number(_ x: Double) -> String { DecimalText.readable(x) }
}
