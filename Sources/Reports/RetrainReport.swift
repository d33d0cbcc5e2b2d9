public import Foundation
import Evaluation
import LeadData
import Rules
import Training
public import ModelRegistry
public import Scoring
public import Workflows

/// What `retrain` prints: the decision and its reason on the first line, then the figures behind it.
public struct RetrainReport: Sendable {
    public var outcome: Retraining.Outcome
    public var registry: String

    public init(outcome: Retraining.Outcome, registry: String) {
        self.outcome = outcome
        self.registry = registry
    }

    /// The first line: `published: ...` or `kept: ...` (`would publish` / `would keep` with --dry-run).
    public var line: String {
        let verb = switch (outcome.decision, outcome.dryRun) {
        case (.published, false): "published"
        case (.kept, false): "kept the champion"
        case (.published, true): "would publish (dry run)"
        case (.kept, true): "would keep the champion (dry run)"
        }
        return "\(verb): \(outcome.reason)"
    }

    public func text(notes: Bool = true) -> String {
        let contest = outcome.contest, window = contest.window
        var out = line + "\n"
        out += "  window      \(window.rule): \(NumberFormat.count(window.leads)) leads decided \(window.from.prefix(10)) to \(window.to.prefix(10)), \(NumberFormat.count(window.won)) won (\(NumberFormat.fixed(Double(window.won) / Double(max(window.leads, 1)) * 100, 1))%)\n"
        var table = TextTable(headers: ["", "model", "data end", "ROC AUC (95%)", "log loss", "calibration error", "mean p", "top 10% catch"],
                              alignments: [.left, .left, .left, .right, .right, .right, .right, .right])
        for (name, model) in [("champion", contest.champion), ("challenger", contest.challenger)] {
            table.append([name, model.id, String(model.dataEnd.prefix(10)),
                          "\(NumberFormat.fixed(model.auc, 3)) (\(NumberFormat.fixed(model.aucLow, 3))-\(NumberFormat.fixed(model.aucHigh, 3)))",
                          NumberFormat.fixed(model.logLoss, 3), NumberFormat.fixed(model.calibrationError, 3),
                          NumberFormat.fixed(model.meanPredicted, 3), NumberFormat.fixed(model.top10Capture * 100, 1) + "%"])
        }
        out += table.render(indent: 12) + "\n"
        out += "  DeLong      challenger minus champion \(NumberFormat.signed(contest.delong.difference, 3)), z \(NumberFormat.fixed(contest.delong.z, 2)), p \(NumberFormat.pValue(contest.delong.pValue))\n"
        out += "              (the challenger is measured as trained on the leads before the window; the one stored is refitted on all of them)\n"
        if outcome.dryRun {
            out += "  registry    \(registry): nothing written (--dry-run)\n"
        } else {
            let record = outcome.record
            out += "  registry    \(registry): current model \(record.current), log record \(record.seq); challenger stored as models/\(contest.challenger.id).json\n"
        }
        if notes {
            for note in outcome.notes + outcome.challenger.notes { out += "  note: \(note)\n" }
        }
        return out
    }

    /// The same as JSON: at least `decision`, `reason`, `champion.auc`, `challenger.auc` and `delong.p_value`.
    public func json() throws -> Data {
        struct Body: Encodable {
            var decision: String
            var reason: String
            var dryRun: Bool
            var registry: String
            /// The current model after the run: the champion's with --dry-run, whatever was decided.
            var current: String
            var seq: Int?
            var window: ContestFigures.Window
            var champion: ContestFigures.Model
            var challenger: ContestFigures.Model
            var delong: ContestFigures.Paired
            var notes: [String]
        }
        let contest = outcome.contest
        return try DeterministicJSON.encode(Body(decision: outcome.decision.rawValue, reason: outcome.reason, dryRun: outcome.dryRun,
                                                 registry: registry, current: outcome.dryRun ? outcome.contest.champion.id : outcome.record.current,
                                                 seq: outcome.dryRun ? nil : outcome.record.seq, window: contest.window,
                                                 champion: contest.champion, challenger: contest.challenger, delong: contest.delong,
                                                 notes: outcome.notes + outcome.challenger.notes))
    }
}

/// What `models list` prints: one row per log record, newest last, with the current model marked.
public struct RegistryListing: Sendable {
    public var entries: [ModelRegistry.Entry]
    public var current: String

    public init(entries: [ModelRegistry.Entry], current: String) {
        self.entries = entries
        self.current = current
    }

    public func text() -> String {
        var table = TextTable(headers: ["#", "time", "action", "current after", "challenger", "AUC champion", "AUC challenger"],
                              alignments: [.right, .left, .left, .left, .left, .right, .right])
        var reasons = ""
        let marked = lastChange
        for entry in entries {
            let r = entry.record
            let action = r.action == .retrain ? "retrain: \(r.decision ?? "")" : r.action.rawValue
            table.append(["\(r.seq)", r.time, entry.committed ? action : action + " (not committed)",
                          r.current + (r.seq == marked ? " *" : ""), r.challenger ?? "",
                          r.contest.map { NumberFormat.fixed($0.champion.auc, 3) } ?? "", r.contest.map { NumberFormat.fixed($0.challenger.auc, 3) } ?? ""])
            reasons += "  #\(r.seq) \(Echo.line(r.reason))\n"
        }
        return table.render(indent: 0) + "\n* the current model: \(current)\n\nwhy:\n" + reasons
    }

    /// The committed record that made the current model current.
    private var lastChange: Int? {
        entries.last { $0.committed && $0.record.changesCurrent && $0.record.current == current }?.record.seq
    }

    public func json() throws -> Data {
        struct Body: Encodable { var current: String; var records: [CommittedRecord] }
        return try DeterministicJSON.encode(Body(current: current, records: entries.map(CommittedRecord.init)))
    }
}

/// What `models show` prints about one model of a registry.
public struct RegistryModelCard: Sendable {
    public var id: String
    public var path: String
    public var model: LeadModel
    public var current: Bool
    /// The log records that name the model.
    public var entries: [ModelRegistry.Entry]

    public init(id: String, path: String, model: LeadModel, current: Bool, entries: [ModelRegistry.Entry]) {
        self.id = id
        self.path = path
        self.model = model
        self.current = current
        self.entries = entries
    }

    public func text() -> String {
        let data = model.trainingData
        var out = "model \(id)\(current ? " (current)" : "")\n"
        out += "  file        \(path)\n"
        out += "  input       \(model.inputKind)\(model.history.map { "; data end \($0.endOfData.iso8601)" } ?? "")\n"
        out += "  trained on  \(NumberFormat.count(data.rows)) examples, \(NumberFormat.count(data.positives)) converted, \(data.features) features; L2 penalty \(NumberFormat.general(model.fit.l2))\n"
        if let holdout = model.holdout {
            out += "  holdout     ROC AUC \(NumberFormat.fixed(holdout.model.auc, 3)), log loss \(NumberFormat.fixed(holdout.model.logLoss, 3)) on \(holdout.rule)\n"
        }
        if let rules = model.rules { out += "  rules       \(rules.rules.name ?? "unnamed") (\(rules.fingerprint))\n" }
        out += "  records\n"
        for entry in entries {
            let r = entry.record
            let role = r.current == id && r.changesCurrent ? "made current" : r.challenger == id ? "challenger" : r.previous == id && r.changesCurrent ? "replaced" : "current"
            out += "    #\(r.seq) \(r.time) \(r.action.rawValue)\(r.decision.map { ": \($0)" } ?? "") (\(role)\(entry.committed ? "" : ", not committed")): \(Echo.line(r.reason))\n"
        }
        return out
    }

    public func json() throws -> Data {
        struct Body: Encodable {
            var id: String
            var path: String
            var current: Bool
            var inputKind: String
            var dataEnd: String?
            var examples: Int
            var converted: Int
            var features: Int
            var holdoutAuc: Double?
            var holdoutLogLoss: Double?
            var records: [CommittedRecord]
        }
        return try DeterministicJSON.encode(Body(id: id, path: path, current: current, inputKind: model.inputKind,
                                                 dataEnd: model.history?.endOfData.iso8601, examples: model.trainingData.rows,
                                                 converted: model.trainingData.positives, features: model.trainingData.features,
                                                 holdoutAuc: model.holdout?.model.auc, holdoutLogLoss: model.holdout?.model.logLoss,
                                                 records: entries.map(CommittedRecord.init)))
    }
}

/// A log record as the JSON of `models list` and `models show` gives it: with whether it took effect.
private struct CommittedRecord: Encodable {
    var record: RegistryRecord
    var committed: Bool

    init(_ entry: ModelRegistry.Entry) {
        record = entry.record
        committed = entry.committed
    }
}
