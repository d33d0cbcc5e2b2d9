/// The precision-recall curve of a score and its summary, the average precision (the usual "PR AUC").
///
/// Each distinct score `t`, from the highest down, is one threshold: rows scoring at least `t` are flagged, so rows
/// with equal scores are flagged together. Matches scikit-learn's `precision_recall_curve` (without its appended
/// end point at recall 0, precision 1) and `average_precision_score`.
package struct PrecisionRecall: Codable, Sendable, Equatable {
    /// One threshold of the curve.
    package struct Point: Codable, Sendable, Equatable {
        /// Rows scoring at least this are flagged.
        package var threshold: Double
        /// Converted rows among the flagged ones.
        package var precision: Double
        /// Flagged converted rows over all converted rows.
        package var recall: Double

        package init(threshold: Double, precision: Double, recall: Double) {
            self.threshold = threshold
            self.precision = precision
            self.recall = recall
        }
    }

    /// All rows.
    package var rows: Int
    /// Converted rows.
    package var positives: Int
    /// `positives / rows`: the precision of flagging at random, the baseline an average precision is read against.
    package var prevalence: Double
    /// The curve, in order of decreasing threshold; empty when no row converted (recall is undefined).
    package var points: [Point]
    /// `sum over thresholds of (R_k - R_{k-1}) * P_k` (see `averagePrecision(scores:labels:)`).
    package var averagePrecision: Double

    /// The curve and average precision of `scores` (higher means more likely to convert) against `labels`. O(n log n).
    package init(scores: [Double], labels: [Bool]) {
        let groups = TieGroups(scores: scores, labels: labels)
        rows = groups.totalRows
        positives = groups.totalPositives
        prevalence = rows > 0 ? Double(positives) / Double(rows) : .nan
        points = []
        guard positives > 0 else {
            averagePrecision = .nan
            return
        }
        points.reserveCapacity(groups.count)
        for g in 0..<groups.count {
            let tp = groups.positivesBefore[g + 1], flagged = groups.rowsBefore[g + 1]
            points.append(Point(threshold: groups.scores[g], precision: Double(tp) / Double(flagged),
                                recall: Double(tp) / Double(positives)))
        }
        averagePrecision = PrecisionRecall.averagePrecision(groups)
    }

    /// The average precision of `scores` against `labels`: at each distinct score, taken as a threshold from the
    /// highest down, the gain in recall times the precision there, summed.
    ///
    /// This is scikit-learn's `average_precision_score` (a step function, no interpolation). A tie group is one
    /// threshold, so the result does not depend on the order of tied rows. NaN when no row converted (scikit-learn
    /// warns and returns 0 there). O(n log n).
    package static func averagePrecision(scores: [Double], labels: [Bool]) -> Double {
        averagePrecision(TieGroups(scores: scores, labels: labels))
    }

    static func averagePrecision(_ groups: TieGroups) -> Double {
        let positives = groups.totalPositives
        guard positives > 0 else { return .nan }
        // sum of (new true positives) * precision, divided once by all positives
        var sum = 0.0
        for g in 0..<groups.count where groups.positives[g] > 0 {
            sum += Double(groups.positives[g]) * (Double(groups.positivesBefore[g + 1]) / Double(groups.rowsBefore[g + 1]))
        }
        return sum / Double(positives)
    }
}
