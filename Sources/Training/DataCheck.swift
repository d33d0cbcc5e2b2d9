import LinearAlgebra

/// Checks that training data can give a meaningful, finite fit, and says precisely what is wrong when they cannot.
///
/// One pass over the rows in storage order: labels and weights, non-finite values, per-column extremes (constant
/// columns) and per-column hashes of the bit patterns (candidate duplicates, then confirmed exactly).
enum DataCheck {
    static func validate(_ data: TrainingData, l2: Double) throws(TrainingError) {
        let n = data.rows, d = data.columns
        guard n > 0 else { throw .noRows }
        guard data.labels.count == n else { throw .shapeMismatch("\(data.labels.count) labels for \(n) rows") }
        guard data.featureNames.count == d else { throw .shapeMismatch("\(data.featureNames.count) names for \(d) features") }
        guard l2.isFinite, l2 >= 0 else { throw .invalidOption("the L2 penalty must be a finite number >= 0, not \(l2)") }
        if let w = data.weights {
            guard w.count == n else { throw .shapeMismatch("\(w.count) weights for \(n) rows") }
            for (i, wi) in w.enumerated() where !(wi.isFinite && wi >= 0) { throw .invalidWeight(row: i, value: wi) }
        }
        var positive = 0.0, negative = 0.0
        for (i, yi) in data.labels.enumerated() {
            guard yi == 0 || yi == 1 else { throw .invalidLabel(row: i, value: yi) }
            let wi = data.weights?[i] ?? 1
            if yi == 1 { positive += wi } else { negative += wi }
        }
        if positive == 0 || negative == 0 { throw .singleClass(label: positive > 0 ? 1 : 0, rows: n) }
        if l2 == 0 && d + 1 > n { throw .moreFeaturesThanRows(features: d, rows: n) }
        guard d > 0 else { return }

        var low = [Double](repeating: .infinity, count: d)
        var high = [Double](repeating: -.infinity, count: d)
        var hashes = [UInt64](repeating: 0xcbf29ce484222325, count: d)
        var negatedHashes = hashes
        for i in 0..<n {
            let row = i * d
            for j in 0..<d {
                let v = data.features.storage[row + j]
                guard v.isFinite else { throw .nonFinite(row: i, feature: data.featureNames[j], value: v) }
                low[j] = min(low[j], v)
                high[j] = max(high[j], v)
                hashes[j] = (hashes[j] ^ (v + 0.0).bitPattern) &* 0x100000001b3
                negatedHashes[j] = (negatedHashes[j] ^ (-v + 0.0).bitPattern) &* 0x100000001b3
            }
        }
        for j in 0..<d where low[j] == high[j] { throw .constantFeature(data.featureNames[j]) }
        var firstWithHash: [UInt64: Int] = [:]
        for j in 0..<d {
            for (h, sign) in [(hashes[j], 1.0), (negatedHashes[j], -1.0)] {
                if let k = firstWithHash[h], k != j, columnsEqual(data.features, k, j, sign: sign) {
                    throw .duplicateFeatures(data.featureNames[k], data.featureNames[j])
                }
            }
            if firstWithHash[hashes[j]] == nil { firstWithHash[hashes[j]] = j }
        }
    }

    private static func columnsEqual(_ x: Matrix, _ a: Int, _ b: Int, sign: Double) -> Bool {
        for i in 0..<x.rows where x[i, a] != sign * x[i, b] { return false }
        return true
    }
}
