public import Training

/// The cross-validation curve of `--l2 auto`: held-out log loss per penalty, the chosen one marked.
public struct PenaltySearchReport: Sendable {
    public let path: RegularizationPath

    public init(path: RegularizationPath) { self.path = path }

    public func text() -> String {
        var table = TextTable(headers: ["lambda", "held-out log loss", "std err", ""], alignments: [.right, .right, .right, .left])
        for point in path.points {
            table.append([NumberFormat.general(point.l2, 4),
                          point.logLoss.map { NumberFormat.fixed($0, 5) } ?? "failed",
                          point.standardError.map { NumberFormat.fixed($0, 5) } ?? "-",
                          point.l2 == path.chosen ? "<- chosen" : ""])
        }
        return "Penalty chosen by \(path.folds)-fold stratified cross-validation (seed \(path.seed)), lowest held-out log loss:\n" + table.render()
    }
}
