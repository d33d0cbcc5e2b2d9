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
}
