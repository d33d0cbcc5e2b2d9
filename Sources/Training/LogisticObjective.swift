import Foundation
import LinearAlgebra

/// The objective both solvers minimise, written once:
///
///     f(b, w) = sum_i s_i * [log(1 + exp(z_i)) - y_i * z_i] + (lambda / 2) * |w|^2,   z_i = b + x_i . w
///
/// with the intercept `b` unpenalised. Parameters are packed as `theta = [b, w_1, ..., w_d]`. Everything that
/// walks the rows is here: the linear predictor (`gemv`), the gradient (`gemv` on `X^T`), the Hessian
/// (a `GramAccumulator` over row blocks of `sqrt(s_i p_i (1 - p_i)) * [1, x_i]`, so no `n x d` temporary exists), the
/// same pass fused with a whole Newton step (`X . step` while each block is in cache), and the objective along a
/// search line, which reuses `z` and `X . direction` and never touches `X`.
///
/// Row passes run over fixed `RowPartitions` in parallel and add up the partial results in partition order, so the
/// answer does not depend on the number of threads. OpenBLAS must be single-threaded meanwhile (the caller's job).
struct LogisticObjective {
    let x: Matrix
    let y: [Double]
    let s: [Double]
    let l2: Double
    let partitions: RowPartitions

    init(data: TrainingData, l2: Double, partitions: RowPartitions) {
        x = data.features
        y = data.labels
        s = data.weights ?? [Double](repeating: 1, count: data.rows)
        self.l2 = l2
        self.partitions = partitions
    }

    /// The number of parameters, intercept included.
    var parameterCount: Int { x.columns + 1 }
    /// The sum of the sample weights: gradients are divided by it for tolerance checks.
    var weightSum: Double { s.reduce(0, +) }

    /// `z = b + X w` for `theta = [b, w]` (no pass over `X` while `w` is zero).
    func linearPredictor(_ theta: [Double]) -> [Double] {
        var z = [Double](repeating: theta[0], count: x.rows)
        guard theta.dropFirst().contains(where: { $0 != 0 }) else { return z }
        let w = Array(theta.dropFirst()), d = x.columns
        x.storage.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                z.withUnsafeMutableBufferPointer { zp in
                    _ = partitions.map { rows in
                        BLAS.multiply(UnsafeBufferPointer(rebasing: xp[(rows.lowerBound * d)..<(rows.upperBound * d)]),
                                      rows: rows.count, columns: d, wp,
                                      into: UnsafeMutableBufferPointer(rebasing: zp[rows]), beta: 1)
                    }
                }
            }
        }
        return z
    }

    /// `q = delta_b + X delta_w`: how `z` moves along a search direction.
    func direction(_ delta: [Double]) -> [Double] { linearPredictor(delta) }

    /// The objective and its gradient at `theta` (one `gemv` pass over `X`).
    func valueAndGradient(z: [Double], theta: [Double]) -> (value: Double, gradient: [Double]) {
        let d = x.columns
        let partials = withRows(z) { xp, zp, yp, sp, rows -> (Double, [Double]) in
            var f = 0.0, g0 = 0.0
            var r = [Double](repeating: 0, count: rows.count)
            for (k, i) in rows.enumerated() {
                let zi = zp[i], si = sp[i], yi = yp[i]
                let (p, e) = logistic(zi)
                f += si * (max(zi, 0) + log1p(e) - yi * zi)
                let ri = si * (p - yi)
                r[k] = ri
                g0 += ri
            }
            var g = [Double](repeating: 0, count: d + 1)
            g[0] = g0
            g.withUnsafeMutableBufferPointer { gp in
                r.withUnsafeBufferPointer { rp in
                    BLAS.accumulateTransposed(UnsafeBufferPointer(rebasing: xp[(rows.lowerBound * d)..<(rows.upperBound * d)]),
                                              rows: rows.count, columns: d, rp,
                                              into: UnsafeMutableBufferPointer(rebasing: gp[1...]))
                }
            }
            return (f, g)
        }
        var f = 0.0
        var g = [Double](repeating: 0, count: d + 1)
        for (pf, pg) in partials {
            f += pf
            for j in 0...d { g[j] += pg[j] }
        }
        return (f + penalty(theta), addPenaltyGradient(g, theta))
    }

    /// The gradient and Hessian at `theta` (and the objective, when `withValue`), in one blocked pass over `X`.
    ///
    /// The Hessian is `[1 X]^T diag(s p (1 - p)) [1 X] + lambda * I` (no penalty on the intercept). With `Float`,
    /// its products are single precision (about 7 digits, enough to point a Newton step); everything else is double.
    func gradientHessian<Scalar: GramScalar>(z: [Double], theta: [Double], withValue: Bool,
                                             precision: Scalar.Type = Double.self) -> (value: Double?, gradient: [Double], hessian: SymmetricMatrix) {
        let (value, gradient, hessian) = z.withUnsafeBufferPointer { zp in
            pass(z: zp, moving: nil, theta: theta, withValue: withValue, precision: precision)
        }
        return (withValue ? value : nil, gradient, hessian)
    }

    /// Takes the whole `step` from `theta` and evaluates there, in the same single pass over `X`: `q = X . step`
    /// block by block while the rows are in cache, `z + q`, and the objective, gradient and Hessian at `theta + step`.
    /// `q` is returned for a line search, should the whole step not decrease the objective enough.
    func stepGradientHessian<Scalar: GramScalar>(z: [Double], step: [Double], theta: [Double], precision: Scalar.Type)
        -> (z: [Double], q: [Double], value: Double, gradient: [Double], hessian: SymmetricMatrix) {
        var moved = [Double](repeating: 0, count: x.rows), q = [Double](repeating: step[0], count: x.rows)
        let next = zip(theta, step).map { $0 + $1 }
        let (value, gradient, hessian) = z.withUnsafeBufferPointer { zp in
            moved.withUnsafeMutableBufferPointer { mp in
                q.withUnsafeMutableBufferPointer { qp in
                    pass(z: zp, moving: (Array(step.dropFirst()), qp, mp), theta: next, withValue: true, precision: precision)
                }
            }
        }
        return (moved, q, value, gradient, hessian)
    }

    /// The pass behind both: per row block, optionally `q += X_block w_step` and `z' = z + q` (written to the
    /// caller's buffers, each partition to its own rows), then the row terms at `z'` and the block's Gram sums.
    private func pass<Scalar: GramScalar>(z: UnsafeBufferPointer<Double>,
                                          moving: (step: [Double], q: UnsafeMutableBufferPointer<Double>, z: UnsafeMutableBufferPointer<Double>)?,
                                          theta: [Double], withValue: Bool,
                                          precision: Scalar.Type) -> (value: Double, gradient: [Double], hessian: SymmetricMatrix) {
        let d = x.columns, p = d + 1
        let partials = withRows { xp, yp, sp, rows -> (Double, [Double], SymmetricMatrix) in
            var gram = GramAccumulator<Scalar>(order: p)
            let blockRows = gram.blockRows
            var g = [Double](repeating: 0, count: p)
            var r = [Double](repeating: 0, count: blockRows), root = [Double](repeating: 0, count: blockRows)
            var f = 0.0, g0 = 0.0
            r.withUnsafeMutableBufferPointer { rp in
                root.withUnsafeMutableBufferPointer { root in
                    g.withUnsafeMutableBufferPointer { gp in
                        var start = rows.lowerBound
                        while start < rows.upperBound {
                            let m = min(blockRows, rows.upperBound - start)
                            let block = UnsafeBufferPointer(rebasing: xp[(start * d)..<((start + m) * d)])
                            var zs = UnsafeBufferPointer(rebasing: z[start..<(start + m)])
                            if let moving {
                                // The rows are read here first; the Gram fill below finds them in cache.
                                let q = UnsafeMutableBufferPointer(rebasing: moving.q[start..<(start + m)])
                                moving.step.withUnsafeBufferPointer { wp in
                                    BLAS.multiply(block, rows: m, columns: d, wp, into: q, beta: 1)
                                }
                                for i in 0..<m { moving.z[start + i] = zs[i] + q[i] }
                                zs = UnsafeBufferPointer(rebasing: moving.z[start..<(start + m)])
                            }
                            for i in 0..<m {
                                let row = start + i
                                let zi = zs[i], si = sp[row], yi = yp[row]
                                let (pi, e) = logistic(zi)
                                if withValue { f += si * (max(zi, 0) + log1p(e) - yi * zi) }
                                let ri = si * (pi - yi)
                                rp[i] = ri
                                g0 += ri
                                // p (1 - p) = e / (1 + e)^2 with e = exp(-|z|): no cancellation when p is near 1.
                                root[i] = (si * e).squareRoot() / (1 + e)
                            }
                            gram.accumulate(rows: m, of: block, scales: UnsafeBufferPointer(root))
                            BLAS.accumulateTransposed(block, rows: m, columns: d, UnsafeBufferPointer(rebasing: rp[0..<m]),
                                                      into: UnsafeMutableBufferPointer(rebasing: gp[1...]))
                            start += m
                        }
                    }
                }
            }
            g[0] = g0
            return (f, g, gram.upperTriangle)
        }
        var f = 0.0
        var g = [Double](repeating: 0, count: p)
        var hessian = SymmetricMatrix(order: p)
        for (pf, pg, ph) in partials {
            f += pf
            for j in 0..<p { g[j] += pg[j] }
            hessian.add(ph)
        }
        hessian.addToDiagonal(l2, from: 1)
        hessian.symmetrize()
        return (f + penalty(theta), addPenaltyGradient(g, theta), hessian)
    }

    /// The objective `phi(t)` and its slope `phi'(t)` at `theta + t * delta`, from `z` and `q = X . delta` alone.
    func alongLine(z: [Double], q: [Double], theta: [Double], delta: [Double], step t: Double) -> (value: Double, slope: Double) {
        let partials = q.withUnsafeBufferPointer { qp in
            withRows(z) { _, zp, yp, sp, rows -> (Double, Double) in
                var f = 0.0, slope = 0.0
                for i in rows {
                    let zi = zp[i] + t * qp[i], si = sp[i], yi = yp[i]
                    let (p, e) = logistic(zi)
                    f += si * (max(zi, 0) + log1p(e) - yi * zi)
                    slope += si * (p - yi) * qp[i]
                }
                return (f, slope)
            }
        }
        var f = 0.0, slope = 0.0
        for (pf, ps) in partials { f += pf; slope += ps }
        var norm = 0.0, dot = 0.0
        for j in 1..<theta.count {
            let wj = theta[j] + t * delta[j]
            norm += wj * wj
            dot += wj * delta[j]
        }
        return (f + 0.5 * l2 * norm, slope + l2 * dot)
    }

    /// Whether the linear predictor classifies every weighted row correctly with a margin: the data are separable.
    func separates(z: [Double]) -> Bool {
        for i in 0..<z.count where s[i] > 0 {
            if (y[i] == 1) != (z[i] > 0) { return false }
        }
        return true
    }

    // MARK: - Helpers

    /// Runs `body` on every partition with the row data as buffers; the partial results in partition order.
    private func withRows<T>(_ z: [Double], _ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>,
                                                     UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>, Range<Int>) -> T) -> [T] {
        z.withUnsafeBufferPointer { zp in
            withRows { xp, yp, sp, rows in body(xp, zp, yp, sp, rows) }
        }
    }

    /// As above, without `z`.
    private func withRows<T>(_ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>,
                                      UnsafeBufferPointer<Double>, Range<Int>) -> T) -> [T] {
        x.storage.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                s.withUnsafeBufferPointer { sp in
                    partitions.map { rows in body(xp, yp, sp, rows) }
                }
            }
        }
    }

    /// `(lambda / 2) |w|^2`, the intercept excluded.
    private func penalty(_ theta: [Double]) -> Double {
        var sum = 0.0
        for j in 1..<theta.count { sum += theta[j] * theta[j] }
        return 0.5 * l2 * sum
    }

    private func addPenaltyGradient(_ g: [Double], _ theta: [Double]) -> [Double] {
        var g = g
        for j in 1..<theta.count { g[j] += l2 * theta[j] }
        return g
    }
}

/// `sigmoid(z)` and `exp(-|z|)` from one exponential: enough for the loss (`max(z, 0) + log1p(e)`) and its slope.
@inline(__always)
func logistic(_ z: Double) -> (p: Double, e: Double) {
    let e = exp(-abs(z))
    return (z >= 0 ? 1 / (1 + e) : e / (1 + e), e)
}

/// `1 / (1 + exp(-z))`, without overflow for large `|z|`.
@inline(__always)
func sigmoid(_ z: Double) -> Double { logistic(z).p }
