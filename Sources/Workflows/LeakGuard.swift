import Evaluation
import Features
import Foundation
import LinearAlgebra
import Scoring
import Training

/// Looks, before any fit, for a column that gives the outcome away: a field the CRM fills in once a deal is decided
/// ("Lifecycle Stage" becomes "Customer" when a deal is won, a close reason, a churn date). A model trained with one
/// scores perfectly on its holdout and uselessly on new leads, which do not have it yet, so training stops with the
/// column, the evidence and the fix, unless the user confirms the column is known before the outcome.
///
/// The evidence (any one is enough):
/// - one level (or the missing-value flag) of the column holds at least 20 leads, at least 99% of them of the rarer
///   class, and at least half of that class: "Customer" holds most wins and almost nothing else;
/// - one of its features alone ranks won against lost with a ROC AUC of 0.95 or more (or 0.05 or less), when each
///   class has at least 20 leads.
/// And after the holdout (``checkHoldout(_:fit:features:)``): a holdout ROC AUC of 0.98 or more names the strongest
/// guarded column.
/// Honest signals rarely come close: on the shipped sample the strongest single feature reaches 0.82.
struct LeakGuard {
    /// Columns checked, each with the name the user knows it by (profile columns in history mode, whose feature column
    /// may be `company_size (log1p)`; every column of a table).
    var columns: [String: String]
    /// Columns the user confirmed as known before the outcome (`--allow-leak`).
    var allowed: Set<String>

    static let minimumLevelLeads = 20
    static let purity = 0.99
    static let classShare = 0.5
    static let aucLimit = 0.95
    /// Rows looked at per numeric feature for its AUC (every row up to this, then an even stride over them).
    static let sampleRows = 100_000

    /// The labels, counted once for every check.
    private struct Classes {
        let labels: [Double]
        let wins: Double
        let losses: Double
        /// Whether each class has ``minimumLevelLeads`` rows: with fewer, a feature that ranks them perfectly is chance
        /// as often as a leak (six rows are separable by almost anything), and only the level rule applies.
        var enoughForAUC: Bool { min(wins, losses) >= Double(LeakGuard.minimumLevelLeads) }
    }

    /// Checks each guarded column of `encoding` in `design`: its features, and for a category the reference level too
    /// (the most frequent, which has no feature of its own: the rows where none of the column's levels fires).
    func check(_ design: DesignMatrix, encoding: TableEncoding) throws(TrainingError) {
        let y = design.labels, n = y.count
        let wins = y.reduce(0, +)
        let classes = Classes(labels: y, wins: wins, losses: Double(n) - wins)
        guard classes.wins > 0, classes.losses > 0 else { return }
        let d = design.features.columns, storage = design.features.storage
        let features = encoding.features
        func isSet(_ j: Int, _ i: Int) -> Bool { storage[i * d + j] * features[j].scale + features[j].mean > 0.5 }
        for (j, feature) in features.enumerated() {
            guard let column = guarded(feature.column) else { continue }
            switch feature.kind {
            case .level, .other, .missing:
                try checkIndicator({ isSet(j, $0) }, classes, column: column, what: Self.describe(feature))
            case .value:
                try checkAUC(Self.auc(of: j, in: design), classes, column: column, what: "\(feature.name) alone")
            }
        }
        for recipe in encoding.recipes {
            guard let reference = recipe.reference, let column = guarded(recipe.column) else { continue }
            let levels = features.indices.filter { j in
                guard features[j].column == recipe.column else { return false }
                switch features[j].kind {
                case .level, .other: return true
                case .value, .missing: return false
                }
            }
            guard !levels.isEmpty else { continue }
            var atReference = [Bool](repeating: true, count: n)
            for j in levels {
                for i in 0..<n where isSet(j, i) { atReference[i] = false }
            }
            try checkIndicator({ atReference[$0] }, classes, column: column, what: "\(recipe.column) = \"\(reference)\"")
        }
    }

    /// The name the user knows a guarded feature column by, unless they allowed it.
    private func guarded(_ featureColumn: String) -> String? {
        columns[featureColumn].flatMap { allowed.contains($0) ? nil : $0 }
    }

    /// The rules for a 0/1 column (one level, the missing flag): a pure level holding much of the rarer class, or a
    /// single-feature AUC at the limit.
    private func checkIndicator(_ has: (Int) -> Bool, _ classes: Classes, column: String, what: String) throws(TrainingError) {
        let y = classes.labels, wins = classes.wins, losses = classes.losses
        let rarerIsWin = wins <= losses
        let rarer = rarerIsWin ? wins : losses
        var ones = 0.0, winOnes = 0.0
        for i in y.indices where has(i) {
            ones += 1
            winOnes += y[i]
        }
        let rarerOnes = rarerIsWin ? winOnes : ones - winOnes
        if ones >= Double(Self.minimumLevelLeads), rarerOnes / ones >= Self.purity, rarerOnes / rarer >= Self.classShare {
            throw .leak(column: column, evidence: "\(Int(ones)) leads have \(what) and \(Self.percent(rarerOnes / ones)) of them \(rarerIsWin ? "won" : "were lost"), \(Int(rarerOnes)) of the \(Int(rarer)) \(rarerIsWin ? "wins" : "losses") in all")
        }
        // AUC of a 0/1 feature: P(a win has it and a loss has not) plus half the ties.
        let tw = winOnes / wins, tl = (ones - winOnes) / losses
        try checkAUC(tw * (1 - tl) + 0.5 * (tw * tl + (1 - tw) * (1 - tl)), classes, column: column, what: what)
    }

    private func checkAUC(_ auc: Double, _ classes: Classes, column: String, what: String) throws(TrainingError) {
        guard classes.enoughForAUC, auc >= Self.aucLimit || auc <= 1 - Self.aucLimit else { return }
        throw .leak(column: column, evidence: "\(what) ranks won against lost leads with a ROC AUC of \(String(format: "%.3f", max(auc, 1 - auc))) on its own")
    }

    /// The ROC AUC of feature `j` against the labels (Mann-Whitney, ties halved), on at most ``sampleRows`` rows.
    static func auc(of j: Int, in design: DesignMatrix) -> Double {
        let n = design.labels.count, d = design.features.columns
        let stride = max(1, (n + sampleRows - 1) / sampleRows)
        var pairs: [(Double, Double)] = []
        pairs.reserveCapacity(n / stride + 1)
        for i in Swift.stride(from: 0, to: n, by: stride) { pairs.append((design.features.storage[i * d + j], design.labels[i])) }
        pairs.sort { $0.0 < $1.0 }
        var rankSum = 0.0, positives = 0.0, k = 0
        while k < pairs.count {
            var end = k
            while end + 1 < pairs.count, pairs[end + 1].0 == pairs[k].0 { end += 1 }
            let rank = Double(k + end) / 2 + 1
            for m in k...end where pairs[m].1 == 1 { rankSum += rank; positives += 1 }
            k = end + 1
        }
        let negatives = Double(pairs.count) - positives
        guard positives > 0, negatives > 0 else { return 0.5 }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
    }

    static func describe(_ feature: TableFeature) -> String {
        switch feature.kind {
        case .level(let level): "\(feature.column) = \"\(level)\""
        case .other: "\(feature.column) = one of its rare levels"
        case .missing: "no value in \(feature.column)"
        case .value: feature.name
        }
    }

    static func percent(_ share: Double) -> String {
        share >= 1 ? "all" : "\(Double(Int(share * 1000)) / 10)%"
    }

    /// A holdout ROC AUC at which a lead score is too good to be true (with at least ``minimumLevelLeads`` of each
    /// class held out): the answer got in.
    static let holdoutLimit = 0.98

    /// After the holdout: a model that ranks held-out leads almost perfectly learned the answer from some column. The
    /// guarded column with the largest weight (per standard deviation) in `fit` is named; when the strongest features
    /// are not in guarded columns (an event logged after the decision), a note says where to look instead.
    func checkHoldout(_ holdout: HoldoutSummary?, fit: LogisticFit, features: [TableFeature]) throws(TrainingError) -> String? {
        guard let metrics = holdout?.model, metrics.positives >= Self.minimumLevelLeads,
              metrics.rows - metrics.positives >= Self.minimumLevelLeads, metrics.auc >= Self.holdoutLimit else { return nil }
        let auc = String(format: "%.3f", metrics.auc)
        let perSD = zip(features, fit.coefficients).map { $0.perDeviation($1) }
        let order = perSD.indices.sorted { abs(perSD[$0]) > abs(perSD[$1]) }
        guard let top = order.first else { return nil }
        // The strongest feature, or, when the user kept its column knowingly, the strongest of the other guarded ones
        // that weighs at least half as much (a weak column is not blamed for a strong one's answer).
        let suspect = order.first { j in abs(perSD[j]) >= 0.5 * abs(perSD[top]) && guarded(features[j].column) != nil }
        if let suspect, let column = guarded(features[suspect].column) {
            throw .leak(column: column, evidence: "the model ranks its holdout with a ROC AUC of \(auc), better than any honest lead score, and its strongest feature is \(features[suspect].name) (\(String(format: "%+.2f", perSD[suspect])) per standard deviation)")
        }
        return "the model ranks its holdout with a ROC AUC of \(auc), better than any honest lead score: look for what gives the outcome away, starting with its strongest feature, \(features[top].name) (an event logged only once a deal is decided belongs in the spec's \"exclude_events\")"
    }
}
