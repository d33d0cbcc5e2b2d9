public import Features

/// Which table columns became which features, and why some did not.
public struct ColumnsReport: Sendable {
    public let encoding: TableEncoding

    public init(encoding: TableEncoding) { self.encoding = encoding }

    public func text() -> String {
        let featuresByColumn = Dictionary(grouping: encoding.features, by: \.column)
        var table = TextTable(headers: ["column", "became", "features"], alignments: [.left, .left, .right])
        for recipe in encoding.recipes {
            let count = featuresByColumn[recipe.column]?.count ?? 0
            table.append([recipe.column, recipe.role == .dropped && !recipe.note.contains("dropped") ? "dropped: \(recipe.note)" : recipe.note, String(count)])
        }
        if encoding.options.label == HistoryFeatures.labelColumn {
            return "Features (from the event history and the profile columns of the contacts file; numbers standardised, 0/1 levels centred and halved)\n"
                + table.render() + "\n  \(encoding.features.count) features in all"
        }
        let header = "Columns (label \"\(encoding.options.label)\"\(encoding.options.id.map { ", id \"\($0)\"" } ?? "")\(encoding.options.weight.map { ", weights \"\($0)\"" } ?? ""); numbers standardised, 0/1 levels centred and halved)"
        return header + "\n" + table.render() + "\n  \(encoding.features.count) features in all"
    }
}
