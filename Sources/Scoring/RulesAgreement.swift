import Features
import Foundation
public import Rules
import Training

/// Weights versus points for a model trained with `--rules`: one row per rule (the weight the data give the rule's
/// own signal), one per event type no rule covers (its effect from never to once, all its features together, when
/// the model file records it) and one per other model feature no rule covers (the model's weight), on the rules'
/// points scale, sorted by the size of the disagreement.
public struct RulesAgreement: Sendable {
    public var rows: [SignalComparison]
    /// How log-odds were turned into points.
    public var scaleNote: String
    public var rulesName: String

    /// Builds the table; `rules`, when given, must be the rules the model was trained with.
    public static func make(model: LeadModel, rules: RuleSet?, rulesPath: String?) throws -> RulesAgreement {
        guard let baseline = model.rules else {
            throw RulesMismatch.modelWithoutRules
        }
        if let rules, rules.fingerprint != baseline.fingerprint {
            throw RulesMismatch.otherRules(modelRules: baseline.rules.name ?? "rules", modelFingerprint: baseline.fingerprint,
                                           given: rulesPath ?? "these rules", givenFingerprint: rules.fingerprint)
        }
        let scale = baseline.logOddsPerPoint
        var rows: [SignalComparison] = baseline.refit.map { signal in
            var row = SignalComparison(signal: signal.label, kind: "rule", unit: signal.unit, rulePoints: signal.rulePoints,
                                       note: signal.note.map { "no feature for this rule: \($0)" })
            guard let w = signal.weight else { return row }
            row.weightPerUnit = w
            row.weightPerStandardDeviation = signal.weightPerStandardDeviation
            row.oddsRatio = exp(w)
            row.dataPoints = w / scale
            if let interval = signal.interval {
                row.oddsRatioLower = exp(interval.lowerBound)
                row.oddsRatioUpper = exp(interval.upperBound)
                row.dataPointsLower = interval.lowerBound / scale
                row.dataPointsUpper = interval.upperBound / scale
            }
            row.disagreement = (w / scale - signal.rulePoints) * signal.standardDeviation
            return row
        }
        let fit = model.fit
        let ci = fit.confidenceIntervals
        // Event types without a rule: one row each, as a rule "once" would read.
        let effects = Dictionary((model.eventEffects ?? []).map { ($0.event, $0) }, uniquingKeysWith: { a, _ in a })
        var columnOf: [String: HistoryColumn] = [:]
        if let history = model.history, !effects.isEmpty {
            for column in HistoryFeatures.historyColumns(spec: history.spec, vocabulary: history.vocabulary) where column.event != nil {
                columnOf[column.name] = column
            }
        }
        var grouped = Set<String>()
        for (j, feature) in model.encoding.features.enumerated() where !covered(feature, by: baseline.rules, model: model) {
            if let event = columnOf[feature.column]?.event, let effect = effects[event] {
                guard grouped.insert(event).inserted else { continue }
                // Its spread: that of "has it or not", from the share of leads that had it (from the "never seen"
                // feature, else bounded by the mean all-time count).
                func mean(_ kind: HistoryColumn.Kind) -> Double? {
                    model.encoding.features.first { columnOf[$0.column]?.event == event && columnOf[$0.column]?.kind == kind }?.mean
                }
                let share = mean(.neverSeen).map { 1 - $0 } ?? mean(.count(windowDays: nil)).map { min(1, $0) } ?? 0.5
                let perSD = effect.effect * (share * (1 - share)).squareRoot()
                var row = SignalComparison(signal: "\(event) (never to once, all its features)", kind: "event type", unit: "once",
                                           rulePoints: nil, weightPerUnit: effect.effect, weightPerStandardDeviation: perSD,
                                           oddsRatio: exp(effect.effect), dataPoints: effect.effect / scale, disagreement: perSD / scale,
                                           note: "no rule")
                if let low = effect.low, let high = effect.high {
                    (row.oddsRatioLower, row.oddsRatioUpper) = (exp(low), exp(high))
                    (row.dataPointsLower, row.dataPointsUpper) = (low / scale, high / scale)
                }
                rows.append(row)
                continue
            }
            let raw = model.rawCoefficients[j]
            var row = SignalComparison(signal: feature.name, kind: "feature", unit: "per unit", rulePoints: nil,
                                       weightPerUnit: raw, weightPerStandardDeviation: feature.perDeviation(fit.coefficients[j]), oddsRatio: exp(raw),
                                       dataPoints: raw / scale, disagreement: feature.perDeviation(fit.coefficients[j]) / scale, note: "no rule")
            if let interval = ci?[j] {
                row.oddsRatioLower = exp(interval.lowerBound / feature.scale)
                row.oddsRatioUpper = exp(interval.upperBound / feature.scale)
                row.dataPointsLower = interval.lowerBound / feature.scale / scale
                row.dataPointsUpper = interval.upperBound / feature.scale / scale
            }
            rows.append(row)
        }
        rows.sort { (abs($0.disagreement ?? 0), $1.signal) > (abs($1.disagreement ?? 0), $0.signal) }
        return RulesAgreement(rows: rows, scaleNote: baseline.scaleNote, rulesName: baseline.rules.name ?? "rules")
    }

    /// Whether a rule speaks to the same signal as a model feature: the same event type, the same profile field
    /// (and level), or, for the inactivity rule, days since last activity.
    static func covered(_ feature: TableFeature, by rules: RuleSet, model: LeadModel) -> Bool {
        if let history = model.history {
            for group in history.vocabulary.groupNames where feature.column.hasPrefix(group + ", ") {
                return rules.events.contains { $0.event == group }
            }
            if feature.column.hasPrefix("days since last activity") { return rules.inactivity != nil }
        } else {
            if rules.events.contains(where: { $0.event == feature.column }) { return true }
            if rules.inactivity?.column == feature.column { return true }
        }
        let profileRules = rules.profile.filter { $0.field == feature.column || HistoryFeatures.log1pName($0.field) == feature.column }
        guard !profileRules.isEmpty else { return false }
        if case .level(let level) = feature.kind { return profileRules.contains { !$0.isCategorical || $0.matches(text: level) } }
        return true
    }
}
