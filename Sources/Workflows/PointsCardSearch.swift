import Foundation
import LinearAlgebra
import Rules
import Training

/// One rule a learned points card may hold, in the grammar marketing tools express and leadscore's rules files
/// score, with its signal on every example (what the rule multiplies its points by).
struct CardCandidate {
    enum Rule: Equatable {
        /// Per occurrence (at most `capCount` of them), or once, of an event type, all time or within a window.
        case event(event: String, windowDays: Int?, per: EventRule.Per, capCount: Double?)
        case profile(ProfileRule)
        case inactivity(days: Int)
    }

    var rule: Rule
    /// The signal of each example, in example order.
    var values: [Double]

    /// The event type of an event rule: the rules of one type on a card must agree in sign, so that more of the
    /// event never costs points.
    var event: String? {
        if case .event(let event, _, _, _) = rule { event } else { nil }
    }

    var isInactivity: Bool {
        if case .inactivity = rule { true } else { false }
    }

    init(rule: Rule, values: [Double]) {
        self.rule = rule
        self.values = values
    }

    /// A rule of a kept rules file, with its signals as that file is scored (an event rule's cap kept in occurrences).
    init(kept: RuleSignal.Rule, values: [Double]) {
        switch kept {
        case .event(let rule):
            let capCount = rule.cap.flatMap { rule.points != 0 ? $0 / abs(rule.points) : nil }
            self.rule = .event(event: rule.event, windowDays: rule.windowDays, per: rule.per, capCount: capCount)
        case .profile(let rule): self.rule = .profile(rule)
        case .inactivity(let rule): self.rule = .inactivity(days: rule.days)
        }
        self.values = values
    }
}

/// Chooses a few candidate rules and their weights by beam search, FasterRisk's way: from each rule set in the beam,
/// every candidate is screened by the log loss one Newton step on its weight alone would save, the most promising
/// are refitted with the set (each refit started from the set's own fit) (an L2-penalised logistic regression on standardised signals), and the best
/// `beamWidth` sets go on. Deterministic: ties go to the earlier candidate.
struct PointsCardSearch {
    var maxRules: Int
    var beamWidth = 5
    /// Candidates fully refitted per rule set and step.
    var screened = 8
    /// The penalty of the refits, on standardised signals (keeps a rule that always wins finite).
    var l2 = 1.0

    /// A rule set and its fit: the weights are per unit of each signal (forced columns first, then `chosen`).
    struct Selection {
        var chosen: [Int]
        var intercept: Double
        var weights: [Double]
        /// The penalised objective per example.
        var loss: Double
    }

    /// The best set of at most `maxRules` candidates (beside the `forced` signals, which every set keeps) for the
    /// examples `rows`, and the best set of each smaller size on the way (`bySize[k]` holds k chosen rules).
    func run(candidates: [CardCandidate], forced: [[Double]], rows: [Int], labels: [Bool]) throws -> [Selection] {
        let y = rows.map { labels[$0] ? 1.0 : 0 }
        let pick = { (values: [Double]) in rows.map { values[$0] } }
        let columns = candidates.map { pick($0.values) }
        let forcedColumns = forced.map(pick)
        var beam = [try fit(chosen: [], columns: columns, forced: forcedColumns, y: y)]
        var bySize = beam
        for _ in 0..<maxRules {
            var next: [Selection] = []
            var seen = Set<[Int]>()
            for state in beam {
                let z = predictor(state, columns: columns, forced: forcedColumns, n: y.count)
                for c in screen(state, z: z, columns: columns, y: y, candidates: candidates) {
                    let chosen = (state.chosen + [c]).sorted()
                    guard seen.insert(chosen).inserted else { continue }
                    let selection = try fit(chosen: chosen, columns: columns, forced: forcedColumns, y: y, from: state)
                    if agrees(selection, candidates: candidates, forcedCount: forced.count) { next.append(selection) }
                }
            }
            guard !next.isEmpty else { break }
            next.sort { $0.loss != $1.loss ? $0.loss < $1.loss : $0.chosen.lexicographicallyPrecedes($1.chosen) }
            beam = Array(next.prefix(beamWidth))
            bySize.append(beam[0])
        }
        return bySize
    }

    /// The candidates most worth adding to `state`, by the loss a Newton step on each one's weight alone would save.
    private func screen(_ state: Selection, z: [Double], columns: [[Double]], y: [Double], candidates: [CardCandidate]) -> [Int] {
        let p = z.map { 1 / (1 + exp(-$0)) }
        let hasInactivity = state.chosen.contains { candidates[$0].isInactivity }
        var scored: [(gain: Double, index: Int)] = []
        for (c, x) in columns.enumerated() where !state.chosen.contains(c) {
            if hasInactivity && candidates[c].isInactivity { continue }  // a rules file holds one inactivity rule
            var g = 0.0, h = 0.0
            for i in x.indices where x[i] != 0 {
                g += (y[i] - p[i]) * x[i]
                h += p[i] * (1 - p[i]) * x[i] * x[i]
            }
            if h > 0 { scored.append((g * g / h, c)) }
        }
        scored.sort { $0.gain != $1.gain ? $0.gain > $1.gain : $0.index < $1.index }
        return scored.prefix(screened).map(\.index)
    }

    /// Whether every event type's rules on the card agree in sign, so that more of an event never costs points.
    private func agrees(_ selection: Selection, candidates: [CardCandidate], forcedCount: Int) -> Bool {
        var sign: [String: Double] = [:]
        for (k, c) in selection.chosen.enumerated() {
            guard let event = candidates[c].event else { continue }
            let w = selection.weights[forcedCount + k]
            if let s = sign[event], s * w < 0 { return false }
            if w != 0 { sign[event] = w }
        }
        return true
    }

    private func predictor(_ state: Selection, columns: [[Double]], forced: [[Double]], n: Int) -> [Double] {
        var z = [Double](repeating: state.intercept, count: n)
        for (k, column) in (forced + state.chosen.map { columns[$0] }).enumerated() {
            let w = state.weights[k]
            for i in 0..<n { z[i] += w * column[i] }
        }
        return z
    }

    /// The penalised logistic regression of `y` on the forced and chosen signals, standardised, back on their units;
    /// started from `parent`'s fit (a rule set with one rule fewer, whose weights it keeps, the new rule's at 0).
    func fit(chosen: [Int], columns: [[Double]], forced: [[Double]], y: [Double], from parent: Selection? = nil) throws -> Selection {
        let used = forced + chosen.map { columns[$0] }
        let n = y.count
        let stats = used.map { column -> (mean: Double, sd: Double) in
            let mean = column.reduce(0, +) / Double(n)
            let sd = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)).squareRoot()
            return (mean, sd > 0 ? sd : 1)
        }
        let rate = y.reduce(0, +) / Double(n)
        guard !used.isEmpty else {
            let b = log(rate / (1 - rate))
            let loss = -y.reduce(0) { $0 + ($1 == 1 ? log(rate) : log(1 - rate)) } / Double(n)
            return Selection(chosen: chosen, intercept: b, weights: [], loss: loss)
        }
        var matrix = Matrix(rows: n, columns: used.count)
        for (k, column) in used.enumerated() {
            for i in 0..<n { matrix[i, k] = (column[i] - stats[k].mean) / stats[k].sd }
        }
        var warm: [Double]?
        if let parent {
            // The parent's weights on this set's standardised columns (forced first, then its chosen ones in order).
            let old = Array(0..<forced.count) + parent.chosen.map { forced.count + (chosen.firstIndex(of: $0) ?? 0) }
            var theta = [Double](repeating: 0, count: used.count + 1)
            theta[0] = parent.intercept
            for (k, j) in old.enumerated() {
                theta[j + 1] = parent.weights[k] * stats[j].sd
                theta[0] += parent.weights[k] * stats[j].mean
            }
            warm = theta
        }
        let fit = try LogisticRegression(l2: l2).fit(TrainingData(features: matrix, labels: y), warmStart: warm)
        let weights = used.indices.map { fit.coefficients[$0] / stats[$0].sd }
        let intercept = fit.intercept - used.indices.reduce(0) { $0 + weights[$1] * stats[$1].mean }
        return Selection(chosen: chosen, intercept: intercept, weights: weights, loss: fit.objective / Double(n))
    }
}

/// Whole points from weights in log-odds, at `pointsPerLogOdds`, then improved a point at a time (FasterRisk's
/// rounding, on a fixed scale): each rule's points move by one while that lowers the training log loss of the
/// points with their own calibration refitted.
struct PointsRounding {
    var pointsPerLogOdds: Double

    func run(weights: [Double], columns: [[Double]], labels: [Double]) -> [Int] {
        var points = weights.map { Int(($0 * pointsPerLogOdds).rounded()) }
        var best = loss(points, columns: columns, labels: labels)
        for _ in 0..<2 {
            var improved = false
            for j in points.indices {
                for step in [1, -1] {
                    var trial = points
                    trial[j] += step
                    // A rule keeps the sign of its weight (its points are what the data say, rounded).
                    if trial[j] != 0, (trial[j] > 0) != (weights[j] > 0) { continue }
                    let value = loss(trial, columns: columns, labels: labels)
                    if value < best - 1e-12 {
                        (points, best, improved) = (trial, value, true)
                    }
                }
            }
            if !improved { break }
        }
        return points
    }

    /// The log loss per example of points turned into probabilities by a one-variable logistic fit (Newton).
    func loss(_ points: [Int], columns: [[Double]], labels: [Double]) -> Double {
        let n = labels.count
        var total = [Double](repeating: 0, count: n)
        for (j, column) in columns.enumerated() where points[j] != 0 {
            let p = Double(points[j])
            for i in 0..<n { total[i] += p * column[i] }
        }
        let calibration = RulesLearning.calibration(total, labels: labels)
        return Self.logLoss(total, labels: labels, calibration: (calibration.intercept, calibration.perPoint))
    }

    /// The mean log loss of `a + b * points` as log-odds (computed without overflow).
    static func logLoss(_ points: [Double], labels: [Double], calibration: (a: Double, b: Double)) -> Double {
        var loss = 0.0
        for i in points.indices {
            let z = calibration.a + calibration.b * points[i], m = labels[i] == 1 ? -z : z
            loss += max(0, m) + log1p(exp(-abs(m)))
        }
        return loss / Double(points.count)
    }
}
