/// A reliability table: predicted probabilities grouped into bins, each bin's mean prediction beside the conversion
/// rate actually observed in it, and the expected calibration error that sums up the gaps.
///
/// A well-calibrated model has, in every bin, an observed rate close to its mean prediction. Empty bins are left
/// out, as scikit-learn's `calibration_curve` does.
public struct CalibrationTable: Codable, Sendable, Equatable {
    /// How the probability range is cut into bins.
    public enum Strategy: String, Codable, Sendable, CaseIterable {
        /// Equal-width bins on [0, 1]: scikit-learn's `calibration_curve(strategy="uniform")`, edges and all.
        ///
        /// The edges are `i * (1 / bins)` (so 0.30000000000000004 for the fourth of ten, as numpy's `linspace`) and
        /// 1 exactly at the top. A bin holds `lower < p <= upper`, the first also `p = 0`: a probability on an edge
        /// belongs to the bin below it.
        case uniform
        /// Bins of about equal numbers of leads, cut at quantiles of the predicted probability.
        ///
        /// Sorted by probability, the `i`-th cut would fall after `i * rows / bins` leads; each cut moves to the
        /// nearest place where the probability changes (the lower one when both are equally near), so leads with
        /// equal probabilities always share a bin. With many ties the bins are therefore uneven, and cuts that move
        /// to the same place leave fewer bins than asked for. Without ties and with `rows` a multiple of `bins` these
        /// are exactly scikit-learn's `strategy="quantile"` bins.
        case quantile
    }

    /// One non-empty bin.
    public struct Bin: Codable, Sendable, Equatable {
        /// The lower edge: for `uniform` the bin's edge (exclusive except for the first bin); for `quantile` the
        /// lowest probability in the bin.
        public var lower: Double
        /// The upper edge (inclusive): for `uniform` the bin's edge; for `quantile` the highest probability in it.
        public var upper: Double
        /// Leads in the bin.
        public var count: Int
        /// Converted leads in the bin.
        public var conversions: Int
        /// The mean predicted probability of the bin's leads.
        public var meanPredicted: Double
        /// `conversions / count`.
        public var observedRate: Double
    }

    /// How the bins were cut.
    public var strategy: Strategy
    /// The number of bins asked for; `bins` may hold fewer (empty or merged bins).
    public var requestedBins: Int
    /// All leads.
    public var rows: Int
    /// The non-empty bins, from the lowest probabilities up.
    public var bins: [Bin]
    /// The expected calibration error: `sum over bins of count * |observedRate - meanPredicted| / rows`; NaN when
    /// there are no rows.
    public var expectedCalibrationError: Double

    /// The reliability table of `probabilities` (each in [0, 1]) against `labels`. O(n log bins) for `uniform`,
    /// O(n log n) for `quantile`.
    public init(probabilities: [Double], labels: [Bool], bins: Int = 10, strategy: Strategy = .uniform) {
        precondition(probabilities.count == labels.count, "one probability per label")
        precondition(bins >= 1, "a calibration table needs at least one bin")
        precondition(probabilities.allSatisfy { $0 >= 0 && $0 <= 1 }, "probabilities must lie in [0, 1] (and not be NaN)")
        self.strategy = strategy
        requestedBins = bins
        rows = probabilities.count
        switch strategy {
        case .uniform: self.bins = CalibrationTable.uniformBins(probabilities, labels, bins)
        case .quantile: self.bins = CalibrationTable.quantileBins(probabilities, labels, bins)
        }
        expectedCalibrationError = self.bins.reduce(0) {
            $0 + Double($1.count) * abs($1.observedRate - $1.meanPredicted)
        } / Double(rows)
    }

    private static func uniformBins(_ probabilities: [Double], _ labels: [Bool], _ k: Int) -> [Bin] {
        let width = 1.0 / Double(k)
        let edges = (0...k).map { $0 == k ? 1.0 : Double($0) * width }
        var count = [Int](repeating: 0, count: k), positives = count
        var sum = [Double](repeating: 0, count: k)
        for (p, y) in zip(probabilities, labels) {
            // The number of inner edges strictly below p (numpy's searchsorted, side "left").
            var low = 1, high = k  // the first inner edge >= p is edges[low], or none (low = k)
            while low < high {
                let mid = (low + high) / 2
                if edges[mid] < p { low = mid + 1 } else { high = mid }
            }
            let b = low - 1
            count[b] += 1
            sum[b] += p
            if y { positives[b] += 1 }
        }
        return (0..<k).filter { count[$0] > 0 }.map { b in
            Bin(lower: edges[b], upper: edges[b + 1], count: count[b], conversions: positives[b],
                meanPredicted: sum[b] / Double(count[b]), observedRate: Double(positives[b]) / Double(count[b]))
        }
    }

    private static func quantileBins(_ probabilities: [Double], _ labels: [Bool], _ k: Int) -> [Bin] {
        let ties = TieGroups(scores: probabilities, labels: labels)
        let n = ties.totalRows, g = ties.count
        guard n > 0 else { return [] }
        // Ascending group boundaries: starts[j] leads lie below ascending group j (TieGroups runs highest first).
        let starts = (0...g).map { n - ties.rowsBefore[g - $0] }
        var cuts = [0]
        for i in 1..<k {
            let target = Double(n) * Double(i) / Double(k)
            // The first boundary at or above the target, and the one before it.
            var low = 0, high = g
            while low < high {
                let mid = (low + high) / 2
                if Double(starts[mid]) < target { low = mid + 1 } else { high = mid }
            }
            let above = starts[low], below = starts[max(low - 1, 0)]
            let cut = Double(above) - target < target - Double(below) ? above : below
            if cut > cuts[cuts.count - 1] { cuts.append(cut) }
        }
        if cuts[cuts.count - 1] < n { cuts.append(n) }
        // Walk the ascending groups, closing a bin at each cut.
        var bins: [Bin] = []
        var j = 0
        for c in 1..<cuts.count {
            var count = 0, positives = 0, sum = 0.0
            let lower = ties.scores[g - 1 - j]
            var upper = lower
            while j < g && starts[j] < cuts[c] {
                let d = g - 1 - j  // the same group in TieGroups' descending order
                count += ties.rows[d]
                positives += ties.positives[d]
                sum += ties.scores[d] * Double(ties.rows[d])
                upper = ties.scores[d]
                j += 1
            }
            bins.append(Bin(lower: lower, upper: upper, count: count, conversions: positives,
                            meanPredicted: sum / Double(count), observedRate: Double(positives) / Double(count)))
        }
        return bins
    }
}
