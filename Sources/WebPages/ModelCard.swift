import Evaluation
import Features
import Foundation
import LeadData
import Reports
public import Rules
public import Scoring

/// The page at `/`: what the served model is and whether to trust it. Training data, the holdout verdict against the
/// rules (intervals, DeLong's p-value), the ROC, gains and calibration charts of that holdout drawn inline, the
/// weights against the rules' points (rules, then event types, then other features), and the points card served
/// beside the model.
///
/// Everything comes from the model file and the rules file, so the card is made once per load (``html``) and a
/// request for `/` only copies it into the page frame.
public struct ModelCard: Sendable {
    public let model: LeadModel
    public let modelName: String
    public let rules: RuleSet?
    /// The rules file's name, for the card's words.
    public let rulesName: String?

    public init(model: LeadModel, modelName: String, rules: RuleSet?, rulesName: String?) {
        self.model = model
        self.modelName = modelName
        self.rules = rules
        self.rulesName = rulesName
    }

    /// The card's content (what goes inside `<main>`).
    public var html: HTML {
        var out: HTML = "<h1>Model \(modelName)</h1>\n"
        out += facts
        out += holdout
        out += weights
        out += pointsCard
        return out
    }

    // MARK: - Training data

    private var facts: HTML {
        let data = model.trainingData
        let rate = data.rows > 0 ? Double(data.positives) / Double(data.rows) : .nan
        var items: [HTML] = [
            "<li>Trained on<b>\(NumberFormat.count(data.rows)) contacts</b>\(NumberFormat.count(data.positives)) won (\(Self.percent(rate, 1)))</li>",
            "<li>Features<b>\(model.encoding.features.count)</b>from \(data.source)</li>",
        ]
        if let history = model.history {
            items.append("<li>Data up to<b>\(Self.day(history.endOfData))</b>events strictly before each decision</li>")
        }
        if let created = model.createdAt { items.append("<li>Made<b>\(String(created.prefix(10)))</b>\(created)</li>") }
        items.append("<li>Bands<b>\(model.bands.names.count)</b>\(model.bands.description.replacingOccurrences(of: ",", with: ", "))</li>")
        return "<ul class=\"facts\">\(HTML.join(items))</ul>\n"
    }

    // MARK: - Holdout

    private var holdout: HTML {
        guard let h = model.holdout else {
            return "<h2>Holdout</h2>\n<p>This model has no holdout: it was trained without one, so nothing here says how it does on leads it has not seen. Train with a holdout (the default) to get the verdict and the charts.</p>\n"
        }
        let c = h.comparison
        var when = ""
        if let from = h.decidedFrom, let to = h.decidedTo { when = ", decided \(Self.day(from)) to \(Self.day(to))" }
        let subject = "the holdout (\(NumberFormat.count(c.leads)) leads\(when))"
        let report = ComparisonReport(comparison: c, subject: subject)
        var out: HTML = c.rules == nil ? "<h2>Holdout: how the model ranks leads it has not seen</h2>\n" : "<h2>Holdout: the model against the rules</h2>\n"
        out += "<p class=\"verdict\">\(report.verdict)</p>\n"
        out += "<p class=\"muted\">A first fit on \(NumberFormat.count(h.trainingRows)) contacts was measured on \(subject), which it had not seen (\(h.rule)); \(NumberFormat.count(c.conversions)) of them converted (\(Self.percent(c.baseRate, 1))). \(report.capacitySentence)</p>\n"

        let scorers = [c.model] + (c.rules.map { [$0] } ?? []) + c.otherRules
        var rows: [HTML] = []
        for s in scorers {
            let p = s.versusModel.map { NumberFormat.pValue($0.pValue) } ?? "–"
            let difference = s.versusModel.map { "\(NumberFormat.signed($0.difference, 3)) (\(NumberFormat.signed($0.lower, 3)) to \(NumberFormat.signed($0.upper, 3)))" } ?? "–"
            rows.append("""
                <tr><th scope="row">\(s.name)</th><td class="n">\(NumberFormat.fixed(s.auc, 3)) (\(NumberFormat.fixed(s.aucLower, 3))–\(NumberFormat.fixed(s.aucUpper, 3)))</td>\
                <td class="n">\(difference)</td><td class="n">\(p)</td><td class="n">\(NumberFormat.fixed(s.averagePrecision, 3))</td>\
                <td class="n">\(Self.percent(s.capacity.shareOfConversions, 1))</td><td class="n">\(s.logLoss.map { NumberFormat.fixed($0, 4) } ?? "–")</td></tr>

                """)
        }
        out += """
            <div class="scroll" tabindex="0"><table>
            <caption>Ranking on the holdout: ROC AUC with its 95% interval; the model's lead over each rule set, with DeLong's test</caption>
            <thead><tr><th scope="col">scored by</th><th scope="col" class="n">ROC AUC (95% CI)</th><th scope="col" class="n">model minus this (95% CI)</th>\
            <th scope="col" class="n">p</th><th scope="col" class="n">average precision</th>\
            <th scope="col" class="n">conversions in top \(Self.percent(c.capacityFraction, 0))</th><th scope="col" class="n">log loss</th></tr></thead>
            <tbody>
            \(HTML.join(rows))</tbody></table></div>

            """
        out += charts(c, scorers: scorers)
        return out
    }

    private func charts(_ c: Comparison, scorers: [ScorerEvaluation]) -> HTML {
        let roc = ComparisonCharts.roc(series: scorers.map { s in
            (name: s.name, points: s.roc.points.map { (x: $0.falsePositiveRate, y: $0.truePositiveRate) }, auc: s.auc)
        })
        let gains = ComparisonCharts.gains(series: scorers.map { s in
            (name: s.name, points: [(x: 0.0, y: 0.0)] + s.gains.rows.map { (x: $0.toShare, y: $0.cumulativeShareOfConversions) })
        }, baseRate: c.baseRate)
        let calibration = ComparisonCharts.calibration(series: scorers.compactMap { s in
            s.calibration.map { table in
                (name: s.name, bins: table.bins.map { (predicted: $0.meanPredicted, leads: $0.count, conversions: $0.conversions) })
            }
        })
        let figures: [(LineChart, String)] = [
            (roc, "Higher and further left is better: the share of conversions found against the share of other leads flagged."),
            (gains, "Calling the top x% of leads by each score reaches this share of all conversions."),
            (calibration, "Mean predicted probability against the share that converted, ten bins of equal size, with 95% intervals; on the diagonal, 20% means 20%."),
        ]
        let inner = HTML.join(figures.map { chart, caption in
            var chart = chart
            // Drawn on a smaller canvas than the report's 640 x 480 files: scaled to a phone's width (about 360 px) its
            // text stays readable (tick labels about 10 px rather than 7), and two to a row on a desktop it is larger.
            (chart.width, chart.height) = (Self.chartSize.width, Self.chartSize.height)
            return "<figure>\(Self.inline(chart))<figcaption>\(caption)</figcaption></figure>\n"
        })
        return "<h2>Charts of the holdout</h2>\n<div class=\"charts\">\n\(inner)</div>\n"
    }

    /// The canvas of the card's charts, in the SVG's own units (the page scales it to the width it has).
    static let chartSize = (width: 440, height: 380)

    /// A chart's SVG inside the page: without its XML declaration, named for assistive technology by its title.
    static func inline(_ chart: LineChart) -> HTML {
        var svg = chart.svg()
        if svg.hasPrefix("<?xml"), let end = svg.firstIndex(of: "\n") { svg.removeSubrange(svg.startIndex...end) }
        if let open = svg.range(of: "<svg ") {
            svg.replaceSubrange(open, with: "<svg role=\"img\" aria-label=\"\(HTML.escape(chart.title))\" ")
        }
        return HTML(trusted: svg)
    }

    // MARK: - Weights against points

    private var weights: HTML {
        let agreement: RulesAgreement
        do { agreement = try RulesAgreement.make(model: model, rules: rules, rulesPath: rulesName) } catch {
            return "<h2>Weights against points</h2>\n<p>No table of weights against points: \(String(describing: error)).</p>\n"
        }
        let groups: [(kind: String, title: String)] = [
            ("rule", "Rules: what each rule's signal is worth in the data"),
            ("event type", "Event types without a rule: the average lead that had one against one that never did"),
            ("feature", "Other features without a rule: the model's own weight"),
        ]
        var body: [HTML] = []
        for group in groups {
            let rows = agreement.rows.filter { $0.kind == group.kind }
            guard !rows.isEmpty else { continue }
            body.append("<tr class=\"group\"><th scope=\"colgroup\" colspan=\"5\">\(group.title)</th></tr>\n")
            for row in rows {
                let unit = row.unit == "per unit" ? "" : " \(row.unit)"
                let ruleSays = row.rulePoints.map { PointsFormat.signed($0) + unit } ?? "no rule"
                var dataSays = row.note ?? "–"
                if let points = row.dataPoints {
                    dataSays = NumberFormat.signed(points, 1)
                    if let low = row.dataPointsLower, let high = row.dataPointsUpper {
                        dataSays += " (\(NumberFormat.signed(low, 1)) to \(NumberFormat.signed(high, 1)))"
                    }
                }
                let odds = row.oddsRatio.map { r in
                    "×" + NumberFormat.ratio(r) + (row.oddsRatioLower.flatMap { lo in row.oddsRatioUpper.map { hi in " (\(NumberFormat.ratio(lo))–\(NumberFormat.ratio(hi)))" } } ?? "")
                } ?? "–"
                let gap = row.disagreement.map { NumberFormat.signed($0, 1) } ?? "–"
                let tone = (row.dataPoints ?? 0) >= 0 ? "up" : "down"
                body.append("<tr><th scope=\"row\">\(row.signal)</th><td class=\"n\">\(ruleSays)</td><td class=\"n \(tone)\">\(dataSays)</td><td class=\"n\">\(odds)</td><td class=\"n\">\(gap)</td></tr>\n")
            }
        }
        return """
            <h2>Weights against points</h2>
            <p>What the \(agreement.rulesName) rules give each signal, next to what the data say it is worth on the same points scale (\(agreement.scaleNote)). Rows are sorted by how far the two are apart over a typical spread of the signal.</p>
            <div class="scroll" tabindex="0"><table>
            <caption>Points per unit of each signal: the rules' and the data's, with the odds ratio and the gap over one standard deviation</caption>
            <thead><tr><th scope="col">signal</th><th scope="col" class="n">rules say</th><th scope="col" class="n">data say (95% CI)</th><th scope="col" class="n">odds (95% CI)</th><th scope="col" class="n">gap per sd</th></tr></thead>
            <tbody>
            \(HTML.join(body))</tbody></table></div>

            """
    }

    // MARK: - Points card

    private var pointsCard: HTML {
        guard let rules else { return "" }
        var rows: [HTML] = []
        for rule in rules.events { rows.append("<tr><td>\(rule.label)</td><td class=\"n\">\(PointsFormat.signed(rule.points))</td></tr>\n") }
        for rule in rules.profile { rows.append("<tr><td>\(rule.label)</td><td class=\"n\">\(PointsFormat.signed(rule.points))</td></tr>\n") }
        if let inactivity = rules.inactivity {
            rows.append("<tr><td>no activity for \(inactivity.days) days</td><td class=\"n\">\(PointsFormat.signed(inactivity.points))</td></tr>\n")
        }
        let bands = rules.bands.map { band in
            band.minPoints.map { "\(band.name) from \(PointsFormat.points($0))" } ?? "\(band.name) below"
        }.joined(separator: ", ")
        let name = rules.name ?? rulesName ?? "rules"
        return """
            <h2>Points card: \(name)</h2>
            <p>The points served beside the model: each lead's rule points and rule band come from them. Bands: \(bands).</p>
            <div class="scroll"><table>
            <caption>Points per signal, as a marketing tool takes them</caption>
            <thead><tr><th scope="col">signal</th><th scope="col" class="n">points</th></tr></thead>
            <tbody>
            \(HTML.join(rows))</tbody></table></div>

            """
    }

    // MARK: - Formatting

    static func percent(_ share: Double, _ digits: Int) -> String {
        share.isFinite ? NumberFormat.fixed(100 * share, digits) + "%" : "–"
    }

    /// A probability in per cent with one decimal, never rounded to a certainty: above 99.9% is "> 99.9%", below
    /// 0.1% (but not 0) "< 0.1%".
    static func probability(_ p: Double) -> String {
        if p > 0.999 && p < 1 { return "> 99.9%" }
        if p < 0.001 && p > 0 { return "< 0.1%" }
        return percent(p, 1)
    }

    /// A day as `2026-06-20`, in UTC.
    static func day(_ time: Timestamp) -> String { String(time.iso8601.prefix(10)) }
}
