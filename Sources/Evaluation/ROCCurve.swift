/// The ROC curve of a score: the true and false positive rates of flagging every row scoring at least `t`, for each
/// distinct score `t` from the highest down, starting at (0, 0) and ending at (1, 1).
///
/// Rows with equal scores are flagged together, so a tie group is one step of the curve (a diagonal segment when it
/// holds both classes), never split by input order. The points are those of scikit-learn's
/// `roc_curve(drop_intermediate=False)`.
public struct ROCCurve: Codable, Sendable, Equatable {
    /// One point of the curve.
    public struct Point: Codable, Sendable, Equatable {
        /// The score at or above which rows are flagged; `nil` for the starting point (0, 0), where none is.
        public var threshold: Double?
        /// Flagged non-converted rows over all non-converted rows.
        public var falsePositiveRate: Double
        /// Flagged converted rows over all converted rows (recall).
        public var truePositiveRate: Double

        public init(threshold: Double?, falsePositiveRate: Double, truePositiveRate: Double) {
            self.threshold = threshold
            self.falsePositiveRate = falsePositiveRate
            self.truePositiveRate = truePositiveRate
        }
    }

    /// Converted rows.
    public var positives: Int
    /// Non-converted rows.
    public var negatives: Int
    /// The points in order of decreasing threshold; empty when a class is absent (the rates are undefined).
    public var points: [Point]
    /// The area under the full curve by the trapezoid rule, equal to `BinaryMetrics.rocAUC` (both are computed from
    /// exact integer counts); NaN when a class is absent. A thinned curve keeps the full curve's area.
    public var auc: Double

    /// The ROC curve of `scores` (higher means more likely to convert) against `labels`. O(n log n).
    public init(scores: [Double], labels: [Bool]) {
        let groups = TieGroups(scores: scores, labels: labels)
        let p = groups.totalPositives, n = groups.totalRows - p
        positives = p
        negatives = n
        guard p > 0, n > 0 else {
            points = []
            auc = .nan
            return
        }
        points = [Point(threshold: nil, falsePositiveRate: 0, truePositiveRate: 0)]
        points.reserveCapacity(groups.count + 1)
        var truePositives = 0, falsePositives = 0
        var twiceArea = 0  // sum of (FP step) * (TP before + TP after): twice the area in count units, exact
        for g in 0..<groups.count {
            let tp = truePositives + groups.positives[g]
            let fp = falsePositives + groups.rows[g] - groups.positives[g]
            twiceArea += (fp - falsePositives) * (truePositives + tp)
            truePositives = tp
            falsePositives = fp
            points.append(Point(threshold: groups.scores[g], falsePositiveRate: Double(fp) / Double(n),
                                truePositiveRate: Double(tp) / Double(p)))
        }
        auc = Double(twiceArea) / 2 / (Double(p) * Double(n))
    }

    init(positives: Int, negatives: Int, points: [Point], auc: Double) {
        self.positives = positives
        self.negatives = negatives
        self.points = points
        self.auc = auc
    }

    /// At most `maxPoints` points of the curve, for charts: always the first (0, 0) and the last (1, 1), and in
    /// between the points spread evenly along the curve.
    ///
    /// "Evenly" is measured by `falsePositiveRate + truePositiveRate`, which grows strictly from 0 to 2 along the
    /// curve: for each of `maxPoints` equally spaced targets, the first point not yet kept that reaches it is kept, so
    /// long steps cost few points and dense stretches are sampled. Deterministic; `auc` stays that of the full curve.
    public func thinned(maxPoints: Int) -> ROCCurve {
        precondition(maxPoints >= 2, "a thinned curve keeps at least its two ends")
        guard points.count > maxPoints else { return self }
        var kept: [Point] = []
        kept.reserveCapacity(maxPoints)
        var next = 0
        for k in 0..<maxPoints {
            let target = k == maxPoints - 1 ? 2 : 2 * Double(k) / Double(maxPoints - 1)
            // The first point at or past the target; the last point (1, 1) reaches every target.
            var i = min(next, points.count - 1)
            while i < points.count - 1 && points[i].falsePositiveRate + points[i].truePositiveRate < target { i += 1 }
            if k == maxPoints - 1 { i = points.count - 1 }
            if i >= next {
                kept.append(points[i])
                next = i + 1
            }
        }
        return ROCCurve(positives: positives, negatives: negatives, points: kept, auc: auc)
    }
}
