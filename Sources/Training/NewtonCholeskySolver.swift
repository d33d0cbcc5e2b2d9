import LinearAlgebra

/// Newton-Cholesky (IRLS) for the logistic objective, readable top to bottom.
///
/// Each iteration: objective, gradient and Hessian in one blocked pass (`syrk`); the Newton step from the Cholesky
/// factor (`potrf`/`potrs`); `q = X . step` (one `gemv`); then a backtracking line search on `z + t q`, which never
/// touches `X` again. Converged when both max |gradient| and half the squared Newton decrement, per unit of sample
/// weight, are at most `tolerance` (scikit-learn's criterion). The factor of the final Hessian gives the covariance.
struct NewtonCholeskySolver {
    var tolerance: Double
    var maxIterations: Int

    /// Armijo's sufficient-decrease constant.
    private let armijo = 1e-4

    func minimise(_ objective: LogisticObjective, from start: [Double]) throws(TrainingError) -> SolverOutcome {
        let weightSum = objective.weightSum
        var theta = start
        var z = objective.linearPredictor(theta)
        var trace: [Double] = []
        var iteration = 0
        var known: Double? = nil  // the objective at theta, once a line search has computed it
        while true {
            let (value, g, hessian) = objective.gradientHessian(z: z, theta: theta, withValue: known == nil)
            let f = known ?? value!
            trace.append(f)
            let maxGradient = g.reduce(0) { max($0, abs($1)) } / weightSum
            guard let factor = Cholesky(hessian) else { throw .singularHessian }
            let step = factor.solve(g.map { -$0 })
            let slope = BLAS.dot(g, step)  // g . step = -(Newton decrement)^2
            if maxGradient <= tolerance && -0.5 * slope / weightSum <= tolerance {
                return SolverOutcome(theta: theta, iterations: iteration, objectiveTrace: trace,
                                     maxGradient: maxGradient, gradient: g, covariance: factor.inverse())
            }
            guard iteration < maxIterations, slope < 0 else {
                throw .notConverged(iterations: iteration, maxGradient: maxGradient, l2: objective.l2)
            }

            let q = objective.direction(step)
            var t = 1.0
            known = nil
            for _ in 0..<60 {
                let (ft, slopeT) = objective.alongLine(z: z, q: q, theta: theta, delta: step, step: t)
                // Sufficient decrease; or, at the optimum, a change lost in rounding while the slope still shrinks.
                if ft <= f + armijo * t * slope || (ft <= f + 1e-12 * abs(f) && abs(slopeT) < abs(slope)) {
                    known = ft
                    break
                }
                t *= 0.5
            }
            guard known != nil else {
                throw .notConverged(iterations: iteration, maxGradient: maxGradient, l2: objective.l2)
            }
            for j in theta.indices { theta[j] += t * step[j] }
            for i in z.indices { z[i] += t * q[i] }
            iteration += 1
            if objective.l2 == 0 && objective.separates(z: z) { throw .separable }
        }
    }
}
