import ArgumentParser
import Foundation
import LeadData
import ModelRegistry
import Reports
import Workflows

/// `leadscore retrain`: one turn of the monthly loop on a model registry.
struct RetrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrain",
        abstract: "Train a challenger on today's history and publish it to the registry only if it is not worse than the current model.",
        discussion: """
            The challenger is trained with the current model's (the champion's) feature spec (with the profile \
            columns it reads), gap, penalty, solver settings, columns let past the leak guard, bands and rules on \
            every decided contact except the most recent window \
            (--window): a source description gives the files and how to read them, not the recipe. Both models are \
            scored on that window: ROC AUC with DeLong's paired test, log loss, calibration error, and the share of \
            conversions in the top 10%. When the champion's data end after the window starts, only the window's \
            leads decided after that count, if they hold 10 wins and 10 losses; otherwise the output says that the \
            champion may have trained on part of the window.

            The challenger is published (refitted on every decided contact, then made current) when its AUC is at \
            least the champion's minus --auc-margin and its log loss at most the champion's plus \
            --log-loss-margin; or when the champion's data ended more than --max-age before these. It is never \
            published, unless with --force, when its own AUC interval reaches down to 0.5 (it learned nothing: \
            shuffled or broken labels) or when an event type the champion uses is missing from the whole events \
            file (a broken export). Either way the challenger is stored in the registry and the decision logged.

            Exit status: 0 published, 4 kept (the champion stays current), 1 bad input, 2 the data give no model, \
            3 the registry cannot be written, 64 usage error. With --dry-run the status is the one the decision \
            would have, and nothing is written.

            Examples:
              leadscore models init registry --model models/sample.json
              leadscore retrain --registry registry --contacts contacts.csv --events events.csv --outcomes outcomes.csv
              leadscore retrain --registry registry --source source.json --window 30d --format json
              leadscore retrain --registry registry --source source.json --as-of 2026-06-30T23:59:59Z --dry-run
            """
    )

    /// `retrain`'s exit status when the champion stays current.
    static let keptStatus: Int32 = 4

    @Option(help: ArgumentHelp("The model registry (made by `leadscore models init`).", valueName: "folder"))
    var registry: String

    @OptionGroup(title: "Input") var input: InputOptions

    @Option(help: ArgumentHelp("The recent decided contacts both models are measured on: a share by decided_at (20%) or a span before the end of the data (30d).", valueName: "share|span"))
    var window: String = "20%"

    @Option(name: .customLong("auc-margin"), help: "How much lower the challenger's ROC AUC may be and still count as not worse.")
    var aucMargin: Double = 0.01

    @Option(name: .customLong("log-loss-margin"), help: "How much higher the challenger's log loss may be and still count as not worse.")
    var logLossMargin: Double = 0.02

    @Option(name: .customLong("max-age"), help: ArgumentHelp("Publish a challenger that learned something whenever the champion's data end longer than this before the current data.", valueName: "span"))
    var maxAge: String = "90d"

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Replay the data as known at this ISO 8601 time: later contacts, outcomes and events are left out.", valueName: "time"))
    var asOf: String?

    @Option(name: .customLong("allow-leak"), help: ArgumentHelp("Keep this profile column although it gives the outcome away (repeatable), besides those the champion was trained with: only when it is truly known before the outcome.", valueName: "column"))
    var allowLeak: [String] = []

    @Flag(help: "Publish the challenger whatever the comparison says.")
    var force = false

    @Flag(name: .customLong("dry-run"), help: "Compare and decide, but write nothing to the registry.")
    var dryRun = false

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    private var parsedWindow: Retraining.Window? {
        if window.hasSuffix("%"), let share = Double(window.dropLast()), share > 0, share < 100 { return .share(share / 100) }
        if let span = TimeSpan.parse(window), span.seconds > 0 { return .span(span) }
        return nil
    }

    func validate() throws {
        guard parsedWindow != nil else {
            throw ValidationError("--window takes a share of the decided contacts (20%) or a span (30d, 8w), not \"\(window)\"")
        }
        guard aucMargin >= 0, aucMargin < 1 else { throw ValidationError("--auc-margin must be between 0 and 1") }
        guard logLossMargin >= 0, logLossMargin.isFinite else { throw ValidationError("--log-loss-margin must be 0 or more") }
        guard let age = TimeSpan.parse(maxAge)?.seconds, age > 0 else {
            throw ValidationError("--max-age takes a span such as 90d or 12w, not \"\(maxAge)\"")
        }
        try AsOfOption.validate(asOf)
        if force && dryRun { throw ValidationError("--force publishes and --dry-run writes nothing: give one of them") }
    }

    func run() throws {
        var status: Int32 = 0
        try Failure.guarding {
            guard case .history(let source, _) = try input.resolve(outcomes: .required, what: "the current history: --contacts, --events and --outcomes, or --source") else {
                throw ValidationError("retrain works on contact history (--contacts, --events, --outcomes or a source description), not on a table")
            }
            var retraining = Retraining(registry: ModelRegistry(folder: registry), source: source, policy: input.policy)
            retraining.window = parsedWindow!
            retraining.aucMargin = aucMargin
            retraining.logLossMargin = logLossMargin
            retraining.maxAge = TimeSpan.parse(maxAge)!
            retraining.force = force
            retraining.dryRun = dryRun
            retraining.asOf = asOf.flatMap(Timestamp.parse)
            retraining.allowedLeaks = Set(allowLeak)
            let line = input.progressLine()
            retraining.progress = line?.report
            let outcome = try retraining.run()
            line?.finish()
            let report = RetrainReport(outcome: outcome, registry: registry)
            switch format {
            case .text: emit(input.quiet ? report.line + "\n" : report.text())
            case .json: emit(try report.json())
            }
            if outcome.decision == .kept { status = Self.keptStatus }
        }
        if status != 0 { throw ExitCode(status) }
    }
}
