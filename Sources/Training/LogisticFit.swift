import Foundation
public import LinearAlgebra

/// A fitted logistic regression on the scale it was trained on: weights, their uncertainty, and how the solver got there.
public struct LogisticFit: Sendable, Codable, Equatable {
    /// The intercept `b` (log-odds of conversion when every feature is 0, i.e. at its mean when standardised).
    public var intercept: Double
    /// One weight per feature, in log-odds per unit of the feature as trained.
    public var coefficients: [Double]
    /// The feature names, in column order.
    public var featureNames: [String]
    /// The L2 penalty `lambda` the fit used.
    public var l2: Double
    /// The solver that produced the fit (never `auto`).
    public var solver: Solver
    /// Solver iterations taken.
    public var iterations: Int
    /// The objective at each iterate, the last one at the optimum.
    public var objectiveTrace: [Double]
    /// max |gradient| divided by the sum of sample weights, at the optimum.
    public var maxGradient: Double
    /// The standard error of the intercept; `nil` when the Hessian was too large to invert.
    public var interceptStandardError: Double?
    /// One standard error per coefficient, from the diagonal of the inverse Hessian; `nil` when not formed.
    public var standardErrors: [Double]?
    /// Whether the standard errors come from the penalised Hessian `X'WX + lambda I` (true whenever `l2 > 0`).
    ///
    /// With a penalty they are the usual Wald-style approximation around the penalised optimum and understate
    /// uncertainty for heavily shrunk weights; with `l2 = 0` they are the classical maximum-likelihood ones.
    public var standardErrorsArePenalised: Bool

    /// The final objective value.
    public var objective: Double { objectiveTrace.last ?? .nan }

    /// `coefficient / standard error` for each feature (Wald z).
    public var zScores: [Double]? {
        standardErrors.map { se in zip(coefficients, se).map { $0 / $1 } }
    }

    /// Two-sided p-values of the Wald z scores, `2 * Phi(-|z|)`.
    public var pValues: [Double]? {
        zScores.map { zs in zs.map { erfc(abs($0) / 2.0.squareRoot()) } }
    }

    /// 95% Wald intervals `coefficient -+ 1.96 * standard error`.
    public var confidenceIntervals: [ClosedRange<Double>]? {
        standardErrors.map { se in
            zip(coefficients, se).map { ($0 - LogisticFit.z95 * $1)...($0 + LogisticFit.z95 * $1) }
        }
    }

    /// The 97.5% quantile of the standard normal distribution.
    public static let z95 = 1.959963984540054

    /// The probability of conversion for each row of `features` (same columns as in training).
    public func probabilities(for features: Matrix) -> [Double] {
        logOdds(for: features).map(sigmoid)
    }

    /// The log-odds of conversion for each row of `features`, `b + x . w`: exact where a probability would round to
    /// 0 or 1.
    public func logOdds(for features: Matrix) -> [Double] {
        var z = [Double](repeating: intercept, count: features.rows)
        BLAS.multiply(features, coefficients, into: &z, beta: 1)
        return z
    }

    /// The probability of conversion of each of `count` rows held row-major in `rows` (same columns as in training),
    /// written into `probabilities`: the scorer's fast path, one gemv pass and an in-place sigmoid, no allocation.
    ///
    /// A row's probability is the same bit for bit whatever `count` and whatever the number of threads, so scoring a
    /// file in chunks gives exactly what scoring it at once gives. Large inputs run on `threads` cores (default: all)
    /// over fixed partitions of rows, with OpenBLAS held at one thread.
    public func probabilities(rows: UnsafeBufferPointer<Double>, count: Int, into probabilities: UnsafeMutableBufferPointer<Double>,
                              threads: Int? = nil) {
        let d = coefficients.count
        precondition(rows.count >= count * d && probabilities.count >= count, "probabilities: \(count) rows of \(d) features do not fit the buffers")
        guard count > 0 else { return }
        // One partition needs no worker count (asking the system for it costs more than scoring a few rows).
        let partitions = RowPartitions(rows: count, workers: count <= RowPartitions.defaultSize ? 1 : threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let b = intercept
        coefficients.withUnsafeBufferPointer { w in
            func score(_ range: Range<Int>) {
                let z = UnsafeMutableBufferPointer(rebasing: probabilities[range])
                z.update(repeating: b)
                BLAS.addProducts(UnsafeBufferPointer(rebasing: rows[(range.lowerBound * d)..<(range.upperBound * d)]),
                                 rows: range.count, columns: d, w, into: z)
                for i in z.indices { z[i] = sigmoid(z[i]) }
            }
            // A few rows (one lead posted to the server) are one gemv that OpenBLAS never threads: no partitions, no lock.
            if count * d < BLASRuntime.gemvSingleThreadedBelow {
                score(0..<count)
            } else {
                BLASRuntime.withSingleThread { _ = partitions.map(score) }
            }
        }
    }
}
