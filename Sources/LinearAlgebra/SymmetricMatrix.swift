import _COpenBLAS

/// A square symmetric matrix kept in full row-major storage (both triangles valid after `symmetrize()`).
///
/// The Gram kernel and LAPACK `potrf` fill one triangle only; this type names which one holds the truth.
package struct SymmetricMatrix: Sendable, Equatable {
    /// The order `n` of the `n x n` matrix.
    package let order: Int
    /// Row-major values; after `GramAccumulator`/`potrf` only the upper triangle is meaningful until `symmetrize()`.
    package var storage: [Double]

    /// The zero matrix of order `n`.
    package init(order: Int) {
        self.order = order
        self.storage = [Double](repeating: 0, count: order * order)
    }

    /// The element at (`row`, `column`).
    package subscript(row: Int, column: Int) -> Double {
        get { storage[row * order + column] }
        set { storage[row * order + column] = newValue }
    }

    /// Copies the upper triangle onto the lower one.
    package mutating func symmetrize() {
        let n = order
        storage.withUnsafeMutableBufferPointer { a in
            for i in 0..<n {
                for j in 0..<i { a[i * n + j] = a[j * n + i] }
            }
        }
    }

    /// Adds `value` to the diagonal elements from `start` on (a ridge penalty that spares an intercept at 0).
    package mutating func addToDiagonal(_ value: Double, from start: Int = 0) {
        for i in start..<order { storage[i * order + i] += value }
    }

    /// Adds another matrix of the same order, element by element.
    package mutating func add(_ other: SymmetricMatrix) {
        precondition(other.order == order, "matrices of different order")
        for i in storage.indices { storage[i] += other.storage[i] }
    }

    /// The diagonal.
    package var diagonal: [Double] { (0..<order).map { storage[$0 * order + $0] } }

    /// The product `A v` (BLAS `symv`, reading the upper triangle).
    package func multiply(_ v: [Double]) -> [Double] {
        precondition(v.count == order, "symv: the vector has the wrong length")
        var out = [Double](repeating: 0, count: order)
        guard order > 0 else { return out }
        storage.withUnsafeBufferPointer { a in
            v.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { y in
                    cblas_dsymv(CblasRowMajor, CblasUpper, Int32(order), 1, a.baseAddress, Int32(order), x.baseAddress, 1, 0, y.baseAddress, 1)
                }
            }
        }
        return out
    }
}
