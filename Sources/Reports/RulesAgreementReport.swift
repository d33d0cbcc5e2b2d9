public import Foundation
import LeadData
import Rules
public import Scoring

/// "Weights versus points" for people: where the data agree with the rules' points, where they don't, by how much.
public struct RulesAgreementReport: Sendable {
    public let agreement: RulesAgreement
    /// Rows to show; the rest are counted. Rules are always shown.
    public let limit: Int

    public init(agreement: RulesAgreement, limit: Int = 25) {
        self.agreement = agreement
        self.limit = limit
    }

    public func text() -> String {
        var out: [String] = []
        out.append("Weights versus points: the \(agreement.rulesName) rules against what the data say")
        out.append("  rules: the weight is learned on the rule's own signal (a logistic regression on all the rules' signals together), so like is compared with like")
        out.append("  event types without a rule: their effect, the average lead that had the type against one that never did, all its features together; other features without a rule: the model's own weight")
        out.append("  \(agreement.scaleNote)")
        out.append("  sorted by the size of the disagreement over one standard deviation of the signal, in points")
        out.append("")
        var table = TextTable(headers: ["signal", "rules say", "data say (95% CI)", "per unit", "per sd", "odds x (95% CI)", "gap per sd"],
                              alignments: [.left, .right, .right, .right, .right, .right, .right])
        var shown = 0, hidden = 0
        for row in agreement.rows {
            guard row.kind == "rule" || shown < limit else { hidden += 1; continue }
            shown += 1
            let unit = row.unit == "per unit" ? "" : " \(row.unit)"
            let ruleSays = row.rulePoints.map { PointsFormat.signed($0) + unit } ?? "no rule"
            var dataSays = "no feature for this rule"
            if let points = row.dataPoints {
                dataSays = NumberFormat.signed(points, 1)
                if let low = row.dataPointsLower, let high = row.dataPointsUpper {
                    dataSays += " (\(NumberFormat.signed(low, 1))..\(NumberFormat.signed(high, 1)))"
                }
            }
            let odds = row.oddsRatio.map { r in
                NumberFormat.ratio(r) + (row.oddsRatioLower.flatMap { lo in row.oddsRatioUpper.map { hi in " (\(NumberFormat.ratio(lo))..\(NumberFormat.ratio(hi)))" } } ?? "")
            } ?? "-"
            table.append([row.signal, ruleSays, dataSays, row.weightPerUnit.map { NumberFormat.general($0, 3) } ?? "-",
                          row.weightPerStandardDeviation.map { NumberFormat.signed($0, 3) } ?? "-",
                          odds, row.disagreement.map { NumberFormat.signed($0, 1) } ?? "-"])
        }
        out.append(table.render())
        if hidden > 0 { out.append("  ... and \(hidden) more features without a rule (--format json lists every row)") }
        out.append("")
        out.append("  rules say / data say: points per unit of the signal (per occurrence, or once when it applies); per unit / per sd: the weight in log-odds per unit and per standard deviation of the signal; odds x: odds ratio per unit; gap per sd: (data - rules) points x one standard deviation")
        return out.joined(separator: "\n") + "\n"
    }

    public func json() throws -> Data {
        struct Body: Encodable { var rules: String; var scale: String; var rows: [SignalComparison] }
        return try DeterministicJSON.encode(Body(rules: agreement.rulesName, scale: agreement.scaleNote, rows: agreement.rows))
    }
}
