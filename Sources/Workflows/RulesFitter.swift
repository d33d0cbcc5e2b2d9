import Foundation
import LinearAlgebra
import Rules
import Scoring
import Training

/// Learns, from labelled leads, how a rules file's points map to a probability (a one-variable logistic fit) and
/// what each rule's signal is worth (a logistic regression on all the signals, lightly penalised so that a rule
/// that always wins stays finite).
struct RulesFitter {
    /// The L2 penalty of the refit on standardised signals (scikit-learn's default C = 1).
    var l2 = 1.0

    func fit(_ signals: RuleSignals, labels: [Bool]) throws -> RulesBaseline {
        let y = labels.map { $0 ? 1.0 : 0 }
        let calibration = try calibrate(points: signals.points, labels: y)
        let r = signals.signals.count, n = signals.rows
        var refit: [RefitSignal] = []
        var used: [Int] = []
        var stats: [(mean: Double, sd: Double)] = []
        for j in 0..<r {
            let column = signals.column(j)
            let (mean, sd) = Self.meanAndSD(column)
            stats.append((mean, sd))
            let signal = signals.signals[j]
            var note: String? = signals.unmatched[signal.key]
            if note == nil, sd <= 1e-12 * max(1, abs(mean)) { note = "the same for every training lead" }
            if note == nil { used.append(j) }
            refit.append(RefitSignal(key: signal.key, label: signal.label, unit: signal.unit, rulePoints: signal.points,
                                     mean: mean, standardDeviation: sd, weight: nil, standardError: nil, note: note))
        }
        var matrix = Matrix(rows: n, columns: used.count)
        for (k, j) in used.enumerated() {
            for i in 0..<n { matrix[i, k] = (signals.values[i * r + j] - stats[j].mean) / stats[j].sd }
        }
        let rate = y.reduce(0, +) / Double(n)
        guard !used.isEmpty else {
            return RulesBaseline(rules: signals.rules, fingerprint: signals.rules.fingerprint, calibration: calibration,
                                 refitIntercept: log(rate / (1 - rate)), refit: refit)
        }
        let fit = try LogisticRegression(l2: l2).fit(TrainingData(features: matrix, labels: y, featureNames: used.map { refit[$0].label }))
        var intercept = fit.intercept
        for (k, j) in used.enumerated() {
            let sd = stats[j].sd
            refit[j].weight = fit.coefficients[k] / sd
            refit[j].standardError = fit.standardErrors.map { $0[k] / sd }
            intercept -= fit.coefficients[k] * stats[j].mean / sd
        }
        return RulesBaseline(rules: signals.rules, fingerprint: signals.rules.fingerprint, calibration: calibration,
                             refitIntercept: intercept, refit: refit)
    }

    /// Platt scaling of the points: `logit p = a + b * points`, unpenalised; constant points give the base rate.
    private func calibrate(points: [Double], labels: [Double]) throws -> PointsCalibration {
        let (mean, sd) = Self.meanAndSD(points)
        let rate = labels.reduce(0, +) / Double(labels.count)
        guard sd > 1e-12 * max(1, abs(mean)) else { return PointsCalibration(intercept: log(rate / (1 - rate)), perPoint: 0) }
        var matrix = Matrix(rows: points.count, columns: 1)
        for i in points.indices { matrix[i, 0] = (points[i] - mean) / sd }
        let data = TrainingData(features: matrix, labels: labels, featureNames: ["rule points"])
        // Unpenalised, unless the points separate the classes; then a light penalty keeps the slope finite.
        let fit = try (try? LogisticRegression(l2: 0).fit(data)) ?? LogisticRegression(l2: l2).fit(data)
        let slope = fit.coefficients[0] / sd
        return PointsCalibration(intercept: fit.intercept - slope * mean, perPoint: slope)
    }

    static func meanAndSD(_ values: [Double]) -> (Double, Double) {
        guard !values.isEmpty else { return (0, 0) }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (mean, variance.squareRoot())
    }
}
