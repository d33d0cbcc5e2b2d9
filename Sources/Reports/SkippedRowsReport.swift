public import LeadData

/// What `--skip-bad-rows` left out: a count per file and reason, with the first example of each.
public struct SkippedRowsReport: Sendable {
    public let skipped: SkippedRows

    public init(skipped: SkippedRows) { self.skipped = skipped }

    public func text() -> String {
        guard !skipped.isEmpty else { return "" }
        var lines = ["Skipped \(skipped.total) bad row\(skipped.total == 1 ? "" : "s") (--skip-bad-rows):"]
        for key in skipped.counts.keys.sorted() {
            lines.append("  \(key): \(skipped.counts[key]!)  (first: \(skipped.firstExamples[key] ?? "-"))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
