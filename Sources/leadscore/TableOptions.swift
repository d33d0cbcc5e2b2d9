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

    @Option(help: ArgumentHelp("Table mode, with --positive: the label values that mean lost (comma-separated); every other value means still open, and its rows are left out (open deal stages).", valueName: "a,b"))
    var negative: String?

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
        if negative != nil && positive == nil {
            throw ValidationError("--negative names the lost values next to --positive, the value that means converted: give both")
        }
        if let positive, list(negative).contains(positive) {
            throw ValidationError("\(Echo.quoted(positive)) is given both as --positive and in --negative")
        }
        if let minLevelCount, minLevelCount < 1 { throw ValidationError("--min-level-count must be at least 1") }
        let roles = [("--label", label), ("--id", id), ("--weight", weight)].compactMap { name, value in value.map { (name, $0) } }
        for (i, a) in roles.enumerated() {
            for b in roles[(i + 1)...] where a.1 == b.1 {
                throw ValidationError("\(a.0) and \(b.0) both name column \(Echo.quoted(a.1)): a column has one role")
            }
        }
        for (name, column) in roles where list(ignore).contains(column) {
            throw ValidationError("--ignore names \(Echo.quoted(column)), the \(name) column")
        }
    }

    /// The flags that only a table has (contact history gets its labels from outcomes.csv).
    var tableOnly: [(name: String, given: Bool)] {
        [("--label", label != nil), ("--positive", positive != nil), ("--negative", negative != nil), ("--id", id != nil), ("--weight", weight != nil)]
    }

    /// The encoding options of `table` (a source description's label, id and weight, overridden by these flags);
    /// nil when no label is named.
    func encoding(for table: TableSource) -> TableEncodingOptions? {
        guard let label = label ?? table.label else { return nil }
        return TableEncodingOptions(label: label, positive: positive, id: id ?? table.id, weight: weight ?? table.weight,
                                    minLevelCount: minLevelCount ?? 10)
    }

    /// The label values that mean won and lost: the source description's, or --positive with --negative; nil when
    /// neither names them (then the label reads as 1/0, won/lost, ... or --positive against one other value).
    func values(for table: TableSource) throws -> OutcomeValues? {
        if table.values != nil, positive != nil {
            throw ValidationError("--positive and the source description's \"won\" and \"lost\" both say which label values mean converted: keep one")
        }
        guard let positive, negative != nil else { return table.values }
        return OutcomeValues(won: [positive], lost: list(negative).sorted())
    }

    /// How to read `table`'s columns: the source description's lists and these flags' together.
    func columnKinds(for table: TableSource) -> TableReadOptions {
        TableReadOptions(categorical: list(categorical).union(table.categorical), numeric: list(numeric).union(table.numeric),
                         ignore: list(ignore).union(table.exclude))
    }

    var columnKinds: TableReadOptions { columnKinds(for: TableSource(file: SourceFile(path: ""))) }

    /// `spec` with the profile column choices of the source description and of these flags added to its own: what
    /// they mean for contacts.csv.
    func applied(to spec: HistoryFeatureSpec, profile: SourceDescription.ProfileColumns = .init()) -> HistoryFeatureSpec {
        var spec = spec
        spec.profile.exclude += list(ignore).union(profile.exclude).sorted().filter { !spec.profile.exclude.contains($0) }
        spec.profile.categorical += list(categorical).union(profile.categorical).sorted().filter { !spec.profile.categorical.contains($0) }
        spec.profile.numeric += list(numeric).union(profile.numeric).sorted().filter { !spec.profile.numeric.contains($0) }
        if let minLevelCount { spec.profile.minLevelCount = minLevelCount }
        return spec
    }

    private func list(_ text: String?) -> Set<String> {
        Set((text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }
}
