/// How scored leads are written: CSV with a header row, or JSON Lines (one object per lead), both streamable.
public enum ScoredLeadFormat: String, Sendable, CaseIterable {
    case csv, json
}
