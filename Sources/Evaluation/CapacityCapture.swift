/// What calling the top-scored share of leads would catch: "if sales can call the top 10% of leads, how many of the
/// conversions do they reach?"
///
/// The leads called are `fraction * leads`, not rounded, so that capture at 10% equals the first decile of a
/// `GainsTable`. Leads with equal scores are shared out as in `GainsTable`: a tie group cut by the capacity
/// contributes its conversions in proportion to the part of it that is called (the expected count over a random
/// order within ties).
public struct CapacityCapture: Codable, Sendable, Equatable {
    /// The share of leads called, in [0, 1].
    public var fraction: Double
    /// All leads.
    public var leads: Int
    /// All conversions.
    public var conversions: Int
    /// `fraction * leads`, possibly fractional.
    public var leadsCalled: Double
    /// Expected conversions among the leads called.
    public var conversionsCaptured: Double
    /// `conversionsCaptured / conversions`, the share of all conversions reached (recall); NaN when none converted.
    public var shareOfConversions: Double
    /// `conversionsCaptured / leadsCalled`, the conversion rate of the calls; NaN when no lead is called.
    public var precision: Double
    /// `precision` over the overall conversion rate; NaN when no lead is called or none converted.
    public var lift: Double

    /// Capture when calling the top `fraction` of leads ranked by `scores` (higher means more likely to convert).
    /// O(n log n).
    public static func top(fraction: Double, scores: [Double], labels: [Bool]) -> CapacityCapture {
        top(fractions: [fraction], scores: scores, labels: labels)[0]
    }

    /// Capture for each of several capacities, sorting the scores once.
    public static func top(fractions: [Double], scores: [Double], labels: [Bool]) -> [CapacityCapture] {
        let ties = TieGroups(scores: scores, labels: labels)
        return fractions.map { CapacityCapture(fraction: $0, ties: ties) }
    }

    init(fraction: Double, ties: TieGroups) {
        precondition(fraction >= 0 && fraction <= 1, "the share of leads called must be between 0 and 1")
        self.fraction = fraction
        leads = ties.totalRows
        conversions = ties.totalPositives
        leadsCalled = fraction * Double(leads)
        conversionsCaptured = ties.expectedPositives(from: 0, to: leadsCalled)
        shareOfConversions = conversionsCaptured / Double(conversions)
        precision = conversionsCaptured / leadsCalled
        lift = precision / (Double(conversions) / Double(leads))
    }
}
