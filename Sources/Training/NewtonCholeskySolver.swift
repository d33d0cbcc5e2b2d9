import LinearAlgebra

/// Newton-Cholesky (IRLS) for the logistic objective, readable top to bottom.
///
/// Each iteration: objective, gradient and Hessian in one blocked pass (`GramAccumulator`); the Newton step from the
/// Cholesky factor (`potrf`/`potrs`); `q = X . step` (one `gemv`); then a backtracking line search on `z + t q`, which
/// never touches `X` again. Converged when both max |gradient| and half the squared Newton decrement, per unit of
/// sample weight, are at most `tolerance` (scikit-learn's criterion).
///
/// Mixed precision: far from the optimum a Hessian only has to point the way, so its products are single precision
/// (half the work) until the decrement falls below `singlePrecisionUntil`; from then on, and whenever single precision
/// falters (a factorisation or line search that fails), Hessians are double. Convergence is only ever declared with
/// a double-precision Hessian at the final point, whose factor gives the covariance: the answer and the standard
/// errors are those of the exact Newton method, only the way there is cheaper.
struct NewtonCholeskySolver {
    var tolerance: Double
    var maxIterations: Int

    /// Armijo's sufficient-decrease constant.
    private let armijo = 1e-4
    /// The decrement per unit of sample weight from which Hessians are double precision: Newton is then about one
    /// step from the optimum, and that step's Hessian is the one that confirms convergence and gives the covariance.
    private let singlePrecisionUntil = 1e-8
    /// Steps allowed on single-precision Hessians before double takes over regardless.
    private let singlePrecisionSteps = 8

    func minimise(_ objective: LogisticObjective, from start: [Double]) throws(TrainingError) -> SolverOutcome {
        let weightSum = objective.weightSum
        var theta = start
        var z = objective.linearPredictor(theta)
        var trace: [Double] = []
        var iteration = 0
        var known: Double? = nil  // the objective at theta, once computed
        // Single-precision Hessians while far from the optimum, for penalised fits only: without a penalty the Hessian
        // can be near singular (collinear or quasi-separated features), and the quasi-separation check needs exact steps.
        var single = objective.l2 > 0
        var revisiting = false  // the same theta again, now with a double-precision Hessian
        while true {
            let (value, g, hessian) = single
                ? objective.gradientHessian(z: z, theta: theta, withValue: known == nil, precision: Float.self)
                : objective.gradientHessian(z: z, theta: theta, withValue: known == nil)
            let f = known ?? value!
            if !revisiting { trace.append(f) }
            known = f
            guard let factor = Cholesky(hessian) else {
                if single { (single, revisiting) = (false, true); continue }
                throw .singularHessian
            }
            let maxGradient = g.reduce(0) { max($0, abs($1)) } / weightSum
            let step = factor.solve(g.map { -$0 })
            let slope = BLAS.dot(g, step)  // g . step = -(Newton decrement)^2
            let decrement = -0.5 * slope / weightSum
            if maxGradient <= tolerance && decrement <= tolerance {
                if single { (single, revisiting) = (false, true); continue }
                return SolverOutcome(theta: theta, iterations: iteration, objectiveTrace: trace,
                                     maxGradient: maxGradient, gradient: g, covariance: factor.inverse())
            }
            revisiting = false
            guard iteration < maxIterations, slope < 0 else {
                throw .notConverged(iterations: iteration, maxGradient: maxGradient, l2: objective.l2)
            }

            let q = objective.direction(step)
            var t = 1.0
            var accepted: Double? = nil
            for _ in 0..<60 {
                let (ft, slopeT) = objective.alongLine(z: z, q: q, theta: theta, delta: step, step: t)
                // Sufficient decrease; or, at the optimum, a change lost in rounding while the slope still shrinks.
                if ft <= f + armijo * t * slope || (ft <= f + 1e-12 * abs(f) && abs(slopeT) < abs(slope)) {
                    accepted = ft
                    break
                }
                t *= 0.5
            }
            guard let next = accepted else {
                if single { (single, revisiting) = (false, true); continue }
                throw .notConverged(iterations: iteration, maxGradient: maxGradient, l2: objective.l2)
            }
            known = next
            for j in theta.indices { theta[j] += t * step[j] }
            for i in z.indices { z[i] += t * q[i] }
            iteration += 1
            if objective.l2 == 0 && objective.separates(z: z) { throw .separable }
            if decrement <= singlePrecisionUntil || iteration >= singlePrecisionSteps { single = false }
        }
    }
}
