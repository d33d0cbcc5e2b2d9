import LeadData

/// Points for an event: `{"event": "demo_request", "points": 25}`, per occurrence unless `"per": "once"`, with an
/// optional cap on the points this rule can give and an optional window ("only the last 30 days count").
///
/// In table mode `event` names a column that already holds a count (for example `pricing_page_views_30d`), so a
/// window cannot apply there.
public struct EventRule: Codable, Sendable, Equatable {
    /// How often the points are given.
    public enum Per: String, Codable, Sendable { case occurrence, once }

    /// The event name as it appears in events.csv (or, in table mode, a count column).
    public var event: String
    /// Points per occurrence (or once); negative for events that count against a lead.
    public var points: Double
    public var per: Per
    /// The most points (in absolute value) this rule can give a lead.
    public var cap: Double?
    /// Only occurrences this many days before the cutoff or fewer count.
    public var windowDays: Int?

    public init(event: String, points: Double, per: Per = .occurrence, cap: Double? = nil, windowDays: Int? = nil) {
        self.event = event
        self.points = points
        self.per = per
        self.cap = cap
        self.windowDays = windowDays
    }

    /// The window in seconds, back from a lead's cutoff; `Int64.max` for all time.
    var windowSeconds: Int64 { windowDays.map { Int64($0) * 86_400 } ?? Int64.max }

    /// The signal whose multiple the rule's points are: occurrences (capped), or 1 when it happened at all.
    public func signal(count: Double) -> Double {
        switch per {
        case .once: return count > 0 ? 1 : 0
        case .occurrence:
            guard let cap, points != 0 else { return count }
            return min(count, cap / abs(points))
        }
    }

    /// How the rule reads in a report: `demo_request, last 90 days (per occurrence, cap 50)`.
    public var label: String {
        var text = event
        if let windowDays { text += ", last \(windowDays) days" }
        var terms = [per == .once ? "once" : "per occurrence"]
        if let cap { terms.append("cap \(PointsFormat.points(cap))") }
        return text + " (" + terms.joined(separator: ", ") + ")"
    }
}

extension EventRule {
    private enum CodingKeys: String, CodingKey, CaseIterable { case event, points, per, cap, windowDays }

    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownKeys(decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        event = try c.decode(String.self, forKey: .event)
        points = try c.decode(Double.self, forKey: .points)
        per = try c.value(.per, or: .occurrence)
        cap = try c.decodeIfPresent(Double.self, forKey: .cap)
        windowDays = try c.decodeIfPresent(Int.self, forKey: .windowDays)
    }
}
