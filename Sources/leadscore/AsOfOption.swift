import ArgumentParser
import LeadData

/// The `--as-of` moment several commands take (`score`, `train`, `retrain`, `monitor`), read and checked one way.
enum AsOfOption {
    /// Refuses an `--as-of` that is not an ISO 8601 time, as a usage error.
    static func validate(_ text: String?) throws {
        if let text, Timestamp.parse(text) == nil {
            throw ValidationError("--as-of takes an ISO 8601 time such as 2026-07-01 or 2026-07-01T12:00:00Z, not \(Echo.quoted(text))")
        }
    }
}
