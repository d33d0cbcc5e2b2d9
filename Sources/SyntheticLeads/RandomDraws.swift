import Foundation
import LeadData

/// The distributions the generating process draws from, on top of the seeded uniform stream.
///
/// Each draw uses a fixed number of uniforms or a number that depends on the outcome only, so the same seed
/// gives the same sequence of contacts.
extension SeededGenerator {
    /// A uniform `Double` in (0, 1], safe to take the logarithm of.
    @inline(__always)
    mutating func positiveUniform() -> Double {
        1 - nextDouble()
    }

    /// True with probability `p`.
    @inline(__always)
    mutating func bernoulli(_ p: Double) -> Bool {
        nextDouble() < p
    }

    /// A standard normal draw (Box-Muller, one of the pair).
    mutating func normal() -> Double {
        let radius = (-2 * log(positiveUniform())).squareRoot()
        return radius * cos(2 * Double.pi * nextDouble())
    }

    /// Two independent standard normal draws (both of Box-Muller's pair).
    mutating func normalPair() -> (Double, Double) {
        let radius = (-2 * log(positiveUniform())).squareRoot()
        let angle = 2 * Double.pi * nextDouble()
        return (radius * cos(angle), radius * sin(angle))
    }

    /// An exponential draw with mean `mean`.
    @inline(__always)
    mutating func exponential(mean: Double) -> Double {
        -mean * log(positiveUniform())
    }

    /// A Poisson count with mean `mean`: inversion from one uniform for small means, normal approximation above 50.
    mutating func poisson(mean: Double) -> Int {
        if mean <= 0 { return 0 }
        if mean > 50 {
            return max(0, Int((mean + mean.squareRoot() * normal()).rounded()))
        }
        let u = nextDouble()
        var k = 0
        var probability = exp(-mean)
        var cumulative = probability
        while u >= cumulative && k < 1_000 {
            k += 1
            probability *= mean / Double(k)
            cumulative += probability
        }
        return k
    }

    /// An index into `cumulativeShares` (increasing, the last ~1) drawn with those shares.
    @inline(__always)
    mutating func pick(_ cumulativeShares: [Double]) -> Int {
        let u = nextDouble()
        for (index, bound) in cumulativeShares.enumerated() where u < bound {
            return index
        }
        return cumulativeShares.count - 1
    }

    /// A generator for item `index` of a stream keyed by `seed` and `stream`: independent of every other item,
    /// so items can be made in any order, or in parallel, and come out the same.
    static func forItem(_ index: Int, of stream: UInt64, seed: UInt64) -> SeededGenerator {
        var key = SeededGenerator(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        let base = key.next()
        var mixer = SeededGenerator(seed: base &+ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15)
        return SeededGenerator(seed: mixer.next())
    }
}
