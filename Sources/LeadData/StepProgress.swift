import Foundation

/// How far a long step has come, for a progress line: units done of a total (unknown for a pipe).
public struct StepProgress: Sendable, Equatable {
    /// What is being done, in a few words: `reading events.csv`.
    public var step: String
    public var done: Int64
    public var total: Int64?
    public var unit: Unit

    public enum Unit: Sendable, Equatable {
        case bytes, rows, fits
    }

    public init(step: String, done: Int64, total: Int64?, unit: Unit) {
        self.step = step
        self.done = done
        self.total = total
        self.unit = unit
    }

    /// The size of the regular file at `path`; nil for a pipe or anything that cannot be measured.
    public static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }
}

/// Where a workflow reports how far it has come; called often, from the working thread.
public typealias ProgressReport = @Sendable (StepProgress) -> Void
