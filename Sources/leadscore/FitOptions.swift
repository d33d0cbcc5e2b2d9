public import ArgumentParser
import Scoring
import Training
import Workflows

/// The options of the trainer: penalty, solver, tolerance.
struct FitOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The L2 penalty lambda (0 = none), or `auto` to choose it by cross-validated log loss.", valueName: "value|auto"))
    var l2: String = "1"

    @Option(help: "Folds for --l2 auto.")
    var folds: Int = 5

    @Option(help: "Seed for the folds of --l2 auto and for the table-mode holdout.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("newton-cholesky, lbfgs, or auto (Newton-Cholesky up to \(Solver.newtonMaxFeatures) features).", valueName: "solver"))
    var solver: Solver = .auto

    @Option(help: "Converged when max |gradient| per lead is at most this.")
    var tolerance: Double = 1e-10

    @Option(name: .customLong("max-iterations"), help: "Iteration limit (default: 100 for Newton-Cholesky, 10000 for L-BFGS).")
    var maxIterations: Int?

    func validate() throws {
        if l2 != "auto" {
            guard let value = Double(l2), value.isFinite, value >= 0 else {
                throw ValidationError("--l2 takes a number >= 0 or `auto`, not \"\(l2)\"")
            }
        }
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2") }
        guard tolerance > 0, tolerance.isFinite else { throw ValidationError("--tolerance must be a positive number") }
        if let maxIterations, maxIterations < 1 { throw ValidationError("--max-iterations must be at least 1") }
    }

    var penalty: TrainingPenalty {
        l2 == "auto" ? .auto(folds: folds, seed: seed) : .fixed(Double(l2) ?? 1)
    }

    var estimator: LogisticRegression {
        LogisticRegression(solver: solver, tolerance: tolerance, maxIterations: maxIterations)
    }
}

extension Solver: ExpressibleByArgument {}
