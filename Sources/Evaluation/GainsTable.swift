/// Cumulative gains and lift by equal-sized groups of leads ranked by score: deciles by default.
///
/// Leads are sorted from the highest score down and cut into `groups` slices of `leads / groups` each; the cuts may
/// fall inside a lead (the sizes are fractional when `leads` is not a multiple of `groups`). Leads with equal scores
/// have no order among them, so a tie group that straddles a cut is shared out in proportion: a tie group of `c`
/// leads with `p` conversions contributes `p * (its share in the slice) / c` conversions to each slice it overlaps.
/// That is the expected count over a random order within ties, and it does not depend on the input order.
public struct GainsTable: Codable, Sendable, Equatable {
    /// One slice of the ranking.
    public struct Row: Codable, Sendable, Equatable {
        /// The slice's rank, 1 for the top-scored slice.
        public var rank: Int
        /// Where the slice starts in the ranking, as a share of all leads (0 for the first).
        public var fromShare: Double
        /// Where the slice ends, as a share of all leads (1 for the last).
        public var toShare: Double
        /// Leads in the slice: `total leads / groups`, possibly fractional.
        public var leads: Double
        /// Expected conversions in the slice (fractional when a tie group straddles one of its ends).
        public var conversions: Double
        /// `conversions / leads`.
        public var conversionRate: Double
        /// Expected conversions in this slice and all those above it.
        public var cumulativeConversions: Double
        /// The gain: `cumulativeConversions` as a share of all conversions; exactly 1 at the last slice.
        public var cumulativeShareOfConversions: Double
        /// `conversionRate` over the overall conversion rate.
        public var lift: Double
        /// The conversion rate of this slice and all those above it, over the overall conversion rate.
        public var cumulativeLift: Double
    }

    /// All leads.
    public var leads: Int
    /// All conversions.
    public var conversions: Int
    /// `conversions / leads`.
    public var overallRate: Double
    /// The slices, from the top-scored down; empty when there are no leads. When no lead converted, rates are 0 and
    /// shares and lifts NaN.
    public var rows: [Row]

    /// The gains table of `scores` (higher means more likely to convert) against `labels`, cut into `groups` slices.
    /// O(n log n).
    public init(scores: [Double], labels: [Bool], groups: Int = 10) {
        precondition(groups >= 1, "a gains table needs at least one group")
        let ties = TieGroups(scores: scores, labels: labels)
        leads = ties.totalRows
        conversions = ties.totalPositives
        overallRate = leads > 0 ? Double(conversions) / Double(leads) : .nan
        rows = []
        guard leads > 0 else { return }
        let n = Double(leads), k = Double(groups)
        rows.reserveCapacity(groups)
        for g in 0..<groups {
            let from = n * Double(g) / k, to = g == groups - 1 ? n : n * Double(g + 1) / k
            let expected = ties.expectedPositives(from: from, to: to)
            let cumulative = ties.expectedPositives(from: 0, to: to)
            let rate = expected / (to - from)
            rows.append(Row(rank: g + 1, fromShare: Double(g) / k, toShare: Double(g + 1) / k, leads: to - from,
                            conversions: expected, conversionRate: rate, cumulativeConversions: cumulative,
                            cumulativeShareOfConversions: cumulative / Double(conversions),
                            lift: rate / overallRate, cumulativeLift: cumulative / to / overallRate))
        }
    }
}
