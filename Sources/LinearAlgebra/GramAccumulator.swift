import _CKernels

/// `B^T B` summed over blocks of scaled rows `s_i * [1, x_i]`: the Gram matrix behind the trainer's Hessian.
///
/// The caller passes up to `blockRows` rows at a time; each block is scaled into place and added by a register-blocked AVX2/FMA kernel
/// (`_CKernels`, with a portable fallback) while it is still in cache, so no `n x order` temporary exists. BLAS `syrk`
/// would copy the block into its own panel format on every call, which for orders around 50 costs about as much as
/// the arithmetic: the kernel is 1.7 times faster at order 51 and 1.2 times at order 201 (README, Performance).
/// Blocks of `Float` halve the work again where single precision is enough.
package struct GramAccumulator<Scalar: GramScalar>: ~Copyable {
    /// The order of the Gram matrix: the values per row.
    package let order: Int
    /// The distance between rows in the block: `order` rounded up to 8 (the kernel's tile width), padding kept at zero.
    package let stride: Int
    /// Rows per block: about 96 KiB of them, so that the block stays in cache while every tile of sums passes over it.
    package let blockRows: Int
    private let block: UnsafeMutablePointer<Scalar>
    private let sums: UnsafeMutablePointer<Double>

    package init(order: Int) {
        precondition(order > 0, "a Gram matrix needs at least one column")
        self.order = order
        stride = (order + 7) / 8 * 8
        blockRows = min(512, max(16, 96 * 1024 / (stride * MemoryLayout<Scalar>.stride)))
        block = GramAccumulator.zeroed(Scalar.self, blockRows * stride)
        sums = GramAccumulator.zeroed(Double.self, (order + Scalar.tileRows - 1) / Scalar.tileRows * Scalar.tileRows * stride)
    }

    deinit {
        block.deallocate()
        sums.deallocate()
    }

    /// Adds the outer products of `scales[i] * [1, x_i]` for `rows` rows (at most `blockRows`) of `x`, row-major with
    /// `order - 1` values each: the rows of a design matrix with the intercept's column of ones in front, each weighted
    /// by the square of its scale. The scaled rows are written to the block in C (so debug builds stay quick).
    package mutating func accumulate(rows: Int, of x: UnsafeBufferPointer<Double>, scales: UnsafeBufferPointer<Double>) {
        precondition(rows >= 0 && rows <= blockRows, "more rows than a block holds")
        precondition(x.count >= rows * (order - 1) && scales.count >= rows, "fewer values than rows")
        guard rows > 0 else { return }
        Scalar.fill(x.baseAddress, rows: rows, columns: order - 1, scales: scales.baseAddress!, into: block, stride: stride)
        Scalar.accumulate(block, rows: rows, order: order, stride: stride, into: sums)
    }

    /// The sums so far in the upper triangle, zeros below it.
    package var upperTriangle: SymmetricMatrix {
        var result = SymmetricMatrix(order: order)
        for j in 0..<order {
            for k in j..<order { result[j, k] = sums[j * stride + k] }
        }
        return result
    }

    /// 64-byte aligned zeros, so that every row of the block starts on a cache line.
    private static func zeroed<T: BinaryFloatingPoint>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<T>.stride, alignment: 64)
        let values = raw.bindMemory(to: T.self, capacity: count)
        values.initialize(repeating: 0, count: count)
        return values
    }
}
