import Foundation
import LeadData
import LinearAlgebra
import Scoring
package import Training
import Workflows

/// Times the trainer on a seeded synthetic design matrix (standard normal features, logistic labels), so the figure
/// can be reproduced anywhere and compared with another tool on the same matrix.
package struct TrainingBenchmark: Sendable {
    package var rows: Int
    package var features: Int
    package var seed: UInt64
    package var l2: Double
    package var solver: Solver
    /// Trainer worker threads; `nil` means one per core.
    package var threads: Int?

    package init(rows: Int, features: Int, seed: UInt64 = 1, l2: Double = 1, solver: Solver = .auto, threads: Int? = nil) {
        self.threads = threads
        self.rows = rows
        self.features = features
        self.seed = seed
        self.l2 = l2
        self.solver = solver
    }

    /// The synthetic data: weights `0.5 * (-1)^j / (1 + j / 10)`, intercept -2 (a base rate around 15-20%).
    package func data() -> TrainingData {
        var generator = SeededGenerator(seed: seed)
        var x = Matrix(rows: rows, columns: features)
        var y = [Double](repeating: 0, count: rows)
        let weights = (0..<features).map { j -> Double in
            let sign: Double = j % 2 == 0 ? 1 : -1
            return 0.5 * sign / (1 + Double(j) / 10)
        }
        x.storage.withUnsafeMutableBufferPointer { m in
            for i in 0..<rows {
                var z = -2.0
                for j in 0..<features {
                    // Box-Muller from two uniforms; (0, 1] for the logarithm.
                    let u = 1 - generator.nextDouble(), v = generator.nextDouble()
                    let value = (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
                    m[i * features + j] = value
                    z += weights[j] * value
                }
                y[i] = generator.nextDouble() < 1 / (1 + exp(-z)) ? 1 : 0
            }
        }
        return TrainingData(features: x, labels: y)
    }

    /// What one timed fit took.
    package struct Timing: Codable, Sendable {
        package var rows, features, iterations, threads: Int
        package var seconds, secondsPerIteration, objective: Double
        package var solver: String
        package var blasCore: String
    }

    /// Fits `repeats` times and reports the fastest.
    package func run(on data: TrainingData, repeats: Int = 3) throws -> Timing {
        try timedFit(on: data, repeats: repeats).timing
    }

    /// As ``run(on:repeats:)``, with the fit itself (the scoring benchmarks score with its coefficients).
    package func timedFit(on data: TrainingData, repeats: Int = 3) throws -> (timing: Timing, fit: LogisticFit) {
        let clock = ContinuousClock()
        var best = Double.infinity
        var fit: LogisticFit? = nil
        for _ in 0..<max(1, repeats) {
            let start = clock.now
            fit = try LogisticRegression(l2: l2, solver: solver, threads: threads).fit(data)
            best = min(best, (clock.now - start).seconds)
        }
        let f = fit!
        return (Timing(rows: rows, features: features, iterations: f.iterations, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
                      seconds: best, secondsPerIteration: best / Double(max(1, f.iterations)), objective: f.objective,
                      solver: f.solver.rawValue, blasCore: BLASRuntime.coreName), f)
    }
}
