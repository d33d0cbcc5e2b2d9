/// DeLong's structural components of the ROC AUC ("placement values"), computed with midranks (Sun and Xu, 2014).
///
/// For a converted row, `V10` is the share of non-converted rows it outscores (ties count half); for a non-converted
/// row, `V01` is the share of converted rows that outscore it. The AUC is the mean of either set, and their sample
/// variances give the AUC's variance (DeLong, DeLong and Clarke-Pearson, 1988). Sun and Xu obtain them from three
/// midrank vectors instead of the `m x n` pair comparisons: O(n log n).
struct DeLongComponents: Sendable {
    var positives: Int
    var negatives: Int
    /// The AUC: the mean of `v10`, computed from exact half-integer sums (equal to `BinaryMetrics.rocAUC`).
    var auc: Double
    /// `V10` for each converted row, in input order.
    var v10: [Double]
    /// `V01` for each non-converted row, in input order.
    var v01: [Double]

    init(scores: [Double], labels: [Bool]) {
        precondition(scores.count == labels.count, "one score per label")
        precondition(!scores.contains(where: \.isNaN), "scores must not be NaN")
        var positiveScores: [Double] = [], negativeScores: [Double] = []
        for (s, y) in zip(scores, labels) {
            if y { positiveScores.append(s) } else { negativeScores.append(s) }
        }
        let m = positiveScores.count, n = negativeScores.count
        positives = m
        negatives = n
        guard m > 0, n > 0 else {
            auc = .nan
            v10 = []
            v01 = []
            return
        }
        // Tz: midranks among all rows; Tx, Ty: among converted and non-converted rows alone. For a converted row,
        // Tz - Tx counts the non-converted rows below it (ties half); for a non-converted row, Tz - Ty counts the
        // converted rows below it.
        let all = Midranks.of(scores)
        let withinPositive = Midranks.of(positiveScores)
        let withinNegative = Midranks.of(negativeScores)
        var below: [Double] = [], above: [Double] = []
        below.reserveCapacity(m)
        above.reserveCapacity(n)
        var p = 0, q = 0
        for (r, y) in zip(all, labels) {
            if y {
                below.append(r - withinPositive[p])
                p += 1
            } else {
                above.append(Double(m) - (r - withinNegative[q]))
                q += 1
            }
        }
        auc = below.reduce(0, +) / (Double(m) * Double(n))  // a half-integer sum: exact
        v10 = below.map { $0 / Double(n) }
        v01 = above.map { $0 / Double(m) }
    }

    /// The sum of squared deviations of `values` from `centre`.
    static func squaredDeviations(_ values: [Double], from centre: Double) -> Double {
        values.reduce(0) { $0 + ($1 - centre) * ($1 - centre) }
    }

    /// The sum of cross-products of deviations of two paired lists from their centres.
    static func crossDeviations(_ x: [Double], _ y: [Double], from cx: Double, _ cy: Double) -> Double {
        zip(x, y).reduce(0) { $0 + ($1.0 - cx) * ($1.1 - cy) }
    }

    /// DeLong's variance of the AUC: `S10 / m + S01 / n`, the sample variances (denominator `k - 1`) of the
    /// placement values divided by the class sizes. NaN when a class has fewer than two rows.
    var variance: Double {
        guard positives > 1, negatives > 1 else { return .nan }
        let s10 = DeLongComponents.squaredDeviations(v10, from: auc) / Double(positives - 1)
        let s01 = DeLongComponents.squaredDeviations(v01, from: auc) / Double(negatives - 1)
        return s10 / Double(positives) + s01 / Double(negatives)
    }
}
