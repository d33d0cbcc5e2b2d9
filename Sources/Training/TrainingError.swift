/// Why a logistic regression could not be fitted, in words that say what to do next.
public enum TrainingError: Error, Equatable, CustomStringConvertible, Sendable {
    case noRows
    case shapeMismatch(String)
    case invalidLabel(row: Int, value: Double)
    case invalidWeight(row: Int, value: Double)
    case singleClass(label: Int, rows: Int)
    case singleWeightedClass(label: Int)
    /// `--l2 auto`: `count` rows of class `label` out of `rows`, fewer than `perFold` in each of `folds` folds.
    case tooFewForFolds(label: Int, count: Int, rows: Int, folds: Int, perFold: Int)
    case nonFinite(row: Int, feature: String, value: Double)
    case constantFeature(String)
    case duplicateFeatures(String, String)
    case moreFeaturesThanRows(features: Int, rows: Int)
    case separable
    case quasiSeparable(feature: String)
    case singularHessian
    case notConverged(iterations: Int, maxGradient: Double, l2: Double)
    case invalidOption(String)

    public var description: String {
        switch self {
        case .noRows:
            return "there are no training rows"
        case .shapeMismatch(let what):
            return "the training data do not fit together: \(what)"
        case .invalidLabel(let row, let value):
            return "row \(row + 1): the label is \(value); labels must be 0 or 1"
        case .invalidWeight(let row, let value):
            return "row \(row + 1): the sample weight is \(value); weights must be finite and not negative"
        case .singleClass(let label, let rows):
            let which = label == 1 ? "won (1)" : "lost (0)"
            return "every one of the \(rows) training rows is \(which): a model needs both wins and losses to learn from"
        case .singleWeightedClass(let label):
            let which = label == 1 ? "won (1)" : "lost (0)"
            return "every \(which) row has sample weight 0, so the model would see only one class: give those rows a positive weight"
        case .tooFewForFolds(let label, let count, let rows, let folds, let perFold):
            let which = label == 1 ? "won (1)" : "lost (0)"
            let needed = perFold * folds
            let fewerFolds = count >= 2 * perFold ? ", use --folds \(count / perFold)" : ""
            return "only \(count) of the \(rows) training rows \(count == 1 ? "is" : "are") \(which); --l2 auto needs at least \(needed) (\(perFold) in each of its \(folds) cross-validation folds, so that every fold is fitted and measured on both classes): add data\(fewerFolds), or give --l2 a value (e.g. --l2 1)"
        case .nonFinite(let row, let feature, let value):
            return "row \(row + 1), feature \"\(feature)\": \(value) is not a finite number"
        case .constantFeature(let name):
            return "feature \"\(name)\" has the same value in every row, so without a penalty its weight is undefined: drop it, or use --l2 above 0"
        case .duplicateFeatures(let a, let b):
            return "features \"\(a)\" and \"\(b)\" are identical (or exact opposites) in every row, so without a penalty their weights are undefined: drop one of them, or use --l2 above 0"
        case .moreFeaturesThanRows(let d, let n):
            return "\(d) features plus an intercept need more than \(n) rows, so the unpenalised fit has no unique answer: use an L2 penalty (--l2 1 or --l2 auto) or fewer features"
        case .separable:
            return "the data are perfectly separable: some combination of features predicts every outcome exactly, so without a penalty the weights grow without bound. Use an L2 penalty (--l2 1 or --l2 auto), or look for a feature that leaks the outcome"
        case .quasiSeparable(let feature):
            return "the data are quasi-separable: some combination of features predicts part of the outcomes exactly, so the unpenalised weights grow without bound (fastest for \"\(feature)\") and the estimate does not exist. Use an L2 penalty (--l2 1 or --l2 auto), or pool or drop the features involved"
        case .singularHessian:
            return "the unpenalised fit is not identifiable: some features are perfectly collinear (one is a combination of others) or the data are quasi-separable. Use an L2 penalty (--l2 1 or --l2 auto), or drop redundant features"
        case .notConverged(let iterations, let maxGradient, let l2):
            let hint = l2 == 0 ? "; the data may be quasi-separable: try an L2 penalty (--l2 1)" : "; try a larger --max-iterations"
            return "the solver did not converge in \(iterations) iterations (max |gradient| per row \(maxGradient))\(hint)"
        case .invalidOption(let what):
            return what
        }
    }
}
