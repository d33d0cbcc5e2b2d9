/// One rule seen as a signal: the quantity whose multiple the rule's points are (occurrences, capped; or 1 when a
/// profile value matches, an event happened, or the lead is inactive).
public struct RuleSignal: Sendable, Equatable {
    public enum Rule: Sendable, Equatable {
        case event(EventRule)
        case profile(ProfileRule)
        case inactivity(InactivityRule)
    }

    public var rule: Rule
    /// The rule's place in its list of the file (`events` or `profile`; 0 for `inactivity`).
    public var index: Int

    public init(rule: Rule, index: Int) {
        self.rule = rule
        self.index = index
    }

    /// Where the rule is in the file: `events[2]`, `profile[0]`, `inactivity`. Spelt out only when asked for (a
    /// note or an error), so that listing the signals costs no text per scored lead.
    public var key: String {
        switch rule {
        case .event: "events[\(index)]"
        case .profile: "profile[\(index)]"
        case .inactivity: "inactivity"
        }
    }

    /// The rule's points per unit of signal.
    public var points: Double {
        switch rule {
        case .event(let r): r.points
        case .profile(let r): r.points
        case .inactivity(let r): r.points
        }
    }

    /// How the signal reads in a report.
    public var label: String {
        switch rule {
        case .event(let r): r.label
        case .profile(let r): r.label
        case .inactivity(let r): r.label
        }
    }

    /// What one unit of the signal is, for a report: "occurrence", "yes".
    public var unit: String {
        if case .event(let r) = rule, r.per == .occurrence { return "per occurrence" }
        return "if true"
    }

    /// The same rule with other points (a cap keeps its number of occurrences).
    public func withPoints(_ points: Double) -> Rule {
        switch rule {
        case .event(var r):
            if let cap = r.cap, r.points != 0 { r.cap = (cap / abs(r.points) * abs(points) * 100).rounded() / 100 }
            r.points = points
            return .event(r)
        case .profile(var r):
            r.points = points
            return .profile(r)
        case .inactivity(var r):
            r.points = points
            return .inactivity(r)
        }
    }
}
