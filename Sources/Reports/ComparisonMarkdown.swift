import Evaluation
import Foundation

/// `compare --report DIR`: a Markdown page whose first lines give the verdict, with three SVG charts (ROC, gains,
/// calibration) beside it. Everything is returned as text; the caller writes the files.
///
/// A report measured on the leads the model was trained on says so on every chart, under its subtitle
/// (`trainingLeadsCaveat`), and not only in report.md: a chart is copied into slides and e-mails on its own, and the
/// figures it shows are optimistic.
public struct ComparisonMarkdown: Sendable {
    public let report: ComparisonReport
    /// Lines about the inputs (files, model), shown under the verdict.
    public let provenance: [String]
    /// Whether the leads measured are the ones the model was trained on.
    public let onTrainingLeads: Bool

    /// The line every chart of a report on the training leads carries.
    public static let trainingLeadsCaveat = "Measured on the model's training leads: optimistic; the holdout is the honest test."

    public init(report: ComparisonReport, provenance: [String], onTrainingLeads: Bool = false) {
        self.report = report
        self.provenance = provenance
        self.onTrainingLeads = onTrainingLeads
    }

    /// File name to contents: `report.md`, `roc.svg`, `gains.svg`, `calibration.svg`.
    public func files() -> [(name: String, contents: String)] {
        let c = report.comparison
        let scorers = [c.model] + (c.rules.map { [$0] } ?? []) + c.otherRules
        let caveat = onTrainingLeads ? Self.trainingLeadsCaveat : nil
        let roc = ComparisonCharts.roc(series: scorers.map { s in
            (name: s.name, points: s.roc.points.map { (x: $0.falsePositiveRate, y: $0.truePositiveRate) }, auc: s.auc)
        }, caveat: caveat)
        let gains = ComparisonCharts.gains(series: scorers.map { s in
            (name: s.name, points: [(x: 0.0, y: 0.0)] + s.gains.rows.map { (x: $0.toShare, y: $0.cumulativeShareOfConversions) })
        }, baseRate: c.baseRate, caveat: caveat)
        let calibration = ComparisonCharts.calibration(series: scorers.compactMap { s in
            s.calibration.map { table in
                (name: s.name, bins: table.bins.map { (predicted: $0.meanPredicted, leads: $0.count, conversions: $0.conversions) })
            }
        }, caveat: caveat)
        return [("report.md", markdown()), ("roc.svg", roc.svg()), ("gains.svg", gains.svg()), ("calibration.svg", calibration.svg())]
    }

    func markdown() -> String {
        let c = report.comparison
        var out: [String] = []
        out.append("# Model versus rules")
        out.append("")
        out.append("**\(report.verdict)**")
        out.append("")
        out.append(report.capacitySentence)
        out.append("")
        out += provenance.map { "- \($0)" }
        out.append("- \(NumberFormat.count(c.leads)) leads, \(NumberFormat.count(c.conversions)) converted (\(NumberFormat.fixed(100 * c.baseRate, 1))%).")
        out.append("")
        out.append("## Ranking: ROC curves")
        out.append("")
        out.append("![ROC curves of the model and the rules](roc.svg)")
        out.append("")
        out.append("Each curve shows the share of conversions found (up) against the share of non-converting leads flagged (right) as the threshold falls; higher and further left is better. The area under it (ROC AUC) is the chance that a random converting lead scores above a random non-converting one.")
        out.append("")
        out.append("## Sales capacity: cumulative gains")
        out.append("")
        out.append("![Cumulative gains of the model and the rules](gains.svg)")
        out.append("")
        out.append("If sales calls the top x% of leads by each score, this is the share of all conversions they reach. The diagonal is calling at random.")
        out.append("")
        out.append("## Probabilities: calibration")
        out.append("")
        out.append("![Calibration of the model and the rules](calibration.svg)")
        out.append("")
        out.append("Leads grouped into ten bins of about equal size by predicted probability: the mean prediction (right) against the share that converted (up), with its 95% interval. On the diagonal, a predicted 20% means 20%. Both axes are on a log scale, so that the many leads with low probabilities are spread out rather than piled in a corner. Rule points are turned into probabilities by a logistic calibration fitted on training leads.")
        out.append("")
        out.append("## All figures")
        out.append("")
        out.append("```")
        out.append(report.text(detail: true).trimmingCharacters(in: .newlines))
        out.append("```")
        return out.joined(separator: "\n") + "\n"
    }
}
