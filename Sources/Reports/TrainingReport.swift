import Evaluation
import Features
public import Foundation
import LeadData
import Scoring
import Training
public import Workflows

/// What a table-mode training run did, for people (text) and machines (JSON).
public struct TrainingReport: Sendable {
    public let result: TrainingResult
    /// Where the model was written, if anywhere.
    public let modelPath: String?

    public init(result: TrainingResult, modelPath: String?) {
        self.result = result
        self.modelPath = modelPath
    }

    /// The summary, then the full report.
    public func text() -> String {
        summary() + "\n" + details()
    }

    /// At most 25 lines of at most 100 columns, what a person reads first: the data, how the model did on the
    /// holdout (against the rules, when it was trained with them), the strongest signals, and where the model went.
    public func summary(notes showNotes: Bool = true) -> String {
        let model = result.model, data = model.trainingData
        var out: [String] = ["Summary"]
        let rate = Double(data.positives) / Double(max(1, data.rows))
        out.append("  data     \(data.source): \(NumberFormat.count(data.rows)) decided leads, \(NumberFormat.count(data.positives)) converted (\(NumberFormat.fixed(100 * rate, 1))%), \(model.fit.coefficients.count) features")
        if let holdout = model.holdout {
            let m = holdout.comparison.model
            out.append("  holdout  \(NumberFormat.count(holdout.model.rows)) leads, \(NumberFormat.count(holdout.model.positives)) converted: ROC AUC \(NumberFormat.fixed(m.auc, 3)) (95% interval \(NumberFormat.fixed(m.aucLower, 3)) to \(NumberFormat.fixed(m.aucUpper, 3)))")
            if let rules = holdout.comparison.rules, let test = holdout.comparison.delong {
                let better = test.difference > 0 ? "above" : "below"
                let sure = test.pValue < 0.05 ? "a real difference" : "within chance"
                out.append("  rules    their AUC \(NumberFormat.fixed(rules.auc, 3)); the model is \(NumberFormat.fixed(abs(test.difference), 3)) \(better) (DeLong p = \(NumberFormat.pValue(test.pValue)), \(sure))")
                for other in holdout.comparison.otherRules {
                    guard let test = other.versusModel else { continue }
                    let verdict = test.pValue >= 0.05 ? "not clearly worse than the model" : test.difference > 0 ? "below the model" : "above the model"
                    out.append("  points   \(other.name): AUC \(NumberFormat.fixed(other.auc, 3)), \(verdict) (DeLong p = \(NumberFormat.pValue(test.pValue)))")
                }
            }
        } else {
            out.append("  holdout  none: the model was not measured on leads it had not seen (see the notes)")
        }
        let signals = topSignals(6)
        if !signals.isEmpty {
            out.append("  signals  (log-odds per standard deviation, strongest first; p-values where known)")
            out += signals
        }
        let notes = result.notes.count + (result.skipped.isEmpty ? 0 : 1)
        if notes > 0, showNotes { out.append("  notes    \(notes), in the full report: read them before using the model") }
        if let modelPath { out.append("  model    written to \(modelPath)") }
        return out.map { Self.cut($0, to: 100) }.joined(separator: "\n") + "\n"
    }

    /// The `count` strongest weights, those with p < 0.05 first, one line each.
    private func topSignals(_ count: Int) -> [String] {
        let fit = result.model.fit
        let p = fit.pValues
        let perSD = zip(result.model.encoding.features, fit.coefficients).map { $0.perDeviation($1) }
        let order = perSD.indices.sorted { a, b in
            let sa = p.map { $0[a] < 0.05 } ?? true, sb = p.map { $0[b] < 0.05 } ?? true
            return sa != sb ? sa : abs(perSD[a]) > abs(perSD[b])
        }
        return order.prefix(count).map { j in
            let name = Self.cut(fit.featureNames[j], to: 56)
            let padded = name + String(repeating: " ", count: max(0, 56 - name.count))
            let pText = p.map { "  p \(NumberFormat.pValue($0[j]))" } ?? ""
            return "    \(padded) \(NumberFormat.signed(perSD[j], 2))\(pText)"
        }
    }

    /// `text` cut to `width` characters, with an ellipsis where it was cut.
    static func cut(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }

    /// The notes, the columns, the penalty search, the fit, the holdout and the weights.
    public func details() -> String {
        let model = result.model, fit = model.fit, data = model.trainingData
        var out: [String] = []
        let rate = Double(data.positives) / Double(max(1, data.rows))
        out.append("Training data: \(data.source), \(NumberFormat.count(data.rows)) leads, \(NumberFormat.count(data.positives)) converted (\(NumberFormat.fixed(100 * rate, 1))%)")
        if let history = model.history {
            out.append(HistoryInputReport(history: history).text())
        }
        if !result.skipped.isEmpty { out.append(SkippedRowsReport(skipped: result.skipped).text()) }
        for note in result.notes { out.append("Note: \(note)") }
        out.append("")
        out.append(ColumnsReport(encoding: model.encoding).text())
        if let search = model.l2Search {
            out.append("")
            out.append(PenaltySearchReport(path: search).text())
        }
        out.append("")
        let status = "converged in \(fit.iterations) iteration\(fit.iterations == 1 ? "" : "s"), max |gradient| per lead \(NumberFormat.general(fit.maxGradient, 2))"
        let kind = fit.l2 == 0 ? "unpenalised logistic regression (maximum likelihood)" : "L2-penalised logistic regression, lambda = \(NumberFormat.general(fit.l2, 6))"
        out.append("Fit: \(kind), \(fit.solver.rawValue) solver, \(status)")
        out.append("  objective (log loss sum + penalty): \(NumberFormat.general(fit.objective, 10)); solver time \(NumberFormat.fixed(result.fitSeconds, 3)) s")
        if let holdout = model.holdout {
            let m = holdout.model
            var range = ""
            if let from = holdout.decidedFrom, let to = holdout.decidedTo { range = ", decided \(from.iso8601.prefix(10)) to \(to.iso8601.prefix(10))" }
            out.append("")
            out.append("Holdout: \(holdout.rule) (\(NumberFormat.count(m.rows)) leads, \(NumberFormat.count(m.positives)) converted\(range))")
            out.append("  a first model fitted on the other \(NumberFormat.count(holdout.trainingRows)) scores them: ROC AUC \(NumberFormat.fixed(m.auc, 3)), log loss \(NumberFormat.fixed(m.logLoss, 4)), Brier \(NumberFormat.fixed(m.brier, 4))")
            if holdout.comparison.rules != nil {
                out.append("  the rules' calibration and re-fitted points were learned on the same \(NumberFormat.count(holdout.trainingRows)) leads")
                out.append("")
                out.append(ComparisonReport(comparison: holdout.comparison, subject: "the holdout").text(detail: false))
            }
            out.append("  the saved model below is refitted on all \(NumberFormat.count(model.trainingData.rows)) leads")
        }
        out.append("")
        out.append(WeightsReport(model: model).text())
        return out.joined(separator: "\n") + "\n"
    }

    /// A summary with stable keys: `rows`, `features`, `positives`, `iterations`, `fit_seconds`, `l2`, ...
    public func json() throws -> Data {
        let model = result.model, fit = model.fit
        return try DeterministicJSON.encode(Summary(
            rows: model.trainingData.rows, positives: model.trainingData.positives, features: fit.coefficients.count,
            l2: fit.l2, solver: fit.solver.rawValue, iterations: fit.iterations, objective: fit.objective,
            maxGradient: fit.maxGradient, fitSeconds: result.fitSeconds, prepareSeconds: result.prepareSeconds,
            searchSeconds: result.searchSeconds, l2Search: model.l2Search, columns: model.encoding.recipes,
            fingerprint: model.trainingData.fingerprint, model: modelPath, inputKind: model.inputKind,
            eventTypes: model.history?.vocabulary, skippedRows: result.skipped.counts, holdout: model.holdout,
            extract: result.extraction, notes: result.notes))
    }

    private struct Summary: Encodable {
        var rows, positives, features: Int
        var l2: Double
        var solver: String
        var iterations: Int
        var objective, maxGradient, fitSeconds, prepareSeconds: Double
        var searchSeconds: Double?
        var l2Search: RegularizationPath?
        var columns: [ColumnRecipe]
        var fingerprint: String
        var model: String?
        var inputKind: String
        var eventTypes: EventVocabulary?
        var skippedRows: [String: Int]
        var holdout: HoldoutSummary?
        var extract: ExtractionTiming?
        var notes: [String]
    }
}
