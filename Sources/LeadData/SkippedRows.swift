/// Rows skipped under `--skip-bad-rows`, counted per file and reason, with the first example of each, so
/// that a run that goes on despite bad input still says what it left out.
public struct SkippedRows: Sendable, Equatable, CustomStringConvertible {
    /// Rows skipped per `"file: reason"`, e.g. `"events.csv: unknown contact id"`.
    public private(set) var counts: [String: Int] = [:]
    /// The first skipped row of each key in ``counts``, as its full error: `events.csv:17: unknown contact_id "C999" (...)`.
    public private(set) var firstExamples: [String: String] = [:]

    public init() {}

    /// The number of rows skipped, over all files and reasons.
    public var total: Int {
        counts.values.reduce(0, +)
    }

    /// Whether no row was skipped.
    public var isEmpty: Bool {
        counts.isEmpty
    }

    /// Counts one skipped row; `reason` is the short name it is grouped under ("bad timestamp").
    public mutating func record(_ error: InputError, reason: String) {
        let key = "\(error.file): \(reason)"
        counts[key, default: 0] += 1
        if firstExamples[key] == nil {
            firstExamples[key] = error.description
        }
    }

    /// The number of rows skipped from `file` (as the readers name it), over all reasons.
    public func count(inFile file: String) -> Int {
        counts.reduce(0) { $1.key.hasPrefix(file + ": ") ? $0 + $1.value : $0 }
    }

    /// The reasons rows of `file` were skipped for, with their counts and first examples, most frequent first.
    public func reasons(inFile file: String) -> [(reason: String, count: Int, example: String)] {
        counts.filter { $0.key.hasPrefix(file + ": ") }
            .map { (reason: String($0.key.dropFirst(file.count + 2)), count: $0.value, example: firstExamples[$0.key]!) }
            .sorted { ($0.count, $1.reason) > ($1.count, $0.reason) }
    }

    /// One line per file and reason, sorted: `events.csv: unknown contact id: 3 rows (first: events.csv:17: ...)`.
    public var lines: [String] {
        counts.keys.sorted().map { key in
            let count = counts[key]!
            return "\(key): \(count) \(count == 1 ? "row" : "rows") (first: \(firstExamples[key]!))"
        }
    }

    /// ``lines``, one per line; empty when nothing was skipped.
    public var description: String {
        lines.joined(separator: "\n")
    }
}
