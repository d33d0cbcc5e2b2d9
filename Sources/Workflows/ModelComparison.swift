public import Evaluation
import Features
import Foundation
public import LeadData
public import Rules
public import Scoring
import Training

/// `leadscore compare`, as a library call: a saved model and a rules file measured on any labelled leads.
///
/// Rule points become probabilities with the calibration the model stored when trained with the same rules, or the
/// rules file's own (`explain --write-rules` writes one); without either, log loss and Brier are left out for the
/// rules rather than fitted on the very leads being measured.
public struct ModelComparison: Sendable {
    public enum Input: Sendable {
        case history(HistorySource)
        case table(TableSource)
    }

    public var model: LeadModel
    /// The rule sets to compare with: the first is `rules` in the comparison, the others `other_rules`.
    public var rules: [RuleSet]
    public var rulesPaths: [String]
    public var input: Input
    public var capacity: Double
    public var policy: BadRowPolicy
    /// Told how reading events goes, for a progress line.
    public var progress: ProgressReport?

    public init(model: LeadModel, rules: [RuleSet], rulesPaths: [String], input: Input, capacity: Double = 0.1,
                policy: BadRowPolicy = .init()) {
        self.model = model
        self.rules = rules
        self.rulesPaths = rulesPaths
        self.input = input
        self.capacity = capacity
        self.policy = policy
    }

    public struct Result: Sendable {
        public var comparison: Comparison
        public var notes: [String]
        public var skipped: SkippedRows
        /// The leads are the very ones the model was trained on (the same design-matrix fingerprint), so its figures
        /// are optimistic; a note says so, and a report's charts carry the caveat.
        public var onTrainingLeads: Bool
    }

    public func run() throws -> Result {
        var notes: [String] = []
        let design: DesignMatrix
        var signals: [RuleSignals] = []
        var skipped = SkippedRows()
        switch input {
        case .history(let source):
            guard model.history != nil else {
                throw InputError(file: source.contacts.path, line: nil, message: "the model was trained in table mode: it scores a table (one row per lead), not contact history")
            }
            // One pass over the events per rule set (usually one); the features come from the first.
            var first: HistorySnapshot.Snapshot?
            for set in rules.isEmpty ? [nil] : rules.map(Optional.some) {
                var snapshotting = HistorySnapshot(model: model, source: source, asOf: Timestamp(seconds: 0), policy: policy, rules: set)
                snapshotting.progress = progress
                let snapshot = try snapshotting.labelled()
                if first == nil { first = snapshot }
                if let s = snapshot.ruleSignals { signals.append(s) }
            }
            design = first!.design
            skipped = first!.skipped
        case .table(let source):
            let file = source.file
            guard model.history == nil else {
                throw InputError(file: file.path, line: nil, message: "the model was trained on contact history: it scores contacts with their events, not a table")
            }
            let recipes = model.encoding.recipes
            let options = TableEncoding.readOptions(for: model.encoding.options,
                                                    categorical: Set(recipes.filter { $0.role == .categorical }.map(\.column)),
                                                    numeric: Set(recipes.filter { $0.role == .numeric }.map(\.column)))
            var table = try Table.read(file: file, options: TableReadOptions(categorical: options.categorical, numeric: options.numeric,
                                                                             kindsMayNameAbsentColumns: true))
            if let values = source.values {
                let decided = try table.decided(label: model.encoding.options.label, by: values)
                table = decided.table
                if decided.open > 0 { notes.append("\(decided.open) rows are neither won nor lost (still open): left out") }
            }
            design = try model.encoding.design(for: table)
            for (set, rulesPath) in zip(rules, rulesPaths) { signals.append(try RuleSignals.table(table, rules: set, rulesPath: rulesPath)) }
        }
        let labels = design.labels.map { $0 == 1 }
        let wins = labels.filter { $0 }.count
        guard wins >= 2, labels.count - wins >= 2 else {
            throw InputError(file: sourcePath, line: nil,
                             message: "the leads hold \(wins) conversions and \(labels.count - wins) non-conversions: measuring needs at least two of each")
        }
        let onTrainingLeads = design.fingerprint == model.trainingData.fingerprint
        if onTrainingLeads {
            notes.append("these are the very leads the model was trained on, so its figures here are optimistic; the honest comparison is the holdout's (leadscore explain --model shows it)")
        }
        for s in signals { notes += s.unmatchedNotes }
        let p = model.fit.probabilities(for: design.features)
        let points = zip(rules, signals).map { set, s in
            LeadComparison.RulePoints(rules: set, points: s.points, calibration: calibration(for: set))
        }
        for set in rules where calibration(for: set) == nil {
            let why = model.rules == nil ? "the model was trained without rules (train --rules fits one)" : "the model was trained with other rules"
            notes.append("no calibration for the \(set.name ?? "rules") rules: \(why) and the file has none, so their log loss and Brier score are left out")
        }
        let comparison = LeadComparison(capacity: capacity).evaluate(labels: labels, probabilities: p, scale: model.scoreScale,
                                                                     bands: model.bands, rules: points)
        return Result(comparison: comparison, notes: notes, skipped: skipped, onTrainingLeads: onTrainingLeads)
    }

    /// The model's calibration for these very rules, else the file's own.
    func calibration(for rules: RuleSet) -> PointsCalibration? {
        if let stored = model.rules, stored.fingerprint == rules.fingerprint { return stored.calibration }
        return rules.calibration
    }

    private var sourcePath: String {
        switch input {
        case .history(let source): source.outcomes?.path ?? source.contacts.path
        case .table(let source): source.file.path
        }
    }
}
