import Foundation
import LinearAlgebra

/// The objective both solvers minimise, written once:
///
///     f(b, w) = sum_i s_i * [log(1 + exp(z_i)) - y_i * z_i] + (lambda / 2) * |w|^2,   z_i = b + x_i . w
///
/// with the intercept `b` unpenalised. Parameters are packed as `theta = [b, w_1, ..., w_d]`. Everything that
/// walks the rows is here: the linear predictor (`gemv`), the gradient (`gemv` on `X^T`), the Hessian
/// (`syrk` over row blocks of `sqrt(s_i p_i (1 - p_i)) * [1, x_i]`, so no `n x d` temporary exists), and the
/// objective along a search line, which reuses `z` and `X . direction` and never touches `X`.
struct LogisticObjective {
    let x: Matrix
    let y: [Double]
    let s: [Double]
    let l2: Double
    /// Rows per block in the Hessian pass: about 256 KiB of scaled rows, so a block stays in cache.
    let blockRows: Int

    init(data: TrainingData, l2: Double) {
        x = data.features
        y = data.labels
        s = data.weights ?? [Double](repeating: 1, count: data.rows)
        self.l2 = l2
        blockRows = min(8192, max(64, 32768 / (data.columns + 1)))
    }

    /// The number of parameters, intercept included.
    var parameterCount: Int { x.columns + 1 }
    /// The sum of the sample weights: gradients are divided by it for tolerance checks.
    var weightSum: Double { s.reduce(0, +) }

    /// `z = b + X w` for `theta = [b, w]`.
    func linearPredictor(_ theta: [Double]) -> [Double] {
        var z = [Double](repeating: theta[0], count: x.rows)
        BLAS.multiply(x, Array(theta.dropFirst()), into: &z, beta: 1)
        return z
    }

    /// `q = delta_b + X delta_w`: how `z` moves along a search direction.
    func direction(_ delta: [Double]) -> [Double] { linearPredictor(delta) }

    /// The objective at `theta`, given its linear predictor `z`.
    func value(z: [Double], theta: [Double]) -> Double {
        var f = 0.0
        z.withUnsafeBufferPointer { zp in
            y.withUnsafeBufferPointer { yp in
                s.withUnsafeBufferPointer { sp in
                    for i in 0..<zp.count { f += sp[i] * (softplus(zp[i]) - yp[i] * zp[i]) }
                }
            }
        }
        return f + 0.5 * l2 * penaltyNorm(theta)
    }

    /// The objective and its gradient at `theta` (one `gemv` pass over `X`).
    func valueAndGradient(z: [Double], theta: [Double]) -> (value: Double, gradient: [Double]) {
        var r = [Double](repeating: 0, count: x.rows)
        var f = 0.0, g0 = 0.0
        z.withUnsafeBufferPointer { zp in
            y.withUnsafeBufferPointer { yp in
                s.withUnsafeBufferPointer { sp in
                    r.withUnsafeMutableBufferPointer { rp in
                        for i in 0..<zp.count {
                            let zi = zp[i], si = sp[i], yi = yp[i]
                            f += si * (softplus(zi) - yi * zi)
                            let ri = si * (sigmoid(zi) - yi)
                            rp[i] = ri
                            g0 += ri
                        }
                    }
                }
            }
        }
        var gw = [Double](repeating: 0, count: x.columns)
        BLAS.multiplyTransposed(x, r, into: &gw)
        var g = [g0] + gw
        for j in 1..<theta.count { g[j] += l2 * theta[j] }
        return (f + 0.5 * l2 * penaltyNorm(theta), g)
    }

    /// The objective, gradient and Hessian at `theta`, in one blocked pass over `X`.
    ///
    /// The Hessian is `[1 X]^T diag(s p (1 - p)) [1 X] + lambda * I` (no penalty on the intercept).
    func valueGradientHessian(z: [Double], theta: [Double]) -> (value: Double, gradient: [Double], hessian: SymmetricMatrix) {
        let n = x.rows, d = x.columns, p = d + 1
        var hessian = SymmetricMatrix(order: p)
        var gw = [Double](repeating: 0, count: d)
        var block = [Double](repeating: 0, count: blockRows * p)
        var r = [Double](repeating: 0, count: blockRows)
        var f = 0.0, g0 = 0.0
        x.storage.withUnsafeBufferPointer { xp in
            z.withUnsafeBufferPointer { zp in
                y.withUnsafeBufferPointer { yp in
                    s.withUnsafeBufferPointer { sp in
                        block.withUnsafeMutableBufferPointer { bp in
                            r.withUnsafeMutableBufferPointer { rp in
                                var start = 0
                                while start < n {
                                    let m = min(blockRows, n - start)
                                    for i in 0..<m {
                                        let row = start + i
                                        let zi = zp[row], si = sp[row], yi = yp[row]
                                        let pi = sigmoid(zi)
                                        f += si * (softplus(zi) - yi * zi)
                                        let ri = si * (pi - yi)
                                        rp[i] = ri
                                        g0 += ri
                                        let root = (si * pi * (1 - pi)).squareRoot()
                                        let out = i * p, src = row * d
                                        bp[out] = root
                                        for j in 0..<d { bp[out + 1 + j] = root * xp[src + j] }
                                    }
                                    BLAS.accumulateGram(UnsafeBufferPointer(bp), rows: m, into: &hessian)
                                    BLAS.accumulateTransposed(UnsafeBufferPointer(rebasing: xp[(start * d)..<((start + m) * d)]),
                                                              rows: m, columns: d,
                                                              UnsafeBufferPointer(rebasing: UnsafeBufferPointer(rp)[0..<m]), into: &gw)
                                    start += m
                                }
                            }
                        }
                    }
                }
            }
        }
        hessian.addToDiagonal(l2, from: 1)
        hessian.symmetrize()
        var g = [g0] + gw
        for j in 1..<p { g[j] += l2 * theta[j] }
        return (f + 0.5 * l2 * penaltyNorm(theta), g, hessian)
    }

    /// The objective `phi(t)` and its slope `phi'(t)` at `theta + t * delta`, from `z` and `q = X . delta` alone.
    func alongLine(z: [Double], q: [Double], theta: [Double], delta: [Double], step t: Double) -> (value: Double, slope: Double) {
        var f = 0.0, slope = 0.0
        z.withUnsafeBufferPointer { zp in
            q.withUnsafeBufferPointer { qp in
                y.withUnsafeBufferPointer { yp in
                    s.withUnsafeBufferPointer { sp in
                        for i in 0..<zp.count {
                            let zi = zp[i] + t * qp[i], si = sp[i], yi = yp[i]
                            f += si * (softplus(zi) - yi * zi)
                            slope += si * (sigmoid(zi) - yi) * qp[i]
                        }
                    }
                }
            }
        }
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

    /// `|w|^2`, the intercept excluded.
    private func penaltyNorm(_ theta: [Double]) -> Double {
        var sum = 0.0
        for j in 1..<theta.count { sum += theta[j] * theta[j] }
        return sum
    }
}

/// `1 / (1 + exp(-z))`, without overflow for large `|z|`.
@inline(__always)
func sigmoid(_ z: Double) -> Double {
    if z >= 0 { return 1 / (1 + exp(-z)) }
    let e = exp(z)
    return e / (1 + e)
}

/// `log(1 + exp(z))`, without overflow for large `z` or loss of precision for very negative `z`.
@inline(__always)
func softplus(_ z: Double) -> Double {
    max(z, 0) + log1p(exp(-abs(z)))
}
