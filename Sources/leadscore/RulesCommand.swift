import ArgumentParser
import Foundation
import LeadData
import Reports
import Rules
import Scoring
import Workflows

/// `leadscore rules`: points cards for marketing tools.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Points cards for marketing tools: learn the best short card for your data.",
        subcommands: [RulesLearnCommand.self]
    )
}

/// `leadscore rules learn`: a learned points card, in leadscore's rules-file format.
struct RulesLearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Learn the best short points card for a contact history or a table and write it as a rules file.",
        discussion: """
            Candidate rules are what marketing tools express: an event per occurrence (at most 2, 3 or 5, or any \
            number), or once, any time or in the last 7, 14, 30, 60 or 90 days; no activity for 7 to 90 days; a \
            profile field equal to a value, one of a few values, or above or below a decile. In table mode (one row \
            per lead) a column of whole numbers of 0 or more is an event's count, as a table's rules file reads it, \
            with no windows and no inactivity rule. A beam search picks \
            --count rules and their weights (an L2-penalised logistic regression on the rules' signals), rounded to \
            whole points at --points-per-doubling points per doubling of the odds; the rules of one event type agree \
            in sign, so more of an event never costs points. Bands are set where the model's bands fall on the \
            training leads (--bands), and the file stores how points map to a probability.

            The card is first learned on the older decided contacts and measured on the most recent --holdout of \
            them, next to the full model and, with --rules, the team's rules and their refitted points (ROC AUC with \
            DeLong intervals, conversions caught in the top 10%); then learned again on every decided contact and \
            written. compare, score, serve and explain --versus-rules take the file as they take any rules file.

            Examples:
              leadscore rules learn --contacts contacts.csv --events events.csv \\
                --outcomes outcomes.csv --rules datasets/rules/seed.json --out card.json
              leadscore rules learn --source source.json --count 5 --markdown card.md --csv card.csv --out card.json
              leadscore rules learn --table datasets/table/leads.csv --label converted --positive won \
                --id lead_id --rules datasets/rules/table.json --out card.json
              leadscore rules learn --contacts ... --events ... --outcomes ... \\
                --keep datasets/rules/seed.json --count 3 --out seed-plus-3.json
            """
    )

    @OptionGroup(title: "Input") var input: InputOptions
    @OptionGroup(title: "Columns") var columns: TableOptions
    @OptionGroup(title: "History") var history: HistoryOptions
    @OptionGroup var database: PushdownOption
    @OptionGroup(title: "Fit (the full model it is measured against)") var fit: FitOptions
    @OptionGroup(title: "Holdout and rules") var evaluation: EvaluationOptions

    @Option(help: ArgumentHelp("Rules on the card, besides kept ones.", valueName: "N"))
    var count: Int = 8

    @Option(name: .customLong("points-per-doubling"), help: ArgumentHelp("Points that double the odds of converting.", valueName: "points"))
    var pointsPerDoubling: Double = 20

    @Option(name: .customLong("min-support"), help: ArgumentHelp("The fewest decided contacts a rule must apply to (default: 1% of them, at least 20).", valueName: "N"))
    var minSupport: Int?

    @Option(help: ArgumentHelp("A rules file whose rules the card keeps (their points refitted) while it adds --count more.", valueName: "rules.json"))
    var keep: String?

    @Option(help: ArgumentHelp("Where to write the card (a rules file, written atomically).", valueName: "card.json"))
    var out: String

    @Option(help: ArgumentHelp("Also write the card as a Markdown page, with how to enter it in HubSpot and Mautic.", valueName: "card.md"))
    var markdown: String?

    @Option(help: ArgumentHelp("Also write the card as CSV: kind, rule, points, then the bands.", valueName: "card.csv"))
    var csv: String?

    func validate() throws {
        try OutputPaths.refuseInputs([("--out", out), ("--markdown", markdown), ("--csv", csv)],
                                     inputs: input.files + [history.spec, evaluation.rules, keep])
        var learning = RulesLearning(training: HistoryTraining(contacts: "", events: "", outcomes: ""))
        learning.ruleCount = count
        learning.pointsPerDoubling = pointsPerDoubling
        learning.minSupport = minSupport
        if let problem = learning.problem { throw ValidationError(problem) }
    }

    func run() throws {
        try Failure.guarding {
            let cardFile = try AtomicFileWriter(path: out)
            let markdownFile = try markdown.map { path throws(OutputError) in try AtomicFileWriter(path: path) }
            let csvFile = try csv.map { path throws(OutputError) in try AtomicFileWriter(path: path) }
            let kept = try keep.map { path throws(InputError) in try RuleSetFile.load(path: path) }
            var learning: RulesLearning
            var isTable = false
            switch try TrainingJob.resolve(input, columns, history, fit: fit, createdAt: nil, evaluation: evaluation, pushdown: database.pushdown) {
            case .history(let training): learning = RulesLearning(training: training)
            case .table(let training): (learning, isTable) = (RulesLearning(table: training), true)
            }
            learning.ruleCount = count
            learning.pointsPerDoubling = pointsPerDoubling
            learning.minSupport = minSupport
            learning.keep = kept
            learning.name = URL(fileURLWithPath: out).deletingPathExtension().lastPathComponent
            let result = try learning.run()
            let report = PointsCardReport(card: result.card, pointsPerDoubling: pointsPerDoubling, countColumns: isTable)
            try cardFile.write(try RuleSetFile.data(result.card))
            try markdownFile?.write(Data(report.markdown().utf8))
            try csvFile?.write(Data(report.csv().utf8))
            try cardFile.commit()
            try markdownFile?.commit()
            try csvFile?.commit()
            var text = "Points card \(Echo.quoted(learning.name)): \(result.card.signals.count) rules from \(NumberFormat.count(result.candidates)) candidates (each applies to at least \(NumberFormat.count(result.minSupport)) decided contacts), written to \(out)\n\n"
            text += report.text() + "\n"
            let leads = isTable ? "decided rows" : "decided contacts"
            text += "  On the \(NumberFormat.count(result.model.model.trainingData.rows)) \(leads) it was learned from, the card's ROC AUC is \(String(format: "%.3f", result.trainingAUC)) (compare gives the same on them).\n"
            if let holdout = result.model.model.holdout {
                let rest = isTable ? "the other rows" : "the older contacts"
                text += "\n" + ComparisonReport(comparison: holdout.comparison, subject: "the holdout (\(holdout.rule)); the card was learned on \(rest)").text(detail: false) + "\n"
            }
            let sizes = result.lossBySize.enumerated().dropFirst().map { "\($0.offset): \(String(format: "%.4f", $0.element))" }
            text += "\nTraining log loss of the best card of each size (before rounding): \(sizes.joined(separator: ", "))\n"
            emit(text)
        }
    }
}
