/// What flagging every lead scoring at least a threshold does: for band cut-offs such as "sales-ready >= 80 points".
///
/// Exact counts: a threshold flags all tied leads or none, so no sharing out of ties is needed.
package struct ThresholdSummary: Codable, Sendable, Equatable {
    /// Leads scoring at least this are flagged.
    package var threshold: Double
    /// All leads.
    package var leads: Int
    /// All conversions.
    package var conversions: Int
    /// Leads flagged.
    package var flagged: Int
    /// `flagged / leads`; NaN when there are no leads.
    package var flaggedShare: Double
    /// Conversions among the flagged leads (true positives).
    package var flaggedConversions: Int
    /// `flaggedConversions / flagged`; NaN when nothing is flagged.
    package var precision: Double
    /// `flaggedConversions / conversions`, the share of conversions flagged; NaN when none converted.
    package var recall: Double

    /// Flagged leads that did not convert.
    package var falsePositives: Int { flagged - flaggedConversions }
    /// Conversions below the threshold.
    package var missedConversions: Int { conversions - flaggedConversions }
    /// Leads below the threshold that did not convert.
    package var trueNegatives: Int { leads - flagged - missedConversions }

    /// Flags `score >= threshold` among `scores` and counts against `labels`. O(n).
    package init(threshold: Double, scores: [Double], labels: [Bool]) {
        precondition(scores.count == labels.count, "one score per label")
        precondition(!scores.contains(where: \.isNaN), "scores must not be NaN")
        self.threshold = threshold
        leads = scores.count
        var flagged = 0, flaggedConversions = 0, conversions = 0
        for (s, y) in zip(scores, labels) {
            if y { conversions += 1 }
            if s >= threshold {
                flagged += 1
                if y { flaggedConversions += 1 }
            }
        }
        self.conversions = conversions
        self.flagged = flagged
        self.flaggedConversions = flaggedConversions
        flaggedShare = Double(flagged) / Double(leads)
        precision = Double(flaggedConversions) / Double(flagged)
        recall = Double(flaggedConversions) / Double(conversions)
    }
}
