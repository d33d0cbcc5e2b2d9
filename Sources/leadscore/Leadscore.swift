import ArgumentParser
import Foundation
import LeadData

/// The `leadscore` command: learn lead scores from wins and losses, and show how they compare with rule points.
@main
struct Leadscore: AsyncParsableCommand {
    /// The version `--version` prints.
    static let version = "0.2.0"

    static let configuration = CommandConfiguration(
        commandName: "leadscore",
        abstract: "Predictive lead scoring: learn from historical wins and losses which leads convert.",
        discussion: """
            Start with `leadscore demo`, which compares the shipped sample model with the seed rules and ranks the open leads.

            Exit status: 0 on success; 1 when an input file is at fault (the message names file and line); \
            2 when the data cannot give a model (one class, separable without a penalty, ...); \
            3 when an output file cannot be written; 64 for a usage error. `retrain` exits 4 when it keeps the current \
            model; `monitor` exits 4 on a warning and 5 on an alert.
            """,
        version: "leadscore \(version)",
        subcommands: [DemoCommand.self, SourceCommand.self, SQLCommand.self, TrainCommand.self, RulesCommand.self, FeaturesCommand.self, ExplainCommand.self, CompareCommand.self,
                      ScoreCommand.self, ServeCommand.self, RetrainCommand.self, ModelsCommand.self, MonitorCommand.self, BenchCommand.self, GenerateCommand.self]
    )

    /// Runs as ArgumentParser does, after answering an unknown subcommand with the closest names ("did you mean";
    /// ArgumentParser suggests options itself). The run itself is ArgumentParser's `main(_:)`, off the main thread:
    /// there, Dispatch keeps SIGINT and SIGTERM blocked, and a run could not be interrupted.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, !first.hasPrefix("-") {
            let names = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
            if !names.contains(first) {
                var message = "Error: Unknown subcommand '\(first)'."
                if let near = Suggestion.closest(to: first, in: names) { message += " Did you mean '\(near)'?" }
                message += "\nUsage: leadscore <subcommand>\n  See 'leadscore --help' for the subcommands.\n"
                FileHandle.standardError.write(Data(message.utf8))
                Foundation.exit(ExitCode.validationFailure.rawValue)
            }
        }
        await main(nil)
    }
}
