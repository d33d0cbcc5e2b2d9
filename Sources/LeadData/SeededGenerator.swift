/// A small, fast, seeded pseudo-random generator (SplitMix64) for reproducible splits and data.
///
/// The same seed gives the same sequence on every platform and Swift version, unlike the system
/// generator, so splits, folds and synthetic data can be repeated byte for byte.
/// Reference: Steele, Lea and Flood, "Fast splittable pseudorandom number generators" (2014).
package struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Starts the sequence for `seed`; every seed, 0 included, is fine.
    package init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform `Double` in [0, 1) built from the top 53 bits of ``next()``, so every value is a multiple of 2^-53.
    package mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Shuffles `values` in place (Fisher-Yates, last position first) with this generator's draws, so a split or a
    /// fold assignment is the same on every platform; the standard library's shuffle may change between versions.
    package mutating func shuffle<T>(_ values: inout [T]) {
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, Int(next() % UInt64(i + 1)))
        }
    }
}
