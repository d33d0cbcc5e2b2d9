import LinearAlgebra

/// Newton's method with some weights held to a sign (Bertsekas' projected Newton method, for bounds at zero).
///
/// Each iteration computes the gradient and Hessian in one pass, fixes the weights that sit at zero with a gradient
/// pushing them out of their allowed side (and those that must be zero), takes the Newton step in the others, and
/// searches along the projection of that step onto the allowed set (Armijo, halving). Converged when the projected
/// gradient (zero for fixed weights) per unit of sample weight is at most `tolerance`: the Karush-Kuhn-Tucker point of
/// a convex problem, so the constrained optimum. Always double precision: constrained fits are small (one per event
/// type's worth of features) and run once after the penalty is chosen.
struct ProjectedNewtonSolver {
    var tolerance: Double
    var maxIterations: Int

    private let armijo = 1e-4

    /// Minimises from `start` projected onto the allowed set; `signs` has one entry per feature (not the intercept).
    func minimise(_ objective: LogisticObjective, from start: [Double], signs: [WeightSign]) throws(TrainingError) -> SolverOutcome {
        precondition(signs.count + 1 == objective.parameterCount, "one sign per feature")
        let bounds = [WeightSign.free] + signs  // the intercept is free
        let weightSum = objective.weightSum
        var theta = zip(start, bounds).map { $1.projected($0) }
        var z = objective.linearPredictor(theta)
        var (value, g, hessian) = objective.gradientHessian(z: z, theta: theta, withValue: true)
        var f = value!
        var trace = [f]
        var iteration = 0
        while true {
            // Fixed: must be zero, or at zero with the descent direction (-g) pointing out of the allowed side.
            let fixed = bounds.indices.map { j -> Bool in
                switch bounds[j] {
                case .free: false
                case .zero: true
                case .nonNegative: theta[j] <= 0 && g[j] > 0
                case .nonPositive: theta[j] >= 0 && g[j] < 0
                }
            }
            let free = bounds.indices.filter { !fixed[$0] }
            let maxGradient = free.reduce(0) { max($0, abs(g[$1])) } / weightSum
            var reduced = SymmetricMatrix(order: free.count)
            for (a, i) in free.enumerated() {
                for (b, j) in free.enumerated() where b >= a {
                    reduced[a, b] = hessian[min(i, j), max(i, j)]  // the pass fills the upper triangle
                }
            }
            guard let factor = Cholesky(reduced) else { throw .singularHessian }
            let reducedStep = factor.solve(free.map { -g[$0] })
            var step = [Double](repeating: 0, count: theta.count)
            for (a, i) in free.enumerated() { step[i] = reducedStep[a] }
            let decrement = -0.5 * zip(free, reducedStep).reduce(0) { $0 + g[$1.0] * $1.1 } / weightSum
            if maxGradient <= tolerance && decrement <= tolerance {
                return SolverOutcome(theta: theta, iterations: iteration, objectiveTrace: trace, maxGradient: maxGradient,
                                     gradient: g, covariance: Self.covariance(hessian))
            }
            guard iteration < maxIterations else {
                throw .notConverged(iterations: iteration, maxGradient: maxGradient, l2: objective.l2)
            }
            var t = 1.0, accepted: (theta: [Double], z: [Double], value: Double)? = nil
            for _ in 0..<60 {
                let trial = theta.indices.map { bounds[$0].projected(theta[$0] + t * step[$0]) }
                let zTrial = objective.linearPredictor(trial)
                let fTrial = objective.valueAndGradient(z: zTrial, theta: trial).value
                let predicted = theta.indices.reduce(0) { $0 + g[$1] * (trial[$1] - theta[$1]) }
                if fTrial <= f + armijo * predicted || (fTrial <= f + 1e-12 * abs(f) && predicted > -1e-12 * abs(f)) {
                    accepted = (trial, zTrial, fTrial)
                    break
                }
                t *= 0.5
            }
            guard let next = accepted else {
                throw .notConverged(iterations: iteration, maxGradient: maxGradient, l2: objective.l2)
            }
            (theta, z, f) = (next.theta, next.z, next.value)
            (_, g, hessian) = objective.gradientHessian(z: z, theta: theta, withValue: false)
            iteration += 1
            trace.append(f)
        }
    }

    /// The inverse of the whole (penalised) Hessian at the optimum, for standard errors that ignore the constraints
    /// (the usual approximation); nil when it is singular.
    private static func covariance(_ hessian: SymmetricMatrix) -> SymmetricMatrix? {
        var full = hessian
        full.symmetrize()
        return Cholesky(full)?.inverse()
    }
}
