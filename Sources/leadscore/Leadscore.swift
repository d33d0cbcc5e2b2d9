import ArgumentParser

/// The `leadscore` command: learn lead scores from wins and losses, and show how they compare with rule points.
@main
struct Leadscore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadscore",
        abstract: "Predictive lead scoring: learn from historical wins and losses which leads convert.",
        discussion: """
            Start with `leadscore demo`, which compares the shipped sample model with the seed rules and ranks the open leads.

            Exit status: 0 on success; 1 when an input file is at fault (the message names file and line); \
            2 when the data cannot give a model (one class, separable without a penalty, ...); \
            3 when an output file cannot be written; 64 for a usage error.
            """,
        subcommands: [DemoCommand.self, TrainCommand.self, FeaturesCommand.self, ExplainCommand.self, CompareCommand.self, ScoreCommand.self, ServeCommand.self, BenchCommand.self, GenerateCommand.self]
    )
}
