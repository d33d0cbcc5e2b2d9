import LinearAlgebra

/// Newton-Cholesky (IRLS) for the logistic objective, readable top to bottom.
///
/// Each iteration factors the Hessian (`potrf`) and solves for the Newton step (`potrs`). The whole step is then
/// taken and evaluated in one pass over `X`: `X . step` block by block, and the objective, gradient and Hessian at the
/// new point (`LogisticObjective.stepGradientHessian`). If the objective did not decrease enough (Armijo), the step is
/// halved along `z + t X.step` without touching `X`, and the accepted point gets a pass of its own. Converged when
/// both max |gradient| and half the squared Newton decrement, per unit of sample weight, are at most `tolerance`
/// (scikit-learn's criterion).
///
/// Mixed precision: far from the optimum a Hessian only has to point the way, so for penalised fits its products
/// are single precision (half the work) until the decrement falls below `singlePrecisionUntil`; from then on, and
/// whenever single precision falters (a factorisation or line search that fails), Hessians are double. Convergence
/// is only ever declared with a double-precision Hessian at the final point, whose factor gives the covariance: the
/// answer and the standard errors are those of the exact Newton method, only the way there is cheaper.
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
        var iteration = 0
        // Single-precision Hessians while far from the optimum, for penalised fits only: without a penalty the Hessian
        // can be near singular (collinear or quasi-separated features), and the quasi-separation check needs exact steps.
        var single = objective.l2 > 0
        var (f, g, hessian) = evaluate(objective, z: z, theta: theta, value: nil, single: single)
        var trace = [f]
        while true {
            guard let factor = Cholesky(hessian) else {
                guard single else { throw .singularHessian }
                single = false
                (f, g, hessian) = evaluate(objective, z: z, theta: theta, value: f, single: false)
                continue
            }
            let maxGradient = g.reduce(0) { max($0, abs($1)) } / weightSum
            let step = factor.solve(g.map { -$0 })
            let slope = BLAS.dot(g, step)  // g . step = -(Newton decrement)^2
            let decrement = -0.5 * slope / weightSum
            if maxGradient <= tolerance && decrement <= tolerance {
                guard single else {
                    return SolverOutcome(theta: theta, iterations: iteration, objectiveTrace: trace,
                                         maxGradient: maxGradient, gradient: g, covariance: factor.inverse())
                }
                // Converged by a single-precision Hessian: confirm with a double one here, which gives the covariance.
                single = false
                (f, g, hessian) = evaluate(objective, z: z, theta: theta, value: f, single: false)
                continue
            }
            guard iteration < maxIterations, slope < 0 else {
                throw .notConverged(iterations: iteration, maxGradient: maxGradient, l2: objective.l2)
            }
            // The precision of the next Hessian is chosen before the pass that builds it.
            if decrement <= singlePrecisionUntil || iteration + 1 >= singlePrecisionSteps { single = false }

            let whole = single
                ? objective.stepGradientHessian(z: z, step: step, theta: theta, precision: Float.self)
                : objective.stepGradientHessian(z: z, step: step, theta: theta, precision: Double.self)
            if accepts(whole.value, slope: BLAS.dot(whole.gradient, step), at: 1, from: f, slope: slope) {
                for j in theta.indices { theta[j] += step[j] }
                z = whole.z
                (f, g, hessian) = (whole.value, whole.gradient, whole.hessian)
            } else {
                var t = 0.5, accepted: Double? = nil
                for _ in 1..<60 {
                    let (ft, slopeT) = objective.alongLine(z: z, q: whole.q, theta: theta, delta: step, step: t)
                    if accepts(ft, slope: slopeT, at: t, from: f, slope: slope) {
                        accepted = ft
                        break
                    }
                    t *= 0.5
                }
                guard let value = accepted else {
                    guard single else { throw .notConverged(iterations: iteration, maxGradient: maxGradient, l2: objective.l2) }
                    single = false
                    (f, g, hessian) = evaluate(objective, z: z, theta: theta, value: f, single: false)
                    continue
                }
                for j in theta.indices { theta[j] += t * step[j] }
                for i in z.indices { z[i] += t * whole.q[i] }
                (f, g, hessian) = evaluate(objective, z: z, theta: theta, value: value, single: single)
            }
            iteration += 1
            trace.append(f)
            if objective.l2 == 0 && objective.separates(z: z) { throw .separable }
        }
    }

    /// Armijo's sufficient decrease at step `t`; or, at the optimum, a change lost in rounding while the slope still
    /// shrinks.
    private func accepts(_ value: Double, slope slopeT: Double, at t: Double, from f: Double, slope: Double) -> Bool {
        value <= f + armijo * t * slope || (value <= f + 1e-12 * abs(f) && abs(slopeT) < abs(slope))
    }

    /// The objective (unless already `value`), gradient and Hessian at `theta`, in the chosen precision.
    private func evaluate(_ objective: LogisticObjective, z: [Double], theta: [Double], value: Double?,
                          single: Bool) -> (Double, [Double], SymmetricMatrix) {
        let (computed, g, hessian) = single
            ? objective.gradientHessian(z: z, theta: theta, withValue: value == nil, precision: Float.self)
            : objective.gradientHessian(z: z, theta: theta, withValue: value == nil)
        return (value ?? computed!, g, hessian)
    }
}
