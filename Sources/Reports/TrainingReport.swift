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

    /// The columns, the penalty search, the fit, and the weights.
    public func text() -> String {
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
        if let modelPath {
            out.append("")
            out.append("Model written to \(modelPath)")
        }
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
