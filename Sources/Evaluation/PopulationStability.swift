import Foundation

/// The Population Stability Index: how far one distribution of leads over bins has moved from another,
/// `sum (actual - expected) * ln(actual / expected)` over the bins' shares.
///
/// The conventional reading: below 0.10 no real change, 0.10 to 0.25 a change worth a look, above 0.25 a change to
/// act on (optbinning's scorecard monitoring, Evidently and the credit-scoring literature all use these).
public enum PopulationStability {
    /// Shares below this count as this, so that a bin empty on one side gives a large, finite term instead of infinity
    /// (the usual guard; with 10 bins an emptied bin of 10% contributes about 0.7).
    public static let floor = 1e-4

    /// The index between the `expected` (reference) and `actual` shares of the same bins.
    public static func index(expected: [Double], actual: [Double]) -> Double {
        precondition(expected.count == actual.count, "the same bins on both sides")
        return zip(expected, actual).reduce(0) { sum, pair in
            let e = max(pair.0, floor), a = max(pair.1, floor)
            return sum + (a - e) * log(a / e)
        }
    }

    /// Upper edges of at most `bins` bins holding about equal numbers of `values`: cut after every `n / bins` sorted
    /// values, where the value changes there (equal values always share a bin, so a column that is mostly 0 gets
    /// fewer, uneven bins). The top bin is everything above the last edge, so no edge is the largest value.
    public static func quantileEdges(_ values: [Double], bins: Int = 10) -> [Double] {
        let sorted = values.sorted()
        guard let largest = sorted.last else { return [] }
        var edges: [Double] = []
        for k in 1..<max(bins, 1) {
            let edge = sorted[max(0, (k * sorted.count + bins - 1) / bins - 1)]
            if edge < largest, edge != edges.last { edges.append(edge) }
        }
        return edges
    }

    /// The bin of `value` among upper `edges`: 0 for `value <= edges[0]`, ..., `edges.count` above the last.
    public static func bin(_ value: Double, edges: [Double]) -> Int {
        var low = 0, high = edges.count
        while low < high {
            let mid = (low + high) / 2
            if value <= edges[mid] { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// Each bin's share of `counts`.
    public static func shares(_ counts: [Int]) -> [Double] {
        let total = Double(max(counts.reduce(0, +), 1))
        return counts.map { Double($0) / total }
    }
}
