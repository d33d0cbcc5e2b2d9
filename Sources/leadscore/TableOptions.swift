import ArgumentParser
import Features
import Foundation
import LeadData

/// The options that say how to read a CRM table (one row per lead).
struct TableOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Table mode: a CSV with one row per lead.", valueName: "file.csv"))
    var table: String?

    @Option(help: ArgumentHelp("Table mode: the column that says whether the lead converted.", valueName: "column"))
    var label: String?

    @Option(help: ArgumentHelp("The label value that means converted (default: accepts 1/0, won/lost, true/false, yes/no).", valueName: "value"))
    var positive: String?

    @Option(help: ArgumentHelp("An id column: carried into exports, never a feature.", valueName: "column"))
    var id: String?

    @Option(help: ArgumentHelp("A column of per-lead sample weights (not a feature).", valueName: "column"))
    var weight: String?

    @Option(help: ArgumentHelp("Treat these columns as categorical even if they hold numbers (comma-separated).", valueName: "a,b"))
    var categorical: String?

    @Option(help: ArgumentHelp("Treat these columns as numeric; a non-number is then an error (comma-separated).", valueName: "a,b"))
    var numeric: String?

    @Option(help: ArgumentHelp("Leave these columns out (comma-separated), e.g. a field that leaks the outcome.", valueName: "a,b"))
    var ignore: String?

    @Option(name: .customLong("min-level-count"), help: "Pool categorical levels seen in fewer rows than this into `other`.")
    var minLevelCount: Int = 10

    func validate() throws {
        guard minLevelCount >= 1 else { throw ValidationError("--min-level-count must be at least 1") }
        let roles = [("--label", label), ("--id", id), ("--weight", weight)].compactMap { name, value in value.map { (name, $0) } }
        for (i, a) in roles.enumerated() {
            for b in roles[(i + 1)...] where a.1 == b.1 {
                throw ValidationError("\(a.0) and \(b.0) both name column \"\(a.1)\": a column has one role")
            }
        }
        for (name, column) in roles where columnKinds.ignore.contains(column) {
            throw ValidationError("--ignore names \"\(column)\", the \(name) column")
        }
    }

    /// The encoding options; call only in table mode (`table` and `label` set).
    var encoding: TableEncodingOptions {
        TableEncodingOptions(label: label ?? "", positive: positive, id: id, weight: weight, minLevelCount: minLevelCount)
    }

    var columnKinds: TableReadOptions {
        TableReadOptions(categorical: list(categorical), numeric: list(numeric), ignore: list(ignore))
    }

    private func list(_ text: String?) -> Set<String> {
        Set((text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }
}
