import LinearAlgebra

/// Checks that training data can give a meaningful, finite fit, and says precisely what is wrong when they cannot.
///
/// Constant and duplicate columns are errors only without a penalty, where they leave the optimum undefined. Without
/// a penalty, one parallel pass over the rows gives per-column extremes (constant columns), sums (which any NaN
/// spoils), and a fingerprint `X^T r` for a fixed pseudo-random `r`: equal (or opposite) columns have equal (or
/// opposite) fingerprints, and only those candidates are compared element by element.
///
/// With a penalty that pass would only look for NaN and infinity, and the fit's first Hessian pass reads every value
/// anyway (a non-finite value makes its factorisation fail). So the trainer skips it and, when a fit fails, asks
/// `firstNonFinite` whether a value was to blame: one memory pass less per fit, 5% of a 1,000,000 x 50 fit.
enum DataCheck {
    static func validate(_ data: TrainingData, l2: Double, partitions: RowPartitions) throws(TrainingError) {
        let n = data.rows, d = data.columns
        guard n > 0 else { throw .noRows }
        guard data.labels.count == n else { throw .shapeMismatch("\(data.labels.count) labels for \(n) rows") }
        guard data.featureNames.count == d else { throw .shapeMismatch("\(data.featureNames.count) names for \(d) features") }
        guard l2.isFinite, l2 >= 0 else { throw .invalidOption("the L2 penalty must be a finite number >= 0, not \(l2)") }
        if let w = data.weights {
            guard w.count == n else { throw .shapeMismatch("\(w.count) weights for \(n) rows") }
            for (i, wi) in w.enumerated() where !(wi.isFinite && wi >= 0) { throw .invalidWeight(row: i, value: wi) }
            guard w.reduce(0, +).isFinite else { throw .invalidOption("the sample weights add up to more than a Double can hold: scale them down") }
        }
        var positive = 0.0, negative = 0.0
        for (i, yi) in data.labels.enumerated() {
            guard yi == 0 || yi == 1 else { throw .invalidLabel(row: i, value: yi) }
            let wi = data.weights?[i] ?? 1
            if yi == 1 { positive += wi } else { negative += wi }
        }
        if positive == 0 || negative == 0 {
            let present = data.labels.contains(1) && data.labels.contains(0)
            if present { throw .singleWeightedClass(label: positive > 0 ? 0 : 1) }
            throw .singleClass(label: positive > 0 ? 1 : 0, rows: n)
        }
        if l2 == 0 && d + 1 > n { throw .moreFeaturesThanRows(features: d, rows: n) }
        guard d > 0, l2 == 0 else { return }

        let partials = data.features.storage.withUnsafeBufferPointer { xp in
            partitions.map { rows -> (low: [Double], high: [Double], sum: [Double], fingerprint: [Double]) in
                var low = [Double](repeating: .infinity, count: d), high = [Double](repeating: -.infinity, count: d)
                var sum = [Double](repeating: 0, count: d)
                low.withUnsafeMutableBufferPointer { lo in
                    high.withUnsafeMutableBufferPointer { hi in
                        sum.withUnsafeMutableBufferPointer { total in
                            for i in rows {
                                for j in 0..<d {
                                    let v = xp[i * d + j]
                                    // NaN fails both comparisons and leaves the extremes alone; it shows in the sum.
                                    lo[j] = v < lo[j] ? v : lo[j]
                                    hi[j] = v > hi[j] ? v : hi[j]
                                    total[j] += v
                                }
                            }
                        }
                    }
                }
                var fingerprint = [Double](repeating: 0, count: d)
                let r = rows.map(probe)
                r.withUnsafeBufferPointer { rp in
                    fingerprint.withUnsafeMutableBufferPointer { fp in
                        BLAS.accumulateTransposed(UnsafeBufferPointer(rebasing: xp[(rows.lowerBound * d)..<(rows.upperBound * d)]),
                                                  rows: rows.count, columns: d, rp, into: fp)
                    }
                }
                return (low, high, sum, fingerprint)
            }
        }
        var low = [Double](repeating: .infinity, count: d), high = [Double](repeating: -.infinity, count: d)
        var sum = [Double](repeating: 0, count: d)
        var fingerprint = [Double](repeating: 0, count: d)
        for part in partials {
            for j in 0..<d {
                low[j] = min(low[j], part.low[j])
                high[j] = max(high[j], part.high[j])
                sum[j] += part.sum[j]
                fingerprint[j] += part.fingerprint[j]
            }
        }
        if sum.contains(where: { !$0.isFinite }) || low.contains(where: { !$0.isFinite }) || high.contains(where: { !$0.isFinite }) {
            try firstNonFinite(data)
        }
        for j in 0..<d where low[j] == high[j] { throw .constantFeature(data.featureNames[j]) }

        // Candidates: columns whose fingerprints agree in magnitude to rounding, checked exactly.
        let order = (0..<d).sorted { abs(fingerprint[$0]) < abs(fingerprint[$1]) }
        for (position, a) in order.enumerated() {
            for b in order[(position + 1)...] {
                let fa = abs(fingerprint[a]), fb = abs(fingerprint[b])
                guard fb - fa <= 1e-9 * (fa + fb) + 1e-300 else { break }
                let (first, second) = (min(a, b), max(a, b))
                if columnsEqual(data.features, first, second, sign: 1) || columnsEqual(data.features, first, second, sign: -1) {
                    throw .duplicateFeatures(data.featureNames[first], data.featureNames[second])
                }
            }
        }
    }

    /// Throws `nonFinite` for the first NaN or infinite feature value, row by row; returns when there is none.
    static func firstNonFinite(_ data: TrainingData) throws(TrainingError) {
        let d = data.columns
        try data.features.storage.withUnsafeBufferPointer { (xp) throws(TrainingError) in
            for (k, v) in xp.enumerated() where !v.isFinite {
                throw .nonFinite(row: k / d, feature: data.featureNames[k % d], value: v)
            }
        }
    }

    /// A fixed pseudo-random weight in [-1, 1) for row `i`, the same on every run.
    private static func probe(_ i: Int) -> Double {
        var z = UInt64(i) &+ 0x9e3779b97f4a7c15
        z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
        z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
        z ^= z >> 31
        return Double(z >> 11) * 0x1p-52 - 1
    }

    private static func columnsEqual(_ x: Matrix, _ a: Int, _ b: Int, sign: Double) -> Bool {
        for i in 0..<x.rows where x[i, a] != sign * x[i, b] { return false }
        return true
    }
}
