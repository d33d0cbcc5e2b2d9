import Training

extension TrainingError {
    /// The facts, and the remedy in the command line's own flags.
    var commandLineMessage: String {
        guard let remedy else { return facts }
        let advice = switch remedy {
        case .moreDataFewerFoldsOrFixedPenalty(let folds):
            "add data\(folds.map { ", use --folds \($0)" } ?? ""), or give --l2 a value (e.g. --l2 1)"
        case .dropFeatureOrPenalise: "drop it, or use --l2 above 0"
        case .penaliseOrFewerFeatures: "use an L2 penalty (--l2 1 or --l2 auto) or fewer features"
        case .penaliseOrFindLeak: "use an L2 penalty (--l2 1 or --l2 auto), or look for a feature that leaks the outcome"
        case .penaliseOrPool: "use an L2 penalty (--l2 1 or --l2 auto), or pool or drop the features involved"
        case .penaliseOrDropRedundant: "use an L2 penalty (--l2 1 or --l2 auto), or drop redundant features"
        case .penalise: "try an L2 penalty (--l2 1)"
        case .moreIterations: "try a larger --max-iterations"
        case .leaveOutLeak(let column):
            "leave it out (\"exclude\" in the source description, or --ignore \"\(column)\"), or, if it is truly known when leads are scored, keep it with --allow-leak \"\(column)\""
        }
        return "\(facts): \(advice)"
    }
}
