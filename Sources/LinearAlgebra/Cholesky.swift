import _COpenBLAS

/// The Cholesky factorisation `A = U^T U` of a symmetric positive definite matrix (LAPACK `potrf`), and what it gives:
/// solutions of `A x = b` (`potrs`) and the inverse (`potri`), which the trainer needs for Newton steps and standard errors.
package struct Cholesky: Sendable {
    /// The factor `U` in the upper triangle (row-major), as `potrf` left it.
    package let factor: SymmetricMatrix

    /// Factorises `a`, reading its upper triangle; `nil` when `a` is not (numerically) positive definite, or holds a
    /// NaN or an infinity (which `potrf` can let through, for example as a 1 x 1 factor of infinity).
    package init?(_ a: SymmetricMatrix) {
        var f = a
        let n = f.order
        guard n > 0, a.storage.allSatisfy(\.isFinite) else { return nil }
        let info = f.storage.withUnsafeMutableBufferPointer { p in
            LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), leadscore_lapack_int(n), p.baseAddress, leadscore_lapack_int(n))
        }
        guard info == 0 else { return nil }
        factor = f
    }

    /// Solves `A x = b`.
    package func solve(_ b: [Double]) -> [Double] {
        let n = factor.order
        precondition(b.count == n, "potrs: right-hand side has the wrong length")
        var x = b
        let info = factor.storage.withUnsafeBufferPointer { f in
            x.withUnsafeMutableBufferPointer { xp in
                LAPACKE_dpotrs(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), leadscore_lapack_int(n), 1,
                               f.baseAddress, leadscore_lapack_int(n), xp.baseAddress, 1)
            }
        }
        precondition(info == 0, "potrs failed with info \(info) on a valid factor")
        return x
    }

    /// The inverse `A^{-1}`, both triangles filled.
    package func inverse() -> SymmetricMatrix {
        var inv = factor
        let n = inv.order
        let info = inv.storage.withUnsafeMutableBufferPointer { p in
            LAPACKE_dpotri(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), leadscore_lapack_int(n), p.baseAddress, leadscore_lapack_int(n))
        }
        precondition(info == 0, "potri failed with info \(info) on a valid factor")
        inv.symmetrize()
        return inv
    }
}
