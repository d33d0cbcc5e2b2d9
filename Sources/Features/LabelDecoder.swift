import Foundation
package import LeadData

/// Turns a table's label column into 0/1, accepting the spellings CRM exports use.
package enum LabelDecoder {
    /// Pairs accepted without `--positive`, compared case-insensitively: (positive, negative).
    package static let knownPairs: [(String, String)] = [("1", "0"), ("won", "lost"), ("true", "false"), ("yes", "no")]

    /// The 0/1 labels of `column` (read as categorical, so the text is as written), one per row.
    package static func decode(_ column: TableColumn, positive: String?, table: Table) throws(InputError) -> [Double] {
        guard case .categorical(let codes, let levels) = column.values else {
            throw InputError(file: table.path, line: nil, message: "the label column \(Echo.quoted(column.name)) must be read as text (categorical)")
        }
        if let i = codes.firstIndex(where: { levels[Int($0)].isEmpty }) {
            throw InputError(file: table.path, line: Int(table.rowLines[i]), message: "the label column \(Echo.quoted(column.name)) is empty in this row")
        }
        let isPositive: [Bool]
        if let positive {
            guard levels.contains(positive) else {
                throw InputError(file: table.path, line: nil,
                                 message: "the label column \(Echo.quoted(column.name)) never has the value \(Echo.quoted(positive)) given as the one that means converted (its values: \(listing(levels)))", remedy: .namePositiveValue)
            }
            let others = levels.filter { $0 != positive }
            guard others.count == 1 else {
                throw InputError(file: table.path, line: nil,
                                 message: "the label column \(Echo.quoted(column.name)) has \(levels.count) values (\(listing(levels))): with only the one that means converted named, all \(others.count) others would count as lost, open stages too", remedy: .nameLostValues)
            }
            isPositive = levels.map { $0 == positive }
        } else {
            let canonical = levels.map(canonicalLabel)
            guard let pair = knownPairs.first(where: { pair in canonical.allSatisfy { $0 == pair.0 || $0 == pair.1 } }) else {
                throw InputError(file: table.path, line: nil,
                                 message: "the label column \(Echo.quoted(column.name)) has the values \(listing(levels)), none of them won/lost, 1/0, true/false or yes/no", remedy: .namePositiveValue)
            }
            isPositive = canonical.map { $0 == pair.0 }
        }
        return codes.map { isPositive[Int($0)] ? 1 : 0 }
    }

    /// Lower-cased, trimmed, and numbers written as 0/1 whatever their spelling (`1.0`, `0.00`).
    private static func canonicalLabel(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if case .value(let v) = NumericField.parse(trimmed), v == 0 || v == 1 { return v == 1 ? "1" : "0" }
        return trimmed
    }

    private static func listing(_ levels: [String]) -> String {
        let shown = levels.prefix(6).map { "\(Echo.quoted($0))" }.joined(separator: ", ")
        return levels.count > 6 ? shown + ", ... (\(levels.count) in all)" : shown
    }
}
