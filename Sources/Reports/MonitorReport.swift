public import Foundation
import LeadData
public import Workflows

/// What `monitor` prints and writes: the verdict and its first reason on the first line, then the score, the columns
/// that moved most, the leads decided since training, and every reason; as JSON; or as Markdown with SVG charts.
public struct MonitorReport: Sendable {
    public var report: Monitoring.Report
    /// Columns listed in text (the rest are summarised); JSON and Markdown list all.
    public var shownColumns = 12

    public init(report: Monitoring.Report) {
        self.report = report
    }

    public var line: String {
        guard let first = report.reasons.first else {
            let moved = "ok: nothing moved beyond PSI \(NumberFormat.fixed(report.thresholds[0], 2))"
            guard let decided = report.decided, decided.auc != nil else { return moved }
            return moved + " and the model holds on the \(NumberFormat.count(decided.leads)) leads decided since training"
        }
        return first
    }

    public func text(notes: Bool = true) -> String {
        let r = report
        var out = line + "\n"
        out += "  as of       \(r.asOf): \(NumberFormat.count(r.openLeads)) open leads; the model's data end \(r.trainedTo)\n"
        out += "  reference   \(r.referencePopulation)\n"
        out += "  score       PSI \(psi(r.score.psi)) (\(r.score.level.rawValue)); the average log-odds moved \(NumberFormat.signed(r.logOddsShift, 2))\n"
        var table = TextTable(headers: ["column", "PSI", "", "shift"], alignments: [.left, .right, .left, .right])
        for drift in r.features.prefix(shownColumns) {
            table.append([drift.name, psi(drift.psi), drift.level == .ok ? "" : drift.level.rawValue, NumberFormat.signed(drift.shift ?? 0, 2)])
        }
        out += "  columns     largest PSI first; shift: how far the column's change moved the average log-odds\n"
        out += table.render(indent: 4) + "\n"
        if r.features.count > shownColumns {
            out += "    ... and \(r.features.count - shownColumns) more, none above PSI \(psi(r.features[shownColumns].psi)) (--format json lists all)\n"
        }
        if let rules = r.rules {
            let worst = rules.max { $0.psi < $1.psi }
            out += "  rules       \(rules.count - 1) signals and the points; largest PSI \(worst.map { "\(psi($0.psi)) (\($0.name))" } ?? "-")\n"
        }
        if let decided = r.decided {
            var auc = "too few wins or losses for a ROC AUC"
            if let value = decided.auc, let low = decided.aucLow, let high = decided.aucHigh {
                auc = "ROC AUC \(NumberFormat.fixed(value, 3)) (95% \(NumberFormat.fixed(low, 3)) to \(NumberFormat.fixed(high, 3)))"
                if let holdout = decided.holdoutAuc { auc += ", holdout at training \(NumberFormat.fixed(holdout, 3))" }
            }
            out += "  decided     \(NumberFormat.count(decided.leads)) leads decided since training, \(NumberFormat.count(decided.won)) won: \(auc)\n"
            var bands = TextTable(headers: ["band", "leads", "won", "predicted", "observed (95%)", ""], alignments: [.left, .right, .right, .right, .right, .left])
            for band in decided.bands {
                bands.append([band.band, NumberFormat.count(band.leads), NumberFormat.count(band.won), NumberFormat.fixed(band.predicted, 3),
                              "\(NumberFormat.fixed(band.observed, 3)) (\(NumberFormat.fixed(band.observedLow, 3))-\(NumberFormat.fixed(band.observedHigh, 3)))",
                              band.off ? "off" : ""])
            }
            if !decided.bands.isEmpty { out += bands.render(indent: 4) + "\n" }
        }
        if !r.reasons.isEmpty {
            out += "  reasons\n" + r.reasons.map { "    \($0)\n" }.joined()
        }
        if notes { for note in r.notes { out += "  note: \(note)\n" } }
        return out
    }

    public func json() throws -> Data {
        try DeterministicJSON.encode(report)
    }

    /// `monitor.md`, `score.svg` and, with decided leads, `calibration.svg`.
    public func files() -> [(name: String, contents: String)] {
        let r = report
        var md = "# Monitoring: \(r.verdict.rawValue)\n\n"
        md += "As of \(r.asOf), \(NumberFormat.count(r.openLeads)) open leads, against \(r.referencePopulation). "
        md += "PSI below \(NumberFormat.fixed(r.thresholds[0], 2)) is no real change, up to \(NumberFormat.fixed(r.thresholds[1], 2)) worth a look (`warn`), above it a change to act on (`alert`).\n\n"
        if r.reasons.isEmpty { md += "Nothing to report.\n\n" } else { md += r.reasons.map { "- \($0)\n" }.joined() + "\n" }
        md += "## The score\n\nPSI \(psi(r.score.psi)); the open leads' average log-odds moved \(NumberFormat.signed(r.logOddsShift, 2)) since training.\n\n![The probability's distribution](score.svg)\n\n"
        md += "## Columns\n\nLargest PSI first. Shift: how far the column's change moved the average log-odds (the characteristic analysis).\n\n"
        md += "| column | PSI | level | shift |\n|---|---:|---|---:|\n"
        for drift in r.features {
            md += "| \(Self.cell(drift.name)) | \(psi(drift.psi)) | \(drift.level.rawValue) | \(NumberFormat.signed(drift.shift ?? 0, 2)) |\n"
        }
        if let rules = r.rules {
            md += "\n## The rules' signals\n\n| signal | PSI | level |\n|---|---:|---|\n"
            for drift in rules { md += "| \(Self.cell(drift.name)) | \(psi(drift.psi)) | \(drift.level.rawValue) |\n" }
        }
        var files: [(String, String)] = [("score.svg", scoreChart().svg())]
        if let decided = r.decided {
            md += "\n## Leads decided since training\n\n\(NumberFormat.count(decided.leads)) leads, \(NumberFormat.count(decided.won)) won."
            if let auc = decided.auc, let low = decided.aucLow, let high = decided.aucHigh {
                md += " ROC AUC \(NumberFormat.fixed(auc, 3)) (95% \(NumberFormat.fixed(low, 3)) to \(NumberFormat.fixed(high, 3)))"
                md += decided.holdoutAuc.map { ", against \(NumberFormat.fixed($0, 3)) on the holdout at training." } ?? "."
            }
            md += "\n\n| band | leads | won | predicted | observed | 95% interval |\n|---|---:|---:|---:|---:|---|\n"
            for band in decided.bands {
                md += "| \(Self.cell(band.band)) | \(band.leads) | \(band.won) | \(NumberFormat.fixed(band.predicted, 3)) | \(NumberFormat.fixed(band.observed, 3)) | \(NumberFormat.fixed(band.observedLow, 3)) to \(NumberFormat.fixed(band.observedHigh, 3))\(band.off ? " (off)" : "") |\n"
            }
            md += "\n![Calibration by band](calibration.svg)\n"
            files.append(("calibration.svg", calibrationChart(decided).svg()))
        }
        return [("monitor.md", md)] + files
    }

    /// The probability's bins: the share of leads in each, at training and now.
    func scoreChart() -> LineChart {
        let s = report.score
        let top = max(s.reference.max() ?? 0, s.current.max() ?? 0)
        func series(_ name: String, _ shares: [Double], _ line: ChartSeries.LineStyle) -> ChartSeries {
            ChartSeries(name: name, points: shares.enumerated().map { ChartPoint(x: Double($0 + 1), y: $1, label: "\(s.bins[$0]): \(NumberFormat.fixed($1 * 100, 1))%") },
                        line: line, markers: true)
        }
        return LineChart(title: "The probability, at training and now (PSI \(psi(s.psi)))",
                         subtitle: "Share of open leads per bin; the bins are the deciles of the probability at training",
                         xAxis: ChartAxis(label: "bin of the probability (1 = least likely to convert)", range: 0.5...(Double(s.bins.count) + 0.5),
                                          ticks: (1...max(s.bins.count, 1)).map(Double.init), format: .number),
                         yAxis: ChartAxis(label: "share of open leads", range: 0...max(0.2, (top * 1.2 * 20).rounded(.up) / 20)),
                         series: [series("now (\(report.asOf.prefix(10)))", s.current, .solid), series("at training", s.reference, .dashed)],
                         legendPosition: .topLeft)
    }

    /// Predicted against observed per band, with the observed rate's interval.
    func calibrationChart(_ decided: Monitoring.Decided) -> LineChart {
        let top = max(decided.bands.map { max($0.predicted, $0.observedHigh) }.max() ?? 0, 0.01)
        let points = decided.bands.map { band in
            ChartPoint(x: band.predicted, y: band.observed, weight: Double(band.leads), yInterval: band.observedLow...band.observedHigh,
                       label: "\(band.band): predicted \(NumberFormat.fixed(band.predicted, 3)), observed \(NumberFormat.fixed(band.observed, 3)) of \(band.leads)")
        }
        let range = 0...min(1, (top * 1.1 * 20).rounded(.up) / 20)
        return LineChart(title: "Calibration by band, leads decided since training",
                         subtitle: "Observed conversion rate against the model's mean probability, per band, with 95% intervals",
                         xAxis: ChartAxis(label: "predicted", range: range), yAxis: ChartAxis(label: "observed", range: range),
                         series: [ChartSeries(name: "bands", points: points, markers: true)],
                         referenceLines: [ChartReferenceLine(from: ChartPoint(x: 0, y: 0), to: ChartPoint(x: range.upperBound, y: range.upperBound))],
                         legendPosition: .topLeft, note: "Marker area is proportional to the band's leads.")
    }

    private func psi(_ x: Double) -> String { NumberFormat.fixed(x, 2) }

    /// Text for a Markdown table cell: pipes escaped, one line.
    static func cell(_ text: String) -> String {
        Echo.line(text).replacingOccurrences(of: "|", with: "\\|")
    }
}
