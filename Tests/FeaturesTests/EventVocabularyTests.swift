import Features
import Testing

/// Which event types get features of their own, which are pooled as `rare events`, and which are dropped.
@Suite struct EventVocabularyTests {
    @Test func typesBelowTheMinimumArePooledWhenThePoolHoldsEnough() {
        let vocabulary = EventVocabulary.learn(counts: ["page_view": 500, "webinar": 20, "referral": 12, "trial": 9], spec: HistoryFeatureSpec())
        #expect(vocabulary.kept == ["page_view", "webinar"])
        #expect(vocabulary.pooled == ["referral", "trial"])
        #expect(vocabulary.dropped.isEmpty)
        #expect(vocabulary.groupNames == ["page_view", "webinar", HistoryFeatureSpec.rareEventsName])
    }

    /// 14 partner referrals among thousands of leads cannot carry a weight: one referral would be 30 standard
    /// deviations from the rest, and a new type still rare at training would inherit whatever weight they got.
    @Test func aPoolThatHoldsFewerThanTheMinimumInAllIsDropped() {
        var spec = HistoryFeatureSpec()
        spec.excludeEvents = ["deal_won"]
        let vocabulary = EventVocabulary.learn(counts: ["page_view": 500, "partner_referral": 14, "trial": 5, "deal_won": 40], spec: spec)
        #expect(vocabulary.kept == ["page_view"])
        #expect(vocabulary.pooled.isEmpty)
        #expect(vocabulary.dropped == ["deal_won", "partner_referral", "trial"])
        #expect(vocabulary.group(of: "partner_referral") == nil)
        #expect(vocabulary.groupNames == ["page_view"])
        // Exactly the minimum in all is enough.
        let enough = EventVocabulary.learn(counts: ["page_view": 500, "partner_referral": 14, "trial": 6], spec: HistoryFeatureSpec())
        #expect(enough.pooled == ["partner_referral", "trial"])
    }
}
