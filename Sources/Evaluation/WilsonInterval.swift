/// The 95% Wilson score interval of a rate of `conversions` in `leads` (`leads` > 0): unlike the normal
/// approximation it stays within 0...1 and is not empty at 0 of 300.
public func wilsonInterval(conversions: Int, leads: Int) -> ClosedRange<Double> {
    let z = AUCEstimate.z95, n = Double(leads), p = Double(conversions) / n
    let denominator = 1 + z * z / n
    let centre = (p + z * z / (2 * n)) / denominator
    let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / denominator
    // At 0 (or all) conversions one end is exactly 0 (or 1); computed, it would be off by a rounding error.
    return (conversions == 0 ? 0 : max(0, centre - half))...(conversions == leads ? 1 : min(1, centre + half))
}
