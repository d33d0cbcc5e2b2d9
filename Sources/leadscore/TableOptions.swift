import ArgumentParser
import Features
import Foundation
import LeadData

/// How the columns of the leads become features: the label and id of a table, and, for a table or for the profile
/// columns of contacts.csv, which columns to leave out or force numeric or categorical, and how rare a level may be.
struct TableOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Table mode: the column that says whether the lead converted.", valueName: "column"))
    var label: String?

    @Option(help: ArgumentHelp("Table mode: the label value that means converted (default: accepts 1/0, won/lost, true/false, yes/no).", valueName: "value"))
    var positive: String?

    @Option(help: ArgumentHelp("Table mode: an id column, carried into exports, never a feature.", valueName: "column"))
    var id: String?

    @Option(help: ArgumentHelp("Table mode: a column of per-lead sample weights (not a feature).", valueName: "column"))
    var weight: String?

    @Option(help: ArgumentHelp("Treat these columns (of the table, or profile columns of contacts.csv) as categorical even if they hold numbers (comma-separated).", valueName: "a,b"))
    var categorical: String?

    @Option(help: ArgumentHelp("Treat these columns as numeric; a non-number is then an error (comma-separated).", valueName: "a,b"))
    var numeric: String?

    @Option(help: ArgumentHelp("Leave these columns out (comma-separated), e.g. a field filled in after the outcome, which leaks it.", valueName: "a,b"))
    var ignore: String?

    @Option(name: .customLong("min-level-count"), help: "Pool categorical levels seen in fewer rows than this into `other` (default 10).")
    var minLevelCount: Int?

    func validate() throws {
        if let minLevelCount, minLevelCount < 1 { throw ValidationError("--min-level-count must be at least 1") }
        let roles = [("--label", label), ("--id", id), ("--weight", weight)].compactMap { name, value in value.map { (name, $0) } }
        for (i, a) in roles.enumerated() {
            for b in roles[(i + 1)...] where a.1 == b.1 {
                throw ValidationError("\(a.0) and \(b.0) both name column \(Echo.quoted(a.1)): a column has one role")
            }
        }
        for (name, column) in roles where columnKinds.ignore.contains(column) {
            throw ValidationError("--ignore names \(Echo.quoted(column)), the \(name) column")
        }
    }

    /// The flags that only a table has (contact history gets its labels from outcomes.csv).
    var tableOnly: [(name: String, given: Bool)] {
        [("--label", label != nil), ("--positive", positive != nil), ("--id", id != nil), ("--weight", weight != nil)]
    }

    /// The encoding options; call only in table mode, with `label` set.
    var encoding: TableEncodingOptions {
        TableEncodingOptions(label: label ?? "", positive: positive, id: id, weight: weight, minLevelCount: minLevelCount ?? 10)
    }

    var columnKinds: TableReadOptions {
        TableReadOptions(categorical: list(categorical), numeric: list(numeric), ignore: list(ignore))
    }

    /// `spec` with these options' column choices added to its profile settings: what they mean for contacts.csv.
    func applied(to spec: HistoryFeatureSpec) -> HistoryFeatureSpec {
        var spec = spec
        spec.profile.exclude += list(ignore).sorted().filter { !spec.profile.exclude.contains($0) }
        spec.profile.categorical += list(categorical).sorted().filter { !spec.profile.categorical.contains($0) }
        spec.profile.numeric += list(numeric).sorted().filter { !spec.profile.numeric.contains($0) }
        if let minLevelCount { spec.profile.minLevelCount = minLevelCount }
        return spec
    }

    private func list(_ text: String?) -> Set<String> {
        Set((text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }
}
