import Foundation

/// The process's probability that a contact decided at a cutoff is won: a logistic function of its profile and
/// of what it did strictly before the cutoff.
///
/// The outcome depends on the latent intent only through the behaviour the intent caused, so this probability is
/// both the exact chance the generator used and the best any model of the same history and profile can do:
/// `truth.csv` holds it, and its ROC AUC is the ceiling to check a trained model against.
enum ConversionModel {
    /// Log-odds of a contact with an average profile and no recorded behaviour, before the recency penalty.
    static let intercept = -2.85

    /// Per pricing-page view in the last 30 days, and per view 31 to 90 days ago.
    static let recentPricingView = 0.6, olderPricingView = 0.2
    /// A demo request in the last 90 days, and one longer ago (at most one per contact).
    static let recentDemoRequest = 1.2, olderDemoRequest = 0.4
    /// Per email click in the last 30 days.
    static let recentEmailClick = 0.3
    /// Per webinar attended, all time.
    static let webinarAttended = 0.08
    /// Unsubscribed from marketing email before the cutoff.
    static let unsubscribed = -0.9
    /// The `--new-event` event (``EventKind/newEvent``, at most one per contact) in the last 30 days.
    static let recentNewEvent = 1.0
    /// Per day since the last page view, capped at ``recencyCapDays`` (and at the cap when there was none).
    static let perDaySinceLastPageView = -0.022
    static let recencyCapDays = 120.0

    /// The log-odds for `persona` from the events of `history` strictly before `cutoff`.
    ///
    /// Counts are divided by `activity` (and days multiplied by it), so that denser data (`--activity 10`)
    /// keeps about the same base rate and the same meaning of "one more view".
    static func logOdds(persona: Persona, history: [SyntheticEvent], before cutoff: Int64, activity: Double) -> Double {
        let day = UTCTimestamp.secondsPerDay
        var pricing30 = 0, pricing90 = 0, clicks30 = 0, webinars = 0
        var demoRecent = false, demoOlder = false, unsubscribedBefore = false, newEventRecent = false
        var lastPageView: Int64?
        for event in history where event.time < cutoff {
            let age = cutoff - event.time
            switch event.kind {
            case .pricingPageView:
                if age <= 30 * day { pricing30 += 1 } else if age <= 90 * day { pricing90 += 1 }
            case .demoRequest:
                if age <= 90 * day { demoRecent = true } else { demoOlder = true }
            case .emailClick:
                if age <= 30 * day { clicks30 += 1 }
            case .webinarAttended:
                webinars += 1
            case .unsubscribe:
                unsubscribedBefore = true
            case .pageView:
                lastPageView = max(lastPageView ?? event.time, event.time)
            case .newEvent:
                if age <= 30 * day { newEventRecent = true }
            case .emailOpen, .contentDownload, .chatWidgetOpen, .partnerReferral:
                break
            }
        }
        let daysSincePageView = lastPageView.map { Double(cutoff - $0) / Double(day) * activity } ?? recencyCapDays
        var logOdds = intercept + persona.fit + persona.sizeEffect
        logOdds += (recentPricingView * Double(pricing30) + olderPricingView * Double(pricing90)) / activity
        logOdds += demoRecent ? recentDemoRequest : demoOlder ? olderDemoRequest : 0
        logOdds += recentEmailClick * Double(clicks30) / activity
        logOdds += webinarAttended * Double(webinars) / activity
        logOdds += unsubscribedBefore ? unsubscribed : 0
        logOdds += newEventRecent ? recentNewEvent : 0
        logOdds += perDaySinceLastPageView * min(daysSincePageView, recencyCapDays)
        return logOdds
    }

    static func probability(logOdds: Double) -> Double {
        1 / (1 + exp(-logOdds))
    }
}
