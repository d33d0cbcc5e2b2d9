import ArgumentParser
import Features
import Foundation
import LeadData
import LinearAlgebra
import Scoring

/// `leadscore bench`: time the trainer on a synthetic matrix.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time training on a seeded synthetic design matrix (release builds only give meaningful figures).",
        discussion: """
            Examples:
              swift run -c release leadscore bench --rows 1000000 --features 50
              swift run -c release leadscore bench --rows 1000000 --features 50 \\
                --export /tmp/X.csv
              python3 ../shared/peers/sklearn_fit.py /tmp/X.csv --id row --l2 1 \\
                --solvers newton-cholesky --tol 1e-10
            """
    )

    @Option(help: "Rows of the synthetic matrix.") var rows: Int = 1_000_000
    @Option(help: "Features of the synthetic matrix.") var features: Int = 50
    @Option(help: "L2 penalty.") var l2: Double = 1
    @Option(help: "Trainer threads (default: one per core; OpenBLAS runs single-threaded inside).") var threads: Int?
    @Option(help: "Timed repetitions; the fastest is reported.") var repeats: Int = 3
    @Option(help: ArgumentHelp("Also write the matrix as CSV, to fit another tool on the same data.", valueName: "X.csv"))
    var export: String?
    @Option(help: "text or json.") var format: OutputFormat = .text

    func validate() throws {
        guard rows >= 2 else { throw ValidationError("--rows must be at least 2") }
        guard features >= 1 else { throw ValidationError("--features must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        guard l2 >= 0, l2.isFinite else { throw ValidationError("--l2 must be a number >= 0") }
    }

    func run() throws {
        try Failure.guarding {
            let bench = TrainingBenchmark(rows: rows, features: features, l2: l2, threads: threads)
            let data = bench.data()
            if let export {
                let design = DesignMatrix(ids: (1...rows).map(String.init), labels: data.labels, weights: nil,
                                          features: data.features, featureNames: data.featureNames)
                try DesignMatrixCSV.write(design, idColumn: "row", to: export)
            }
            let t = try bench.run(on: data, repeats: repeats)
            switch format {
            case .json: emit(try DeterministicJSON.encode(["train": t]))
            case .text:
                emit("train \(t.rows) x \(t.features): \(String(format: "%.3f", t.seconds)) s, \(t.iterations) iterations (\(String(format: "%.3f", t.secondsPerIteration)) s each), \(t.solver), objective \(t.objective), \(t.threads) thread(s), OpenBLAS core \(t.blasCore)\n")
            }
        }
    }
}
