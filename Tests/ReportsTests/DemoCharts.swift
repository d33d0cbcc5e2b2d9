import Foundation
import Reports

/// Realistic inputs for the three comparison charts: a model with AUC about 0.88 scored on 2,000 held-out leads at a
/// 6% base rate, and a rules score of a few point levels (so its ROC curve has ties), with deterministic noise.
enum DemoCharts {
    struct Lead { var probability: Double; var points: Double; var converted: Bool }

    static let leads: [Lead] = {
        var state: UInt64 = 42
        func uniform() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return (Double(state >> 11) + 0.5) / Double(1 << 53) }
        func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
        return (0..<2000).map { _ in
            let latent = normal()
            let logit = -4.2 + 2.0 * latent
            let p = 1 / (1 + exp(-logit))
            let converted = uniform() < p
            // The model sees the latent signal with noise and is a little over-confident at the top.
            let predicted = 1 / (1 + exp(-(-4.0 + 2.2 * (latent + 0.15 * normal()))))
            // Rules see a coarser, noisier version in steps of 10 points.
            let points = max(0, min(100, ((50 + 20 * (0.7 * latent + 0.75 * normal())) / 10).rounded() * 10))
            return Lead(probability: predicted, points: points, converted: converted)
        }
    }()

    /// ROC points with ties handled as diagonal steps: one vertex per distinct score.
    static func roc(_ scores: [Double], _ labels: [Bool]) -> (points: [(x: Double, y: Double)], auc: Double) {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let positives = Double(labels.filter { $0 }.count), negatives = Double(labels.count) - positives
        var tp = 0.0, fp = 0.0, auc = 0.0
        var points: [(x: Double, y: Double)] = [(0, 0)]
        var i = 0
        while i < order.count {
            var j = i
            let (tp0, fp0) = (tp, fp)
            while j < order.count && scores[order[j]] == scores[order[i]] {
                if labels[order[j]] { tp += 1 } else { fp += 1 }
                j += 1
            }
            auc += (fp - fp0) / negatives * (tp + tp0) / 2 / positives
            points.append((fp / negatives, tp / positives))
            i = j
        }
        return (points, auc)
    }

    /// Gains at every 10% of leads called, ties broken by order (enough for a demo).
    static func gains(_ scores: [Double], _ labels: [Bool]) -> [(x: Double, y: Double)] {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let positives = Double(labels.filter { $0 }.count)
        return (0...10).map { d in
            let k = order.count * d / 10
            return (Double(d) / 10, Double(order.prefix(k).filter { labels[$0] }.count) / positives)
        }
    }

    /// Ten equal-count bins of predicted probability.
    static func calibration(_ probabilities: [Double], _ labels: [Bool]) -> [(predicted: Double, leads: Int, conversions: Int)] {
        let order = probabilities.indices.sorted { probabilities[$0] < probabilities[$1] }
        let size = order.count / 10
        return (0..<10).map { b in
            let bin = order[(b * size)..<((b + 1) * size)]
            let mean = bin.map { probabilities[$0] }.reduce(0, +) / Double(bin.count)
            return (mean, bin.count, bin.filter { labels[$0] }.count)
        }
    }

    /// One bin per distinct probability, for a score of a few levels such as rules points.
    static func levels(_ probabilities: [Double], _ labels: [Bool]) -> [(predicted: Double, leads: Int, conversions: Int)] {
        Dictionary(grouping: probabilities.indices, by: { probabilities[$0] }).sorted { $0.key < $1.key }.map { level, members in
            (level, members.count, members.filter { labels[$0] }.count)
        }
    }

    static func charts(caveat: String? = nil) -> (roc: LineChart, gains: LineChart, calibration: LineChart) {
        let labels = leads.map(\.converted)
        let model = roc(leads.map(\.probability), labels), rules = roc(leads.map(\.points), labels)
        // Rules points become probabilities per level (their observed rate), as a calibration fitted on training would.
        let byLevel = Dictionary(grouping: leads, by: \.points).mapValues { Double($0.filter(\.converted).count + 1) / Double($0.count + 2) }
        let rulesProbability = leads.map { byLevel[$0.points]! }
        let baseRate = Double(labels.filter { $0 }.count) / Double(labels.count)
        return (
            ComparisonCharts.roc(series: [("model", model.points, model.auc), ("rules", rules.points, rules.auc)], caveat: caveat),
            ComparisonCharts.gains(series: [("model", gains(leads.map(\.probability), labels)), ("rules", gains(leads.map(\.points), labels))],
                                   baseRate: baseRate, caveat: caveat),
            ComparisonCharts.calibration(series: [("model", calibration(leads.map(\.probability), labels)),
                                                  ("rules", levels(rulesProbability, labels))], caveat: caveat)
        )
    }
}
