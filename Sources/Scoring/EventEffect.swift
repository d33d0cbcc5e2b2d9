/// What one more event of a type, just now, does to a model's leads: the type's effect, and how often one more of
/// it would move an open lead the other way (`leadscore explain` shows it; "more of a good thing never hurts").
public struct EventEffect: Codable, Sendable, Equatable {
    /// The event type (or `rare events`, the pooled group).
    public var event: String
    /// Log-odds between the average training lead that had the type and the average one that never did, through the
    /// type's own features (its counts, days since last and "never seen"), in the model.
    public var effect: Double
    /// Its 95% interval (from the inverse Hessian), when the Hessian could be inverted.
    public var low: Double?
    public var high: Double?
    /// `raises` or `lowers`: the sign of the type's effect in a first, unconstrained fit (zero counts as raising).
    public var direction: String
    /// Whether that first fit's 95% interval excludes zero.
    public var clear: Bool
    /// Whether the trainer held the type's features, and the overall activity features, to ``direction``.
    public var signConstrained: Bool
    /// Open leads (undecided contacts, as of the end of the data) the check ran on: all of them up to 10,000 (by
    /// default), else an evenly spaced sample of 10,000.
    public var openLeads: Int
    /// Open leads in the training data.
    public var openLeadsInData: Int
    /// How many of them one more event of the type, just now, would move against ``direction`` (by more than 1e-9
    /// log-odds): zero for every constrained type.
    public var movedAgainst: Int

    public init(event: String, effect: Double, low: Double?, high: Double?, direction: String, clear: Bool, signConstrained: Bool,
                openLeads: Int, openLeadsInData: Int, movedAgainst: Int) {
        self.clear = clear
        self.openLeadsInData = openLeadsInData
        self.event = event
        self.effect = effect
        self.low = low
        self.high = high
        self.direction = direction
        self.signConstrained = signConstrained
        self.openLeads = openLeads
        self.movedAgainst = movedAgainst
    }
}
