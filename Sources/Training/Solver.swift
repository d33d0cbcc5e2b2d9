/// Which algorithm minimises the objective.
public enum Solver: String, Sendable, CaseIterable, Codable {
    /// Newton-Cholesky (IRLS): a handful of iterations, each one pass for the Hessian (`GramAccumulator`) and one for the step.
    case newtonCholesky = "newton-cholesky"
    /// Limited-memory BFGS: many cheap iterations, two `gemv` passes each; for wide problems.
    case lbfgs
    /// Newton-Cholesky up to `Solver.newtonMaxFeatures` features, L-BFGS above.
    case auto

    /// Up to this many features `auto` picks Newton-Cholesky.
    ///
    /// A Newton iteration costs about `n d^2` for the Hessian plus `d^3 / 3` for its factorisation; an L-BFGS iteration
    /// about `4 n d`, but L-BFGS needs tens to hundreds of iterations where Newton needs 5 to 15. The two meet at a few
    /// hundred features when rows dominate; past a thousand, the `d x d` Hessian itself (8 MB at d = 1000) and its
    /// factorisation stop being cheap, so wide problems go to L-BFGS.
    public static let newtonMaxFeatures = 1000

    /// The concrete solver for `features` columns.
    public func resolved(features: Int) -> Solver {
        switch self {
        case .auto: return features <= Solver.newtonMaxFeatures ? .newtonCholesky : .lbfgs
        default: return self
        }
    }
}
