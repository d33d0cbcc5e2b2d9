import _COpenBLAS

/// The BLAS operations the trainer and scorer need, on `Matrix` and plain buffers; the only place that calls CBLAS.
///
/// All routines are row-major. Buffers are borrowed for the call; nothing is retained.
package enum BLAS {
    /// `y = alpha * A * x + beta * y` for the rows of `A` (`A.rows` outputs).
    package static func multiply(_ a: Matrix, _ x: [Double], into y: inout [Double], alpha: Double = 1, beta: Double = 0) {
        precondition(x.count == a.columns && y.count == a.rows, "gemv: shapes do not match")
        guard a.rows > 0, a.columns > 0 else {
            if beta == 0 { for i in y.indices { y[i] = 0 } } else { for i in y.indices { y[i] *= beta } }
            return
        }
        a.storage.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(a.rows), Int32(a.columns), alpha,
                                ap.baseAddress, Int32(a.columns), xp.baseAddress, 1, beta, yp.baseAddress, 1)
                }
            }
        }
    }

    /// `y += alpha * B^T * x` for a row block `B` (`rows x columns`, row-major).
    package static func accumulateTransposed(_ block: UnsafeBufferPointer<Double>, rows: Int, columns: Int,
                                            _ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>,
                                            alpha: Double = 1) {
        guard rows > 0, columns > 0 else { return }
        precondition(block.count >= rows * columns && x.count >= rows && y.count >= columns, "gemv^T: shapes do not match")
        cblas_dgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(columns), alpha,
                    block.baseAddress, Int32(columns), x.baseAddress, 1, 1.0, y.baseAddress, 1)
    }

    /// The dot product of two equally long vectors.
    package static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "dot: lengths differ")
        guard !x.isEmpty else { return 0 }
        return x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in cblas_ddot(Int32(x.count), xp.baseAddress, 1, yp.baseAddress, 1) }
        }
    }

    /// `y += A x` for a row block `A` (`rows x columns`, row-major) held in `block`, each `y_i` the same bit for bit
    /// however many rows share the call.
    ///
    /// OpenBLAS's gemv works through whole groups of rows with one kernel and the last few rows of a call with
    /// another, whose sums round differently. The tail is therefore padded with zero rows to a whole group, so that a
    /// lead scored alone, in a chunk of 7 or in a matrix of a million gets the same log-odds. (Run it with OpenBLAS at
    /// one thread, see `BLASRuntime.withSingleThread`: its own threads split rows where they like.)
    package static func addProducts(_ block: UnsafeBufferPointer<Double>, rows: Int, columns: Int,
                                   _ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        guard rows > 0, columns > 0 else { return }
        precondition(block.count >= rows * columns && x.count >= columns && y.count >= rows, "gemv: shapes do not match")
        let whole = rows / rowGroup * rowGroup
        if whole > 0 {
            cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(whole), Int32(columns), 1.0,
                        block.baseAddress, Int32(columns), x.baseAddress, 1, 1.0, y.baseAddress, 1)
        }
        let tail = rows - whole
        guard tail > 0 else { return }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: rowGroup * (columns + 1)) { scratch in
            let a = scratch.baseAddress!, t = a + rowGroup * columns
            a.initialize(from: block.baseAddress! + whole * columns, count: tail * columns)
            (a + tail * columns).initialize(repeating: 0, count: (rowGroup - tail) * columns)
            for i in 0..<rowGroup { t[i] = i < tail ? y[whole + i] : 0 }
            cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(rowGroup), Int32(columns), 1.0,
                        a, Int32(columns), x.baseAddress, 1, 1.0, t, 1)
            for i in 0..<tail { y[whole + i] = t[i] }
        }
    }

    /// The rows ``addProducts(_:rows:columns:_:into:)`` pads a call's tail to: a multiple of the row groups of
    /// OpenBLAS's x86-64 gemv kernels (4 on Haswell and Zen).
    static let rowGroup = 8

    /// `y = A x + beta * y` for a row block `A` (`rows x columns`, row-major) held in `block`.
    package static func multiply(_ block: UnsafeBufferPointer<Double>, rows: Int, columns: Int,
                                _ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>, beta: Double = 0) {
        guard rows > 0, columns > 0 else { return }
        precondition(block.count >= rows * columns && x.count >= columns && y.count >= rows, "gemv: shapes do not match")
        cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(columns), 1.0,
                    block.baseAddress, Int32(columns), x.baseAddress, 1, beta, y.baseAddress, 1)
    }
}
