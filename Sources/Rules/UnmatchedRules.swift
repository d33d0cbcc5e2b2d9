/// Rules that found nothing to look at in the data (an event never logged, a missing column), each with the reason:
/// they score 0 points, and every workflow that scores rules reports them the same way.
package enum UnmatchedRules {
    /// One note per rule (by key, with the reason), in key order.
    package static func notes(_ unmatched: [String: String]) -> [String] {
        unmatched.sorted { $0.key < $1.key }.map { "rules \($0.key) never applies: \($0.value)" }
    }
}

extension RuleSignals {
    /// Notes for the rules that found nothing to look at.
    package var unmatchedNotes: [String] { UnmatchedRules.notes(unmatched) }
}

extension TableRuleScorer {
    /// Notes for the rules that found nothing to look at.
    package var unmatchedNotes: [String] { UnmatchedRules.notes(unmatched) }
}
