public import Evaluation
import Foundation
import LeadData

/// The model and the rules side by side, for people: a verdict first, then the figures that back it.
public struct ComparisonReport: Sendable {
    public let comparison: Comparison
    /// What the leads are, e.g. "the holdout (the most recent 20% of decided contacts)".
    public let subject: String

    public init(comparison: Comparison, subject: String) {
        self.comparison = comparison
        self.subject = subject
    }

    private var scorers: [ScorerEvaluation] { [comparison.model] + (comparison.rules.map { [$0] } ?? []) + comparison.otherRules }

    /// One or two sentences: which ranks leads better, by how much, and how sure that is.
    public var verdict: String {
        guard let rules = comparison.rules, let test = comparison.delong else {
            let m = comparison.model
            return "The model's ROC AUC is \(NumberFormat.fixed(m.auc, 3)) (95% CI \(NumberFormat.fixed(m.aucLower, 3)) to \(NumberFormat.fixed(m.aucUpper, 3))) on \(subject)."
        }
        let name = "the \(rules.name) rules"
        let figures = "ROC AUC \(NumberFormat.fixed(test.a.auc, 3)) against \(NumberFormat.fixed(test.b.auc, 3)), a difference of \(NumberFormat.signed(test.difference, 3)) (95% CI \(NumberFormat.signed(test.lower, 3)) to \(NumberFormat.signed(test.upper, 3)), DeLong \(Self.pClause(test.pValue)))"
        let first: String
        if test.pValue < 0.01 {
            first = test.difference > 0
                ? "The model ranks leads better than \(name): \(figures)."
                : "\(name.prefix(1).uppercased() + name.dropFirst()) rank leads better than the model: \(figures)."
        } else {
            first = "No clear difference between the model and \(name) at the 1% level: \(figures)."
        }
        return ([first] + comparison.otherRules.compactMap(Self.closeContender)).joined(separator: " ")
    }

    /// A sentence for another rule set (the same rules with refitted points) that the model does not clearly beat:
    /// the honest answer is then that points would do, and the verdict says so rather than crown the model.
    private static func closeContender(_ other: ScorerEvaluation) -> String? {
        guard let test = other.versusModel else { return nil }
        let figures = "ROC AUC \(NumberFormat.fixed(test.b.auc, 3)) against the model's \(NumberFormat.fixed(test.a.auc, 3)), DeLong \(pClause(test.pValue))"
        if test.pValue < 0.01 {
            return test.difference < 0 ? "The \(other.name) rules rank leads better than the model (\(figures))." : nil
        }
        return "The \(other.name) rules are not clearly worse than the model (\(figures)): points like these may be all you need."
    }

    /// What calling the top share of leads would catch, with each scorer, in a sentence.
    public var capacitySentence: String {
        let share = percent(comparison.capacityFraction, 0)
        let parts = scorers.map { "\($0.name) \(percent($0.capacity.shareOfConversions, 1))" }
        return "Calling the top \(share) of leads catches this share of all conversions: \(parts.joined(separator: ", "))."
    }

    /// The headline table, the DeLong test, capacity and bands; `detail` adds gains and calibration tables.
    public func text(detail: Bool) -> String {
        let c = comparison
        var out: [String] = []
        out.append("Model versus rules on \(subject): \(NumberFormat.count(c.leads)) leads, \(NumberFormat.count(c.conversions)) converted (\(percent(c.baseRate, 1)))")
        out.append("")
        out.append(verdict)
        out.append(capacitySentence)
        out.append("")
        var table = TextTable(headers: ["metric"] + scorers.map(\.name), alignments: [.left] + scorers.map { _ in .right })
        table.append(["ROC AUC"] + scorers.map { NumberFormat.fixed($0.auc, 3) })
        table.append(["  95% CI (DeLong)"] + scorers.map { "\(NumberFormat.fixed($0.aucLower, 3))-\(NumberFormat.fixed($0.aucUpper, 3))" })
        table.append(["PR AUC (average precision)"] + scorers.map { NumberFormat.fixed($0.averagePrecision, 3) })
        table.append(["log loss"] + scorers.map { $0.logLoss.map { NumberFormat.fixed($0, 4) } ?? "n/a" })
        table.append(["Brier score"] + scorers.map { $0.brier.map { NumberFormat.fixed($0, 4) } ?? "n/a" })
        table.append(["top \(percent(c.capacityFraction, 0)): conversions caught"] + scorers.map { percent($0.capacity.shareOfConversions, 1) })
        table.append(["top \(percent(c.capacityFraction, 0)): conversion rate"] + scorers.map { percent($0.capacity.precision, 1) })
        table.append(["top \(percent(c.capacityFraction, 0)): lift"] + scorers.map { NumberFormat.fixed($0.capacity.lift, 2) + "x" })
        out.append(table.render())
        if c.rules != nil, c.rules?.logLoss == nil {
            out.append("  (log loss and Brier need the rules' points as probabilities: train the model with --rules to fit that calibration)")
        }
        let tests = ([c.rules].compactMap { $0 } + c.otherRules).compactMap { s in s.versusModel.map { (s.name, $0) } }
        if !tests.isEmpty {
            out.append("")
            out.append("DeLong test of the ROC AUC difference (model minus rules):")
            var t = TextTable(headers: ["rules", "difference", "95% CI", "z", "p"], alignments: [.left, .right, .right, .right, .right])
            for (name, test) in tests {
                t.append([name, NumberFormat.signed(test.difference, 3),
                          "\(NumberFormat.signed(test.lower, 3)) to \(NumberFormat.signed(test.upper, 3))",
                          NumberFormat.fixed(test.z, 2), NumberFormat.pValue(test.pValue)])
            }
            out.append(t.render())
        }
        out.append("")
        out.append("Bands (a band counts with every band above it for 'share', 'precision' and 'recall'):")
        var bands = TextTable(headers: ["scorer", "band", "leads", "converted", "rate", "share", "precision", "recall"],
                              alignments: [.left, .left, .right, .right, .right, .right, .right, .right])
        for scorer in scorers {
            for row in scorer.bands?.rows ?? [] {
                bands.append([scorer.name, row.band, NumberFormat.count(row.leads), NumberFormat.count(row.conversions),
                              row.conversionRate.map { percent($0, 1) } ?? "-", percent(row.cumulativeShare, 1),
                              row.cumulativePrecision.map { percent($0, 1) } ?? "-", row.cumulativeRecall.map { percent($0, 1) } ?? "-"])
            }
        }
        out.append(bands.render())
        if detail {
            out.append("")
            out.append("Cumulative gains by decile (share of all conversions among the top k deciles; lift of each decile):")
            var gains = TextTable(headers: ["decile"] + scorers.flatMap { ["\($0.name) gain", "lift"] },
                                  alignments: [.right] + scorers.flatMap { _ in [TextTable.Alignment.right, .right] })
            for k in c.model.gains.rows.indices {
                gains.append(["\(k + 1)"] + scorers.flatMap { s -> [String] in
                    let row = s.gains.rows[k]
                    return [percent(row.cumulativeShareOfConversions, 1), NumberFormat.fixed(row.lift, 2) + "x"]
                })
            }
            out.append(gains.render())
            for scorer in scorers {
                guard let calibration = scorer.calibration else { continue }
                out.append("")
                out.append("Calibration of \(scorer.name) (10 bins of about equal size by predicted probability; expected calibration error \(NumberFormat.fixed(calibration.expectedCalibrationError, 4))):")
                var t = TextTable(headers: ["predicted", "observed", "leads", "converted"], alignments: [.right, .right, .right, .right])
                for bin in calibration.bins {
                    t.append([percent(bin.meanPredicted, 1), percent(bin.observedRate, 1), NumberFormat.count(bin.count), NumberFormat.count(bin.conversions)])
                }
                out.append(t.render())
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// `p = 0.003`, or `p < 1e-16` below double resolution.
    static func pClause(_ p: Double) -> String {
        let text = NumberFormat.pValue(p)
        return text.hasPrefix("<") ? "p < " + text.dropFirst() : "p = " + text
    }

    private func percent(_ share: Double, _ digits: Int) -> String { NumberFormat.fixed(100 * share, digits) + "%" }
}
