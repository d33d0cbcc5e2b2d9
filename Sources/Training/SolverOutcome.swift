import LinearAlgebra

/// What a solver hands back: the parameters `[b, w]`, how it got there, and the inverse Hessian at the optimum.
struct SolverOutcome {
    var theta: [Double]
    var iterations: Int
    var objectiveTrace: [Double]
    /// max |gradient| divided by the sum of sample weights, at `theta`.
    var maxGradient: Double
    /// The gradient at `theta`, for the post-fit checks.
    var gradient: [Double]
    /// The inverse of the (penalised) Hessian at `theta`; `nil` when it was too large to form.
    var covariance: SymmetricMatrix?
}
