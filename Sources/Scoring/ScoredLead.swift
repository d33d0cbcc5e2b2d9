/// One lead as the model rates it: its id, probability of conversion, score 0-100 (see ``ScoreScale``), band (see
/// ``ModelBands``), when asked the reasons that raise and lower it most, and with a rules file the rules' view of it.
public struct ScoredLead: Sendable, Equatable {
    /// The lead's id: `contact_id` in history mode, the model's id column in table mode, else its 1-based row number.
    public var id: String
    public var probability: Double
    public var score: Int
    public var band: String
    /// The reasons that raise the lead's log-odds most, largest first; empty unless reasons were asked for.
    public var reasonsUp: [LeadReason]
    /// The reasons that lower it most, most negative first; empty unless reasons were asked for.
    public var reasonsDown: [LeadReason]
    /// The lead's points by a rules file, scored as of the same moment as the model's features; nil without rules.
    public var rulePoints: Double?
    /// The rules band of those points; nil without rules.
    public var ruleBand: String?
    /// What about the lead's data the model could only handle by approximation (a number far outside the training
    /// range, scored at its edge); empty for most leads.
    public var warnings: [String] = []

    public init(id: String, probability: Double, score: Int, band: String, reasonsUp: [LeadReason] = [], reasonsDown: [LeadReason] = [],
                rulePoints: Double? = nil, ruleBand: String? = nil) {
        self.id = id
        self.probability = probability
        self.score = score
        self.band = band
        self.reasonsUp = reasonsUp
        self.reasonsDown = reasonsDown
        self.rulePoints = rulePoints
        self.ruleBand = ruleBand
    }

    /// The first number of the lead that is NaN or infinite, by its JSON path (`probability`,
    /// `reasons_up[0].contribution`), or nil: such a lead must never be written, since no format has a place for it.
    public var nonFiniteField: String? {
        if !probability.isFinite { return "probability" }
        if let points = rulePoints, !points.isFinite { return "rule_points" }
        for (key, list) in [("reasons_up", reasonsUp), ("reasons_down", reasonsDown)] {
            if let k = list.firstIndex(where: { !$0.contribution.isFinite }) { return "\(key)[\(k)].contribution" }
        }
        return nil
    }
}
