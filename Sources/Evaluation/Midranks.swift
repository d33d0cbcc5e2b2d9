/// Midranks: the rank of each value among all of them, counting from 1 and giving tied values the average of the
/// ranks they share (so three values tied for ranks 4, 5, 6 all get 5).
///
/// The building block of the fast DeLong algorithm (Sun and Xu, 2014). Sums of midranks are half-integers and so exact
/// in `Double` up to 2^52, which keeps AUCs computed from them bit-identical to `BinaryMetrics.rocAUC`.
enum Midranks {
    /// The midrank of each element of `values`, in input order. O(n log n).
    static func of(_ values: [Double]) -> [Double] {
        var order = Array(values.indices)
        values.withUnsafeBufferPointer { v in order.sort { v[$0] < v[$1] } }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            // Positions i...j (0-based) hold ranks i + 1 ... j + 1; their average is (i + j + 2) / 2.
            let midrank = Double(i + j + 2) / 2
            for k in i...j { ranks[order[k]] = midrank }
            i = j + 1
        }
        return ranks
    }
}
