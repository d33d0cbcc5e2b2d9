public import Evaluation
import Features
import Foundation
public import LeadData
import LinearAlgebra
import Rules
public import Scoring
import Training

/// `monitor`: today's leads against the leads the model was made for, and the model against the leads decided since.
///
/// One pass over the events gives the open leads as of `asOf` and the contacts decided since the training data ended.
/// Their columns, probabilities and rule signals are binned as the model's ``ReferenceDistributions`` were, and
/// compared by the Population Stability Index; the decided leads give a fresh ROC AUC and calibration by band.
public struct Monitoring: Sendable {
    public var model: LeadModel
    /// Contacts and events, and outcomes when the decided leads are to be measured.
    public var source: HistorySource
    /// The moment to look at; nil for the end of the data (the latest `created_at` or `decided_at`).
    public var asOf: Timestamp?
    public var policy: BadRowPolicy
    /// The PSI above which a change is worth a look (`warn`), and above which it is to be acted on (`alert`).
    public var look = Monitoring.standardLook
    public var act = Monitoring.standardAct
    /// The usual thresholds of the population stability index: below 0.10 stable, from 0.25 a real shift.
    public static let standardLook = 0.10
    public static let standardAct = 0.25
    public var progress: ProgressReport?

    public init(model: LeadModel, source: HistorySource, asOf: Timestamp? = nil, policy: BadRowPolicy = .init()) {
        self.model = model
        self.source = source
        self.asOf = asOf
        self.policy = policy
    }

    /// ok, warn or alert. A scheduler reads it from the exit status.
    public enum Verdict: String, Codable, Sendable, Comparable {
        case ok, warn, alert

        public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
        private var rank: Int { self == .ok ? 0 : self == .warn ? 1 : 2 }
    }

    /// One column's (or the probability's, or a rule signal's) distribution now against the reference.
    public struct Drift: Codable, Sendable {
        public var name: String
        public var psi: Double
        public var level: Verdict
        /// How far this column's change moved the average log-odds (the characteristic analysis); nil for the
        /// probability and the rules.
        public var shift: Double?
        public var bins: [String]
        public var reference: [Double]
        public var current: [Double]
    }

    /// One model band of the leads decided since training: what the model predicted against what happened.
    public struct BandCalibration: Codable, Sendable {
        public var band: String
        public var leads: Int
        public var won: Int
        public var predicted: Double
        public var observed: Double
        /// The observed rate's 95% Wilson interval.
        public var observedLow: Double
        public var observedHigh: Double
        /// Whether the predicted rate lies outside that interval.
        public var off: Bool
    }

    /// The leads decided since the training data ended.
    public struct Decided: Codable, Sendable {
        public var leads: Int
        public var won: Int
        public var auc: Double?
        public var aucLow: Double?
        public var aucHigh: Double?
        /// The model's holdout ROC AUC, stored at training.
        public var holdoutAuc: Double?
        public var bands: [BandCalibration]
    }

    public struct Report: Codable, Sendable {
        public var verdict: Verdict
        public var reasons: [String]
        public var asOf: String
        /// The end of the model's training data.
        public var trainedTo: String
        public var openLeads: Int
        public var referencePopulation: String
        public var score: Drift
        /// Every column, largest PSI first.
        public var features: [Drift]
        public var rules: [Drift]?
        /// The change of the open leads' average log-odds since training: the sum of the columns' shifts.
        public var logOddsShift: Double
        /// Event types the model has no features for (new, or too rare at training), with their events before the
        /// open leads' moment.
        public var newEventTypes: [String: Int]
        public var decided: Decided?
        public var thresholds: [Double]
        public var notes: [String]
    }

    public func run() throws -> Report {
        guard let history = model.history else {
            throw InputError(file: source.contacts.path, line: nil, message: "the model was trained in table mode: monitor works on history models (contacts and events)")
        }
        guard let reference = model.reference else {
            throw InputError(file: source.contacts.path, line: nil, message: "the model file has no reference distributions (it was trained by an older leadscore): retrain it to monitor it")
        }
        var snapshotting = HistorySnapshot(model: model, source: source, asOf: asOf ?? history.endOfData, policy: policy, rules: model.rules?.rules)
        snapshotting.progress = progress
        let (open, decided, decidedWon, moment) = try snapshotting.monitored(decidedAfter: history.endOfData, endOfData: asOf == nil)
        guard open.design.features.rows > 0 else {
            throw InputError(file: source.contacts.path, line: nil, message: "no lead is open as of \(moment.iso8601): nothing to compare with the training data")
        }
        let design = open.design.features
        let binner = ColumnBinner(encoding: model.encoding)
        let coefficients = model.fit.coefficients
        var features: [Drift] = []
        for (group, column) in zip(binner.groups, reference.columns) {
            let current = PopulationStability.shares(binner.counts(of: group, edges: column.edges ?? [], design: design))
            let shift = zip(group.features, column.means ?? []).reduce(0.0) { $0 + coefficients[$1.0] * (design.columnMean($1.0) - $1.1) }
            features.append(drift(column, current: current, shift: shift))
        }
        features.sort { ($0.psi, $1.name) > ($1.psi, $0.name) }
        let probabilities = model.fit.probabilities(for: design)
        let score = drift(reference.probability, current: ReferenceDistributions.shares(probabilities, edges: reference.probability.edges ?? []), shift: nil)
        var rules: [Drift]?
        if let columns = reference.rules, let signals = open.ruleSignals, columns.count == signals.signals.count + 1 {
            let values = signals.signals.indices.map { signals.column($0) } + [signals.points]
            rules = zip(columns, values).map { drift($0, current: ReferenceDistributions.shares($1, edges: $0.edges ?? []), shift: nil) }
        }
        var report = Report(verdict: .ok, reasons: [], asOf: moment.iso8601, trainedTo: history.endOfData.iso8601, openLeads: design.rows,
                            referencePopulation: reference.population, score: score, features: features, rules: rules,
                            logOddsShift: features.reduce(0) { $0 + ($1.shift ?? 0) }, newEventTypes: open.unusedEventTypes,
                            decided: try decided.map { try measure($0.design.features, won: decidedWon) }, thresholds: [look, act],
                            notes: open.notes)
        if source.outcomes == nil {
            report.notes.append("without outcomes every contact created before \(moment.iso8601) counts as open, the decided ones too, while the reference holds open leads only: give the outcomes for a like-for-like comparison")
        }
        judge(&report)
        return report
    }

    private func drift(_ column: ReferenceDistributions.Column, current: [Double], shift: Double?) -> Drift {
        let psi = PopulationStability.index(expected: column.shares, actual: current)
        return Drift(name: column.name, psi: psi, level: psi >= act ? .alert : psi >= look ? .warn : .ok, shift: shift,
                     bins: column.binNames, reference: column.shares, current: current)
    }

    /// ROC AUC and calibration by band of the leads decided since training.
    private func measure(_ design: Matrix, won: [Bool]) throws -> Decided {
        let p = model.fit.probabilities(for: design)
        var decided = Decided(leads: p.count, won: won.filter { $0 }.count, holdoutAuc: model.holdout?.model.auc, bands: [])
        if decided.won >= 2, decided.leads - decided.won >= 2 {
            let auc = AUCEstimate(scores: p, labels: won)
            (decided.auc, decided.aucLow, decided.aucHigh) = (auc.auc, auc.lower, auc.upper)
        }
        let bands = model.bands
        var members = [[Int]](repeating: [], count: bands.names.count)
        for i in p.indices { members[bands.bandIndex(probability: p[i], score: model.scoreScale.score(probability: p[i]))].append(i) }
        decided.bands = zip(bands.names, members).compactMap { name, rows in
            guard !rows.isEmpty else { return nil }
            let n = Double(rows.count), wins = rows.filter { won[$0] }.count
            let predicted = rows.reduce(0.0) { $0 + p[$1] } / n, observed = Double(wins) / n
            let interval = wilsonInterval(conversions: wins, leads: rows.count)
            let (low, high) = (interval.lowerBound, interval.upperBound)
            return BandCalibration(band: name, leads: rows.count, won: wins, predicted: predicted, observed: observed,
                                   observedLow: low, observedHigh: high, off: predicted < low || predicted > high)
        }
        return decided
    }

    /// The verdict and its reasons, worst first.
    private func judge(_ report: inout Report) {
        var reasons: [(Verdict, String)] = []
        func psi(_ x: Double) -> String { String(format: "%.2f", x) }
        if report.score.level != .ok {
            reasons.append((report.score.level, "the score's distribution moved: PSI \(psi(report.score.psi))"))
        }
        for feature in report.features where feature.level != .ok {
            reasons.append((feature.level, "\(feature.name): PSI \(psi(feature.psi))"))
        }
        for rule in report.rules ?? [] where rule.level != .ok {
            reasons.append((rule.level, "rules, \(rule.name): PSI \(psi(rule.psi))"))
        }
        // A new event type matters once its events number at least 1% of the open leads (and 10): a handful of a
        // rare type is noise, not a change.
        let material = report.newEventTypes.filter { $0.value >= max(10, report.openLeads / 100) }
        if !material.isEmpty {
            let names = material.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { name, count in
                let atTraining = model.history?.vocabulary.counts[name].map { "; \($0) at training, too few for features" } ?? ""
                return "\(Echo.quoted(name)) (\(count) events\(atTraining))"
            }
            reasons.append((.warn, "event types the model has no features for, which it ignores: \(names.joined(separator: ", ")); retrain to learn them"))
        }
        if let decided = report.decided {
            if let high = decided.aucHigh, let holdout = decided.holdoutAuc, high < holdout {
                reasons.append((.alert, "on the \(decided.leads) leads decided since training, ROC AUC \(String(format: "%.3f", decided.auc!)) (95% up to \(String(format: "%.3f", high))), below the holdout's \(String(format: "%.3f", holdout))"))
            }
            for band in decided.bands where band.off {
                reasons.append((.warn, "band \(band.band): predicted \(String(format: "%.3f", band.predicted)), observed \(String(format: "%.3f", band.observed)) (95% \(String(format: "%.3f", band.observedLow)) to \(String(format: "%.3f", band.observedHigh))) on \(band.leads) leads decided since training"))
            }
        }
        let ordered = reasons.enumerated().sorted { ($0.element.0, -$0.offset) > ($1.element.0, -$1.offset) }.map(\.element)
        report.verdict = ordered.first?.0 ?? .ok
        report.reasons = ordered.map { "\($0.0.rawValue): \($0.1)" }
        if report.openLeads < 100 {
            report.notes.append("only \(report.openLeads) leads are open as of \(report.asOf): the PSI of so few leads is noisy")
        }
    }
}
