/// Which values a weight may take: the sign constraints of a constrained fit.
///
/// Used to make a model's answer to "one more event of this type" point one way for every lead: the features an event
/// type moves together (its counts, its recency, its "never seen" flag) get signs that agree with the type's effect.
public enum WeightSign: Sendable, Equatable {
    /// Any value.
    case free
    /// Zero or more.
    case nonNegative
    /// Zero or less.
    case nonPositive
    /// Exactly zero: two constraints that disagree.
    case zero

    /// Both constraints at once: `free` adds nothing, opposite signs leave only zero.
    public func and(_ other: WeightSign) -> WeightSign {
        switch (self, other) {
        case (.free, _): other
        case (_, .free): self
        case _ where self == other: self
        default: .zero
        }
    }

    /// The nearest allowed value to `w`.
    func projected(_ w: Double) -> Double {
        switch self {
        case .free: w
        case .nonNegative: max(0, w)
        case .nonPositive: min(0, w)
        case .zero: 0
        }
    }

    /// Whether `w` is allowed.
    public func allows(_ w: Double) -> Bool {
        projected(w) == w
    }
}
