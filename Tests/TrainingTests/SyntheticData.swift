import Foundation
import LinearAlgebra
@testable import Training

/// Small seeded data sets for solver tests: a linear logistic model with known weights.
enum SyntheticData {
    /// A deterministic stream of uniforms (SplitMix64), so tests need no other module.
    struct Uniforms {
        var state: UInt64
        mutating func next() -> Double {
            state &+= 0x9e3779b97f4a7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
            z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
            z ^= z >> 31
            return Double(z >> 11) * 0x1p-53
        }
        mutating func normal() -> Double {
            let u = max(next(), 1e-300), v = next()
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
    }

    /// `rows x columns` standard normal features and labels drawn from `sigmoid(intercept + x . weights)`.
    static func logistic(rows: Int, weights: [Double], intercept: Double, seed: UInt64 = 1) -> TrainingData {
        var u = Uniforms(state: seed)
        let d = weights.count
        var x = Matrix(rows: rows, columns: d)
        var y = [Double](repeating: 0, count: rows)
        for i in 0..<rows {
            var z = intercept
            for j in 0..<d {
                let v = u.normal()
                x[i, j] = v
                z += weights[j] * v
            }
            y[i] = u.next() < 1 / (1 + exp(-z)) ? 1 : 0
        }
        return TrainingData(features: x, labels: y)
    }
}
