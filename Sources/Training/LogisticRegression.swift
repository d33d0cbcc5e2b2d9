import Foundation
import LinearAlgebra

/// L2-regularised logistic regression: the options of the estimator, separate from what a fit learns.
///
/// Minimises `sum_i s_i * logloss(y_i, sigmoid(b + x_i . w)) + (l2 / 2) * |w|^2` with the intercept unpenalised;
/// with `l2 = 1 / C` this is scikit-learn's `LogisticRegression(C=C)` on the same matrix.
public struct LogisticRegression: Sendable {
    /// The L2 penalty `lambda` (0 for an unpenalised maximum-likelihood fit).
    public var l2: Double
    /// Which solver to use; `auto` follows `Solver.newtonMaxFeatures`.
    public var solver: Solver
    /// Converged when max |gradient| (and, for Newton, half the squared Newton decrement) per unit of sample weight is at
    /// most this; without a penalty at most `unpenalisedTolerance`.
    public var tolerance: Double
    /// The iteration limit; `nil` means 100 for Newton-Cholesky and 10,000 for L-BFGS.
    public var maxIterations: Int?
    /// Worker threads for the row passes; `nil` means one per active core. The result does not depend on it.
    public var threads: Int?
    /// Sign constraints, one per feature (`nil`: all free). Any constraint fits with ``ProjectedNewtonSolver``,
    /// whatever `solver` says.
    public var signs: [WeightSign]?

    public init(l2: Double = 1, solver: Solver = .auto, tolerance: Double = 1e-10, maxIterations: Int? = nil, threads: Int? = nil) {
        self.l2 = l2
        self.solver = solver
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.threads = threads
    }

    /// The loosest tolerance used without a penalty, where the quasi-separation check needs the true optimum.
    public static let unpenalisedTolerance = 1e-10

    /// Fits the model, checking the data first; `warmStart` is `[b, w...]` from a nearby fit (e.g. the previous penalty).
    public func fit(_ data: TrainingData, warmStart: [Double]? = nil) throws(TrainingError) -> LogisticFit {
        try fit(data, warmStart: warmStart, contrasts: []).fit
    }

    /// Fits the model and estimates each of `contrasts` (a weighted sum of weights, such as "everything an event
    /// type's features do together") with its standard error; an estimate's standard error is nil when the Hessian
    /// was too large to invert.
    ///
    /// The variance is that of the penalised estimate, `a' H^-1 (X'WX) H^-1 a` with `H = X'WX + lambda I` (the
    /// sandwich; `a' H^-1 a` without a penalty). The plain `a' H^-1 a` would charge a contrast for directions the data
    /// barely identify (an event type's all-time and 90-day counts are nearly equal when most leads are young), where
    /// `H^-1` is the prior's `1 / lambda` rather than anything the data say.
    public func fit(_ data: TrainingData, warmStart: [Double]? = nil,
                    contrasts: [Contrast]) throws(TrainingError) -> (fit: LogisticFit, contrasts: [ContrastEstimate]) {
        guard tolerance > 0 else { throw .invalidOption("the tolerance must be positive") }
        if let signs, signs.count != data.columns { throw .shapeMismatch("\(signs.count) sign constraints for \(data.columns) features") }
        // The row passes parallelise themselves; OpenBLAS threads would compete with them for the same cores.
        let (fit, outcome) = try BLASRuntime.withSingleThread { () throws(TrainingError) -> (LogisticFit, SolverOutcome) in
            try fitSingleThreadedBLAS(data, warmStart: warmStart)
        }
        let estimates = contrasts.map { contrast in
            let estimate = contrast.terms.reduce(0) { $0 + $1.weight * fit.coefficients[$1.feature] }
            let variance = outcome.covariance.map { c in
                var a = [Double](repeating: 0, count: c.order)
                for term in contrast.terms { a[term.feature + 1] += term.weight }
                let ca = c.multiply(a)
                // a' C a - lambda |C a|^2 over the weights (the intercept is not penalised) = a' C (C^-1 - lambda I) C a.
                return zip(a, ca).reduce(0) { $0 + $1.0 * $1.1 } - l2 * ca.dropFirst().reduce(0) { $0 + $1 * $1 }
            }
            return ContrastEstimate(estimate: estimate, standardError: variance.map { max(0, $0).squareRoot() })
        }
        return (fit, estimates)
    }

    private func fitSingleThreadedBLAS(_ data: TrainingData, warmStart: [Double]?) throws(TrainingError) -> (LogisticFit, SolverOutcome) {
        let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let partitions = RowPartitions(rows: data.rows, workers: workers)
        try DataCheck.validate(data, l2: l2, partitions: partitions)
        let objective = LogisticObjective(data: data, l2: l2, partitions: partitions)
        let start = warmStart ?? initialParameters(objective)
        guard start.count == objective.parameterCount else { throw .shapeMismatch("warm start has \(start.count) values") }

        let chosen = solver.resolved(features: data.columns)
        // Without a penalty the optimum may not exist; telling that apart from an unfinished fit needs a tight fit.
        let tolerance = l2 == 0 ? min(self.tolerance, LogisticRegression.unpenalisedTolerance) : self.tolerance
        let outcome: SolverOutcome
        do {
            switch chosen {
            case _ where signs?.contains(where: { $0 != .free }) == true:
                outcome = try ProjectedNewtonSolver(tolerance: tolerance, maxIterations: maxIterations ?? 100)
                    .minimise(objective, from: start, signs: signs!)
            case .lbfgs:
                outcome = try LBFGSSolver(tolerance: tolerance, maxIterations: maxIterations ?? 10_000).minimise(objective, from: start)
            default:
                outcome = try NewtonCholeskySolver(tolerance: tolerance, maxIterations: maxIterations ?? 100).minimise(objective, from: start)
            }
        } catch {
            // With a penalty the values were not checked up front (see DataCheck): a NaN or infinity is the likely cause.
            try DataCheck.firstNonFinite(data)
            throw error
        }
        // A constrained optimum has a gradient on its fixed weights, which this check would read as divergence.
        if l2 == 0, signs?.contains(where: { $0 != .free }) != true { try checkIdentified(outcome, names: data.featureNames) }
        let se = outcome.covariance.map { c in c.diagonal.map { $0.squareRoot() } }
        let fit = LogisticFit(intercept: outcome.theta[0], coefficients: Array(outcome.theta.dropFirst()),
                              featureNames: data.featureNames, l2: l2, solver: chosen, iterations: outcome.iterations,
                              objectiveTrace: outcome.objectiveTrace, maxGradient: outcome.maxGradient,
                              interceptStandardError: se?.first, standardErrors: se.map { Array($0.dropFirst()) },
                              standardErrorsArePenalised: l2 > 0)
        return (fit, outcome)
    }

    /// Weights at zero and the intercept at the log-odds of the (weighted) base rate: the optimum when no feature helps.
    private func initialParameters(_ objective: LogisticObjective) -> [Double] {
        var positive = 0.0
        for i in objective.y.indices { positive += objective.s[i] * objective.y[i] }
        let rate = positive / objective.weightSum
        var theta = [Double](repeating: 0, count: objective.parameterCount)
        theta[0] = log(rate / (1 - rate))
        return theta
    }

    /// Without a penalty, an optimum must exist: the Hessian must be invertible, and the Newton step at the reported
    /// optimum must be negligible. Under quasi-complete separation the gradient vanishes only because some
    /// probabilities saturate, while the step along the diverging direction stays of order one.
    private func checkIdentified(_ outcome: SolverOutcome, names: [String]) throws(TrainingError) {
        guard let covariance = outcome.covariance else { return }  // too wide to form: nothing to check against
        let step = covariance.multiply(outcome.gradient)
        guard let largest = step.indices.dropFirst().max(by: { abs(step[$0]) < abs(step[$1]) }) else { return }
        if abs(step[largest]) > 1e-3 { throw .quasiSeparable(feature: names[largest - 1]) }
    }
}
