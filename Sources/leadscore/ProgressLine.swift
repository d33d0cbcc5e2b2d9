import Foundation
import LeadData

/// A progress line on standard error, for steps that take a while: drawn only when standard error is a terminal, only
/// once a step has run two seconds, at most four times a second, with the share done and an estimate of the time
/// left; erased before the command prints its results.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let clock = ContinuousClock()
    private var step = ""
    private var started = ContinuousClock.now
    private var drawn: ContinuousClock.Instant?

    /// A line, or nil when standard error is not a terminal (a log, a pipe, a test).
    static func make() -> ProgressLine? {
        isatty(STDERR_FILENO) == 1 ? ProgressLine() : nil
    }

    /// The report to hand to a workflow.
    var report: ProgressReport {
        { [self] progress in self.update(progress) }
    }

    private func update(_ progress: StepProgress) {
        lock.lock()
        defer { lock.unlock() }
        let now = clock.now
        if progress.step != step {
            step = progress.step
            started = now
        }
        let elapsed = (now - started).seconds
        guard elapsed >= 2, drawn.map({ (now - $0).seconds >= 0.25 }) ?? true else { return }
        drawn = now
        var line = "\(progress.step): \(Self.amount(progress.done, progress.unit))"
        if let total = progress.total, total > 0 {
            let share = min(1, Double(progress.done) / Double(total))
            line += " of \(Self.amount(total, progress.unit)) (\(Int(share * 100))%)"
            if share > 0.01 {
                let left = elapsed * (1 - share) / share
                line += ", about \(Self.duration(left)) left"
            }
        }
        FileHandle.standardError.write(Data("\r\(line)\u{1B}[K".utf8))
    }

    /// Erases the line, if one was drawn.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = nil
    }

    static func amount(_ n: Int64, _ unit: StepProgress.Unit) -> String {
        switch unit {
        case .bytes: n >= 1 << 30 ? String(format: "%.1f GB", Double(n) / Double(1 << 30)) : String(format: "%.0f MB", Double(n) / Double(1 << 20))
        case .rows: "\(n) rows"
        case .fits: "\(n) fits"
        }
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 90 ? "\(Int(seconds.rounded())) s" : "\(Int((seconds / 60).rounded())) min"
    }
}
