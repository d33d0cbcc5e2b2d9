package import LeadData

/// The rule points of one lead held in memory (a lead posted to the HTTP server): what ``HistoryRuleAccumulator``
/// gives the same contact read from files (`add`, then `signals(eventNames:contacts:)` and its `points`), without
/// the per-lead tables that a file of contacts needs.
///
/// The same signals: occurrences strictly before the cutoff and within a rule's window, the quiet time since the most
/// recent event (or creation), the profile signals; summed in the rules' order, from zero, so the same bits. Built
/// once per rules file, then used for any number of leads from any thread, with no allocation per lead.
package struct LeadRulePoints: Sendable {
    package let rules: RuleSet
    private let signals: [RuleSignal]

    package init(rules: RuleSet) {
        self.rules = rules
        signals = rules.signals
    }

    /// The points of a lead created at `createdAt` with `events` (one batch; codes index `eventNames`; the contact
    /// indices are not read) as of `cutoff`; `profileSignal` gives a profile rule's signal for the lead, 0 when the
    /// lead has nothing the rule can read.
    package func points<E: Error>(events: EventBatch, eventNames: [String], createdAt: Timestamp, cutoff: Timestamp,
                                 profileSignal: (ProfileRule) throws(E) -> Double) throws(E) -> Double {
        var lastAge = Int64.max
        for k in 0..<events.count {
            let age = cutoff.seconds - events.times[k].seconds
            if age > 0, age < lastAge { lastAge = age }
        }
        var total = 0.0
        for signal in signals {
            let value: Double
            switch signal.rule {
            case .event(let rule):
                let window = rule.windowSeconds
                var count = 0
                for k in 0..<events.count where eventNames[Int(events.events[k])] == rule.event {
                    let age = cutoff.seconds - events.times[k].seconds
                    if age > 0, age <= window { count += 1 }
                }
                value = rule.signal(count: Double(count))
            case .profile(let rule):
                value = try profileSignal(rule)
            case .inactivity(let rule):
                value = rule.signal(lastEventAge: lastAge, cutoff: cutoff.seconds, createdAt: createdAt.seconds)
            }
            total += signal.points * value
        }
        return total
    }
}
