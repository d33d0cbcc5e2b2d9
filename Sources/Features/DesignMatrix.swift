public import LinearAlgebra

/// The matrix exactly as the trainer sees it: standardised features, 0/1 labels, row ids and optional weights.
public struct DesignMatrix: Sendable {
    /// The id of each row (the table's id column, or the 1-based data row number).
    public var ids: [String]
    /// 1 for converted, 0 otherwise.
    public var labels: [Double]
    /// Per-row sample weights, when the table has a weight column.
    public var weights: [Double]?
    /// One row per lead, one column per feature.
    public var features: Matrix
    /// One name per column.
    public var featureNames: [String]

    public init(ids: [String], labels: [Double], weights: [Double]?, features: Matrix, featureNames: [String]) {
        self.ids = ids
        self.labels = labels
        self.weights = weights
        self.features = features
        self.featureNames = featureNames
    }

    /// The rows at `indices`, in that order.
    public func selectingRows(_ indices: [Int]) -> DesignMatrix {
        DesignMatrix(ids: indices.map { ids[$0] }, labels: labels.isEmpty ? [] : indices.map { labels[$0] },
                     weights: weights.map { w in indices.map { w[$0] } }, features: features.selectingRows(indices),
                     featureNames: featureNames)
    }

    /// A short fingerprint of the matrix, labels and weights: each value's bit pattern (-0 as +0) mixed into a
    /// 64-bit hash, one multiply per value (FNV-style over 64-bit words, then a final avalanche), in hex.
    public var fingerprint: String {
        var h: UInt64 = 0xcbf29ce484222325
        func mix(_ values: [Double]) {
            values.withUnsafeBufferPointer { p in
                for v in p { h = (h ^ (v + 0.0).bitPattern) &* 0x100000001b3 }
            }
        }
        mix(features.storage)
        mix(labels)
        if let weights { mix(weights) }
        h ^= h >> 33
        h = h &* 0xff51afd7ed558ccd
        h ^= h >> 33
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
