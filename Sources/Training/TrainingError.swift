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
    /// A column that gives the outcome away (filled in after it, most likely), with the evidence.
    case leak(column: String, evidence: String)

    /// What a caller can do about it, for each face (the command line, the server) to phrase with its own means.
    public enum Remedy: Sendable, Equatable {
        /// More data, fewer cross-validation folds (`folds`, when that would do), or a fixed penalty.
        case moreDataFewerFoldsOrFixedPenalty(folds: Int?)
        /// Drop the feature(s), or fit with a penalty.
        case dropFeatureOrPenalise
        /// Fit with a penalty, or use fewer features.
        case penaliseOrFewerFeatures
        /// Fit with a penalty, or look for a feature that leaks the outcome.
        case penaliseOrFindLeak
        /// Fit with a penalty, or pool or drop the features involved.
        case penaliseOrPool
        /// Fit with a penalty, or drop redundant features.
        case penaliseOrDropRedundant
        /// Fit with a penalty (the data may be quasi-separable).
        case penalise
        /// Allow the solver more iterations.
        case moreIterations
        /// Leave the column out, or confirm that it is known before the outcome.
        case leaveOutLeak(column: String)
    }

    /// What is wrong, as facts, without advice.
    public var facts: String {
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
            return "every one of the \(rows) training rows is \(Self.which(label)): a model needs both wins and losses to learn from"
        case .singleWeightedClass(let label):
            return "every \(Self.which(label)) row has sample weight 0, so the model would see only one class: give those rows a positive weight"
        case .tooFewForFolds(let label, let count, let rows, let folds, let perFold):
            return "only \(count) of the \(rows) training rows \(count == 1 ? "is" : "are") \(Self.which(label)); choosing the penalty by cross-validation needs at least \(perFold * folds) (\(perFold) in each of its \(folds) folds, so that every fold is fitted and measured on both classes)"
        case .nonFinite(let row, let feature, let value):
            return "row \(row + 1), feature \"\(feature)\": \(value) is not a finite number"
        case .constantFeature(let name):
            return "feature \"\(name)\" has the same value in every row, so without a penalty its weight is undefined"
        case .duplicateFeatures(let a, let b):
            return "features \"\(a)\" and \"\(b)\" are identical (or exact opposites) in every row, so without a penalty their weights are undefined"
        case .moreFeaturesThanRows(let d, let n):
            return "\(d) features plus an intercept need more than \(n) rows, so the unpenalised fit has no unique answer"
        case .separable:
            return "the data are perfectly separable: some combination of features predicts every outcome exactly, so without a penalty the weights grow without bound"
        case .quasiSeparable(let feature):
            return "the data are quasi-separable: some combination of features predicts part of the outcomes exactly, so the unpenalised weights grow without bound (fastest for \"\(feature)\") and the estimate does not exist"
        case .singularHessian:
            return "the unpenalised fit is not identifiable: some features are perfectly collinear (one is a combination of others) or the data are quasi-separable"
        case .notConverged(let iterations, let maxGradient, let l2):
            return "the solver did not converge in \(iterations) iterations (max |gradient| per row \(maxGradient))\(l2 == 0 ? "; the data may be quasi-separable" : "")"
        case .invalidOption(let what):
            return what
        case .leak(let column, let evidence):
            return "column \"\(column)\" gives the outcome away, as a field filled in after the decision does: \(evidence); a model trained with it scores its holdout well and new leads, which do not have it yet, badly"
        }
    }

    /// What to do about it, when there is something to do.
    public var remedy: Remedy? {
        switch self {
        case .tooFewForFolds(_, let count, _, _, let perFold):
            return .moreDataFewerFoldsOrFixedPenalty(folds: count >= 2 * perFold ? count / perFold : nil)
        case .constantFeature, .duplicateFeatures: return .dropFeatureOrPenalise
        case .moreFeaturesThanRows: return .penaliseOrFewerFeatures
        case .separable: return .penaliseOrFindLeak
        case .quasiSeparable: return .penaliseOrPool
        case .singularHessian: return .penaliseOrDropRedundant
        case .notConverged(_, _, let l2): return l2 == 0 ? .penalise : .moreIterations
        case .leak(let column, _): return .leaveOutLeak(column: column)
        default: return nil
        }
    }

    /// The facts and, in general words, the remedy.
    public var description: String {
        guard let remedy else { return facts }
        let advice = switch remedy {
        case .moreDataFewerFoldsOrFixedPenalty(let folds):
            "add data\(folds.map { ", use \($0) folds" } ?? ""), or fix the penalty instead of searching for it"
        case .dropFeatureOrPenalise: "drop it, or fit with a penalty"
        case .penaliseOrFewerFeatures: "use an L2 penalty or fewer features"
        case .penaliseOrFindLeak: "use an L2 penalty, or look for a feature that leaks the outcome"
        case .penaliseOrPool: "use an L2 penalty, or pool or drop the features involved"
        case .penaliseOrDropRedundant: "use an L2 penalty, or drop redundant features"
        case .penalise: "try an L2 penalty"
        case .moreIterations: "allow the solver more iterations"
        case .leaveOutLeak: "leave the column out, or confirm that it is known before the outcome"
        }
        return "\(facts): \(advice)"
    }

    private static func which(_ label: Int) -> String { label == 1 ? "won (1)" : "lost (0)" }
}
