import LinearAlgebra

/// Limited-memory BFGS for the logistic objective, for problems too wide for a Hessian, readable top to bottom.
///
/// Each iteration: a direction from the last `memory` steps (the two-loop recursion); `q = X . direction` (one
/// `gemv`); a line search for the strong Wolfe conditions on `z + t q`, which costs O(n) per trial and never touches
/// `X`; then the gradient at the new point (one `gemv` on `X^T`). Converged when max |gradient| per unit of sample
/// weight is at most `tolerance`. The covariance is formed once at the end when `d + 1 <= covarianceLimit`.
struct LBFGSSolver {
    var tolerance: Double
    var maxIterations: Int
    var memory = 10
    /// Past this many parameters the final Hessian (and so the standard errors) is not formed. Between
    /// `Solver.newtonMaxFeatures` and this, forming it costs one Newton iteration, often more than the L-BFGS fit.
    static let covarianceLimit = 4000

    private let armijo = 1e-4
    private let curvature = 0.9

    func minimise(_ objective: LogisticObjective, from start: [Double]) throws(TrainingError) -> SolverOutcome {
        let weightSum = objective.weightSum
        var theta = start
        var z = objective.linearPredictor(theta)
        var (f, g) = objective.valueAndGradient(z: z, theta: theta)
        var trace = [f]
        var steps: [[Double]] = [], changes: [[Double]] = [], rhos: [Double] = []
        var iteration = 0
        while true {
            let largest = g.reduce(0) { max($0, abs($1)) }
            let maxGradient = largest / weightSum
            if maxGradient <= tolerance {
                var covariance: SymmetricMatrix? = nil
                if theta.count <= LBFGSSolver.covarianceLimit {
                    let hessian = objective.gradientHessian(z: z, theta: theta, withValue: false).hessian
                    guard let factor = Cholesky(hessian) else {
                        if objective.l2 == 0 { throw .singularHessian }
                        return SolverOutcome(theta: theta, iterations: iteration, objectiveTrace: trace,
                                             maxGradient: maxGradient, gradient: g, covariance: nil)
                    }
                    covariance = factor.inverse()
                }
                return SolverOutcome(theta: theta, iterations: iteration, objectiveTrace: trace,
                                     maxGradient: maxGradient, gradient: g, covariance: covariance)
            }
            guard iteration < maxIterations else {
                throw .notConverged(iterations: iteration, maxGradient: maxGradient, l2: objective.l2)
            }

            // Two-loop recursion: direction = -H_k g.
            var direction = g.map { -$0 }
            var alphas = [Double](repeating: 0, count: steps.count)
            for k in stride(from: steps.count - 1, through: 0, by: -1) {
                alphas[k] = rhos[k] * BLAS.dot(steps[k], direction)
                for j in direction.indices { direction[j] -= alphas[k] * changes[k][j] }
            }
            if let s = steps.last, let y = changes.last {
                let gamma = BLAS.dot(s, y) / BLAS.dot(y, y)
                for j in direction.indices { direction[j] *= gamma }
            } else {
                // First step: scale so that the largest move is modest.
                let scale = 1 / max(1, largest)
                for j in direction.indices { direction[j] *= scale }
            }
            for k in 0..<steps.count {
                let beta = rhos[k] * BLAS.dot(changes[k], direction)
                for j in direction.indices { direction[j] += (alphas[k] - beta) * steps[k][j] }
            }
            var slope = BLAS.dot(g, direction)
            if !(slope < 0) {
                // Not a descent direction (rounding after many updates): restart from steepest descent.
                steps.removeAll(); changes.removeAll(); rhos.removeAll()
                direction = g.map { -$0 / max(1, largest) }
                slope = BLAS.dot(g, direction)
            }

            let q = objective.direction(direction)
            guard let t = wolfeStep(objective, z: z, q: q, theta: theta, direction: direction, value: f, slope: slope) else {
                throw .notConverged(iterations: iteration, maxGradient: maxGradient, l2: objective.l2)
            }
            for j in theta.indices { theta[j] += t * direction[j] }
            for i in z.indices { z[i] += t * q[i] }
            // Thousands of in-place updates drift from X . theta; start again from the matrix now and then.
            if (iteration + 1) % 50 == 0 { z = objective.linearPredictor(theta) }
            let (fNew, gNew) = objective.valueAndGradient(z: z, theta: theta)
            let s = direction.map { t * $0 }
            let y = zip(gNew, g).map { $0 - $1 }
            let sy = BLAS.dot(s, y)
            if sy > 1e-12 * BLAS.dot(y, y).squareRoot() * BLAS.dot(s, s).squareRoot() {
                if steps.count == memory { steps.removeFirst(); changes.removeFirst(); rhos.removeFirst() }
                steps.append(s); changes.append(y); rhos.append(1 / sy)
            }
            f = fNew
            g = gNew
            trace.append(f)
            iteration += 1
            if objective.l2 == 0 && objective.separates(z: z) { throw .separable }
        }
    }

    /// A step length meeting the strong Wolfe conditions, by bracketing and safeguarded secant steps on the slope.
    ///
    /// The objective is convex along the line, so its slope grows with `t` and the bracket only shrinks.
    private func wolfeStep(_ objective: LogisticObjective, z: [Double], q: [Double], theta: [Double],
                           direction: [Double], value f: Double, slope: Double) -> Double? {
        var lo = 0.0, loSlope = slope
        var hi = Double.infinity, hiSlope = 0.0
        var t = 1.0
        for _ in 0..<60 {
            let (ft, st) = objective.alongLine(z: z, q: q, theta: theta, delta: direction, step: t)
            let decreased = ft <= f + armijo * t * slope || ft <= f + 1e-12 * abs(f)
            if !decreased || st > curvature * abs(slope) {
                hi = t; hiSlope = st
            } else if st < -curvature * abs(slope) {
                lo = t; loSlope = st
            } else {
                return t
            }
            if hi.isFinite {
                // Secant on the slope, kept inside the middle 80% of the bracket.
                var next = hiSlope > loSlope ? lo - loSlope * (hi - lo) / (hiSlope - loSlope) : 0.5 * (lo + hi)
                next = min(max(next, lo + 0.1 * (hi - lo)), hi - 0.1 * (hi - lo))
                t = next
            } else {
                t *= 4
            }
        }
        return lo > 0 ? lo : nil
    }
}
