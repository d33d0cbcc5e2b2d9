import Foundation
import LeadData
package import LinearAlgebra
import Scoring
package import Training
import Workflows

/// Times the scorer's fast path, `LogisticFit.probabilities(rows:count:into:threads:)`, on a feature matrix in
/// memory: leads per second at the default thread count and at each count asked for, so the default can be chosen
/// by measurement.
package struct ScoringBenchmark: Sendable {
    /// Timed passes per thread count; the fastest is reported.
    package var repeats: Int
    /// Thread counts to time besides the default (one per core).
    package var threadCounts: [Int]

    package init(repeats: Int = 3, threadCounts: [Int] = [1, 2]) {
        self.repeats = repeats
        self.threadCounts = threadCounts
    }

    /// One thread count's best pass.
    package struct Run: Codable, Sendable {
        package var threads: Int
        package var seconds: Double
        package var leadsPerSecond: Double
    }

    /// The default thread count's figures, and every count's.
    package struct Timing: Codable, Sendable {
        package var rows, features, threads: Int
        package var seconds, leadsPerSecond: Double
        package var runs: [Run]
    }

    /// Scores every row of `matrix` with `fit`, best of `repeats` per thread count.
    package func run(_ fit: LogisticFit, on matrix: Matrix) -> Timing {
        precondition(matrix.columns == fit.coefficients.count, "the matrix has \(matrix.columns) features, the fit \(fit.coefficients.count)")
        let defaultThreads = ProcessInfo.processInfo.activeProcessorCount
        var probabilities = [Double](repeating: 0, count: matrix.rows)
        var checksum = 0.0
        func best(_ threads: Int?) -> Run {
            let clock = ContinuousClock()
            var seconds = Double.infinity
            for _ in 0..<max(1, repeats) {
                let start = clock.now
                matrix.storage.withUnsafeBufferPointer { rows in
                    probabilities.withUnsafeMutableBufferPointer { p in
                        fit.probabilities(rows: rows, count: matrix.rows, into: p, threads: threads)
                    }
                }
                seconds = min(seconds, (clock.now - start).seconds)
                checksum += probabilities[matrix.rows / 2]
            }
            let n = threads ?? defaultThreads
            return Run(threads: n, seconds: seconds, leadsPerSecond: seconds > 0 ? Double(matrix.rows) / seconds : 0)
        }
        // Warm the pages and the thread pool once before timing.
        _ = best(nil)
        let main = best(nil)
        var runs = threadCounts.filter { $0 != defaultThreads }.map { best($0) } + [main]
        runs.sort { $0.threads < $1.threads }
        precondition(checksum.isFinite, "probabilities are finite")
        return Timing(rows: matrix.rows, features: matrix.columns, threads: main.threads, seconds: main.seconds,
                      leadsPerSecond: main.leadsPerSecond, runs: runs)
    }
}
