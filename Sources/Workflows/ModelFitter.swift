import Features
import Foundation
import LeadData
import Scoring
import Training

/// The step both input modes share: from an encoded design matrix, choose the penalty, fit, and build the model.
struct ModelFitter {
    var penalty: TrainingPenalty
    var estimator: LogisticRegression
    /// Told how the penalty search goes.
    var progress: ProgressReport?

    struct Fitted {
        var fit: LogisticFit
        var search: RegularizationPath?
        var fitSeconds: Double
        var searchSeconds: Double?
        var summary: TrainingDataSummary
        /// With event signs: each group's effect in the first, unconstrained fit (which decides the constraints) and in
        /// the final fit.
        var eventEffects: [GroupEffect] = []
    }

    /// One event group's effect, never to one occurrence now, in log-odds.
    struct GroupEffect {
        var event: String
        /// In the unconstrained fit: whose interval decides whether the sign is clear.
        var free: ContrastEstimate
        /// In the model's fit, whose features were held to the sign of `free`.
        var final: ContrastEstimate
    }

    /// A note when the training part of a holdout split (`part`, e.g. "the older 40 decided contacts") is too small for
    /// the penalty search, which then cannot be measured; the fit on all rows may still be possible.
    func holdoutShortfallNote(_ labels: [Double], part: String) -> String? {
        guard case .auto(let folds, let seed) = penalty,
              case .tooFewForFolds(let label, let count, _, _, let perFold)? = RegularizationSearch(folds: folds, seed: seed).shortfall(labels)
        else { return nil }
        return "no holdout: \(part) hold only \(count) \(label == 1 ? "win" : "loss")\(count == 1 ? "" : label == 1 ? "s" : "es"), and choosing the penalty by cross-validation needs \(perFold * folds) there (\(perFold) in each of its \(folds) folds)"
    }

    /// Chooses the penalty (unless fixed) and fits; with `eventSigns`, estimates each event type's effect and, when
    /// `holdSigns`, keeps one more event of a type from moving any lead against the type's effect (see ``EventSigns``).
    func fit(_ design: DesignMatrix, source: String, eventSigns: EventSigns? = nil, holdSigns: Bool = true) throws -> Fitted {
        let clock = ContinuousClock()
        let data = TrainingData(features: design.features, labels: design.labels, weights: design.weights,
                                featureNames: design.featureNames)
        var estimator = self.estimator
        var search: RegularizationPath? = nil
        var searchSeconds: Double? = nil
        switch penalty {
        case .fixed(let l2):
            estimator.l2 = l2
        case .auto(let folds, let seed):
            let start = clock.now
            var searcher = RegularizationSearch(folds: folds, seed: seed)
            searcher.progress = progress
            let path = try searcher.run(data, estimator: estimator)
            searchSeconds = (clock.now - start).seconds
            estimator.l2 = path.chosen
            search = path
        }
        let start = clock.now
        var (fit, free) = try estimator.fit(data, contrasts: eventSigns?.contrasts ?? [])
        var final = free
        if holdSigns, let eventSigns, case let signs = eventSigns.signs(features: data.columns, estimates: free),
           zip(signs, fit.coefficients).contains(where: { !$0.allows($1) }) {
            estimator.signs = signs
            (fit, final) = try estimator.fit(data, warmStart: [fit.intercept] + fit.coefficients, contrasts: eventSigns.contrasts)
        }
        let fitSeconds = (clock.now - start).seconds
        let summary = TrainingDataSummary(source: source, rows: design.labels.count,
                                          positives: design.labels.filter { $0 == 1 }.count,
                                          features: design.featureNames.count, fingerprint: design.fingerprint)
        let effects = eventSigns.map { signs in
            signs.groups.indices.map { GroupEffect(event: signs.groups[$0].event, free: free[$0], final: final[$0]) }
        } ?? []
        return Fitted(fit: fit, search: search, fitSeconds: fitSeconds, searchSeconds: searchSeconds, summary: summary,
                      eventEffects: effects)
    }
}

/// How the L2 penalty is set.
public enum TrainingPenalty: Sendable, Equatable {
    case fixed(Double)
    /// Cross-validated; see `RegularizationSearch`.
    case auto(folds: Int, seed: UInt64)
}
