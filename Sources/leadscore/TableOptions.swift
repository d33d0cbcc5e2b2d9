import Foundation
import ArgumentParser
import Features
import LeadData

/// The options that say how to read a CRM table (one row per lead).
struct TableOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The CSV table, one row per lead.", valueName: "file.csv"))
    var table: String

    @Option(help: ArgumentHelp("The column that says whether the lead converted.", valueName: "column"))
    var label: String

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

    var encoding: TableEncodingOptions {
        TableEncodingOptions(label: label, positive: positive, id: id, weight: weight, minLevelCount: minLevelCount)
    }

    var columnKinds: TableReadOptions {
        TableReadOptions(categorical: list(categorical), numeric: list(numeric), ignore: list(ignore))
    }

    private func list(_ text: String?) -> Set<String> {
        Set((text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }
}
