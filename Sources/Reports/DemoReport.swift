import Foundation
import LeadData
import Rules
import Scoring
public import Workflows

/// What `leadscore demo` prints: the verdict against the rules, where the data disagree with the points, and the
/// open leads to call first, with their reasons.
public struct DemoReport: Sendable {
    public let result: DemoRun.Result
    public let run: DemoRun
    /// The command that trains the shipped model, to show where it comes from.
    public let trainCommand: String

    public init(result: DemoRun.Result, run: DemoRun, trainCommand: String) {
        self.result = result
        self.run = run
        self.trainCommand = trainCommand
    }

    public func text() -> String {
        let r = result, model = r.model, data = model.trainingData
        var out: [String] = []
        out.append("leadscore demo: \(run.data), \(NumberFormat.count(data.rows)) decided contacts (\(NumberFormat.count(data.positives)) won) and their events")
        if r.trained {
            out.append("Model: trained just now (\(r.loadNote ?? "--retrain")); it is what this command writes:")
        } else {
            out.append("Model: \(run.modelPath), written by this command (`leadscore demo --retrain` trains it afresh):")
        }
        out.append("  " + trainCommand.replacingOccurrences(of: " --outcomes", with: " \\\n    --outcomes").replacingOccurrences(of: " --rules", with: " \\\n    --rules"))
        out.append("")
        if let holdout = model.holdout {
            let report = ComparisonReport(comparison: holdout.comparison, subject: "the holdout")
            out.append("1. Does the model rank leads better than the \(r.rules.name ?? "rules") points?")
            out.append("   Measured on the holdout, \(holdout.rule), which the first fit never saw:")
            out.append("")
            out.append(Self.indent(Self.wrap(report.verdict, width: 100), by: 2))
            out.append(Self.indent(Self.wrap(report.capacitySentence, width: 100), by: 2))
            out.append("")
        }
        out.append("2. What each rule is worth by the data, on the rules' own points scale (the largest gaps first):")
        out.append("")
        var gaps = TextTable(headers: ["rule", "rules say", "data say", "95% CI"], alignments: [.left, .right, .right, .right])
        for row in r.agreement.rows where row.kind == "rule" {
            gaps.append([row.signal, row.rulePoints.map { PointsFormat.signed($0) } ?? "-",
                         row.dataPoints.map { NumberFormat.signed($0, 1) } ?? "no feature",
                         row.dataPointsLower.flatMap { low in row.dataPointsUpper.map { "\(NumberFormat.signed(low, 1))..\(NumberFormat.signed($0, 1))" } } ?? "-"])
        }
        out.append(gaps.render())
        out.append(Self.indent(Self.wrap(r.agreement.scaleNote, width: 100), by: 2))
        let missed = r.agreement.rows.filter { row in
            row.kind == "feature" && (row.dataPointsLower.map { $0 > 0 } ?? false || row.dataPointsUpper.map { $0 < 0 } ?? false)
        }
        if !missed.isEmpty {
            out.append(Self.indent(Self.wrap("signals no rule covers, strongest first: " + missed.prefix(4).map { row in
                "\(row.signal) (\(NumberFormat.signed(row.weightPerStandardDeviation ?? 0, 2)) log-odds per sd)"
            }.joined(separator: "; "), width: 100), by: 2))
        }
        out.append("")
        let asOf = r.asOf.iso8601
        out.append("3. Who to call first: \(NumberFormat.count(r.openLeads)) open leads (no outcome yet), scored as of \(asOf)")
        out.append("   model bands: " + r.modelBands.map { "\($0.band) \(NumberFormat.count($0.leads))" }.joined(separator: ", "))
        out.append("   rules bands: " + r.ruleBands.map { "\($0.band) \(NumberFormat.count($0.leads))" }.joined(separator: ", "))
        let top = r.topBandOverlap
        out.append("   \(NumberFormat.count(top.both)) leads are in the top band of both; \(NumberFormat.count(top.model - top.both)) only by the model, \(NumberFormat.count(top.rules - top.both)) only by the rules")
        out.append("")
        var table = TextTable(headers: ["#", "contact_id", "probability", "score", "band", "rule points", "rules band"],
                              alignments: [.right, .left, .right, .right, .left, .right, .left])
        for (k, lead) in r.top.enumerated() {
            table.append(["\(k + 1)", lead.lead.id, NumberFormat.fixed(lead.lead.probability, 3), "\(lead.lead.score)", lead.lead.band,
                          PointsFormat.points(lead.rulePoints), lead.ruleBand])
        }
        out.append(table.render())
        out.append("")
        out.append("   Why the top \(min(3, r.top.count)) score as they do (log-odds against the average lead):")
        for lead in r.top.prefix(3) {
            out.append("   \(lead.lead.id):")
            for reason in lead.lead.reasonsUp { out.append("     + \(reason)") }
            for reason in lead.lead.reasonsDown { out.append("     - \(reason)") }
        }
        out.append("")
        out.append("Next:")
        out.append("  leadscore compare --model \(run.modelPath) --rules \(run.rulesPath) --contacts ... --events ... --outcomes ... --report report/")
        out.append("  leadscore explain --model \(run.modelPath) --versus-rules --write-rules refitted.json")
        out.append("  leadscore score --model \(run.modelPath) --contacts ... --events ... --as-of \(r.asOf.iso8601) --explain 3 --rules \(run.rulesPath) --out scores.csv")
        out.append("  leadscore serve --model \(run.modelPath) --rules \(run.rulesPath) --contacts \(run.data)/contacts.csv --events \(run.data)/events.csv --outcomes \(run.data)/outcomes.csv --as-of \(r.asOf.iso8601)")
        out.append("    then open http://127.0.0.1:8080/ for the model card, a form to score a lead, and these open leads ranked")
        out.append("  notebooks-txt/ walks through each step; README.md has the formats.")
        return out.joined(separator: "\n") + "\n"
    }

    static func indent(_ text: String, by spaces: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { String(repeating: " ", count: spaces) + $0 }.joined(separator: "\n")
    }

    /// Greedy word wrap.
    static func wrap(_ text: String, width: Int) -> String {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
