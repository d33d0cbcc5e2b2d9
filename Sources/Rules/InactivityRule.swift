import LeadData

/// Points for a lead gone quiet: `{"days": 30, "points": -5}` when its last event (or, with none, its creation)
/// is 30 days or more before the cutoff. In table mode `column` names the column of days since last activity.
public struct InactivityRule: Codable, Sendable, Equatable {
    public var days: Int
    public var points: Double
    /// Table mode: the column that holds days since the last activity.
    public var column: String?

    public init(days: Int, points: Double, column: String? = nil) {
        self.days = days
        self.points = points
        self.column = column
    }

    /// How the rule reads in a report.
    public var label: String { "inactive \(days)+ days" }

    /// The rule's signal in history mode: 1 when the lead has been quiet for `days` or more at its cutoff, counting
    /// from its most recent event before the cutoff (`lastEventAge` seconds back, `Int64.max` for none) or, with
    /// none, from its creation; else 0. Times in seconds.
    func signal(lastEventAge: Int64, cutoff: Int64, createdAt: Int64) -> Double {
        let quiet = lastEventAge != .max ? lastEventAge : cutoff - createdAt
        return quiet >= Int64(days) * 86_400 ? 1 : 0
    }
}

extension InactivityRule {
    private enum CodingKeys: String, CodingKey, CaseIterable { case days, points, column }

    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownKeys(decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        days = try c.decode(Int.self, forKey: .days)
        points = try c.decode(Double.self, forKey: .points)
        column = try c.decodeIfPresent(String.self, forKey: .column)
    }
}
