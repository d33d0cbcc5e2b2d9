import Evaluation
import Foundation

/// `compare --report DIR`: a Markdown page whose first lines give the verdict, with three SVG charts (ROC, gains,
/// calibration) beside it. Everything is returned as text; the caller writes the files.
public struct ComparisonMarkdown: Sendable {
    public let report: ComparisonReport
    /// Lines about the inputs (files, model), shown under the verdict.
    public let provenance: [String]

    public init(report: ComparisonReport, provenance: [String]) {
        self.report = report
        self.provenance = provenance
    }

    /// File name to contents: `report.md`, `roc.svg`, `gains.svg`, `calibration.svg`.
    public func files() -> [(name: String, contents: String)] {
        let c = report.comparison
        let scorers = [c.model] + (c.rules.map { [$0] } ?? []) + c.otherRules
        let roc = ComparisonCharts.roc(series: scorers.map { s in
            (name: s.name, points: s.roc.points.map { (x: $0.falsePositiveRate, y: $0.truePositiveRate) }, auc: s.auc)
        })
        let gains = ComparisonCharts.gains(series: scorers.map { s in
            (name: s.name, points: [(x: 0.0, y: 0.0)] + s.gains.rows.map { (x: $0.toShare, y: $0.cumulativeShareOfConversions) })
        }, baseRate: c.baseRate)
        let calibration = ComparisonCharts.calibration(series: scorers.compactMap { s in
            s.calibration.map { table in (name: s.name, points: table.bins.map { (x: $0.meanPredicted, y: $0.observedRate, count: $0.count) }) }
        })
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
        out.append("Leads grouped into ten bins by predicted probability: the mean prediction (right) against the share that converted (up). On the diagonal, a predicted 20% means 20%. Rule points are turned into probabilities by a logistic calibration fitted on training leads.")
        out.append("")
        out.append("## All figures")
        out.append("")
        out.append("```")
        out.append(report.text(detail: true).trimmingCharacters(in: .newlines))
        out.append("```")
        return out.joined(separator: "\n") + "\n"
    }
}
