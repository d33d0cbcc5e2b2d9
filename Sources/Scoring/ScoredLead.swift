/// One lead as the model rates it: its id, probability of conversion, score 0-100 (see ``ScoreScale``), band (see
/// ``ModelBands``) and, when asked, the reasons that raise and lower it most.
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
    // Rules: the rules engineer adds the lead's rule points and rules band here (and a column each in
    // ScoredLeadFormatter), filled by the workflows when a rules file is given.

    public init(id: String, probability: Double, score: Int, band: String, reasonsUp: [LeadReason] = [], reasonsDown: [LeadReason] = []) {
        self.id = id
        self.probability = probability
        self.score = score
        self.band = band
        self.reasonsUp = reasonsUp
        self.reasonsDown = reasonsDown
    }
}
