import Evaluation
public import Features
import Foundation
public import LeadData
import LinearAlgebra
public import Rules
public import Scoring
public import Training

/// Table mode, end to end: read a CSV with one row per lead, encode it, choose the penalty, fit, and build the model.
///
/// The CLI, the demo and the tests all call this, so they train the same way.
public struct TableTraining: Sendable {
    public var table: String
    public var encoding: TableEncodingOptions
    public var columnKinds: TableReadOptions
    public var penalty: TrainingPenalty
    public var estimator: LogisticRegression
    public var createdAt: String?
    /// The share of rows held out (seeded, stratified) to measure the model; 0 for none.
    public var holdoutFraction: Double = 0.2
    public var holdoutSeed: UInt64 = 1
    /// Rules to measure the model against (`--rules`).
    public var rules: RuleSet?
    public var rulesPath: String = ""
    /// The model's bands, and the share of leads sales can call, for the holdout comparison.
    public var bands: ModelBands = .default
    public var capacity: Double = 0.1

    public init(table: String, encoding: TableEncodingOptions, columnKinds: TableReadOptions = .init(),
                penalty: TrainingPenalty = .fixed(1), estimator: LogisticRegression = .init(), createdAt: String? = nil) {
        self.table = table
        self.encoding = encoding
        self.columnKinds = columnKinds
        self.penalty = penalty
        self.estimator = estimator
        self.createdAt = createdAt
    }

    /// Reads and encodes the table: the design matrix exactly as the trainer sees it, and the encoding that made it.
    public func prepare() throws(InputError) -> (TableEncoding, DesignMatrix) {
        let data = try readTable()
        let tableEncoding = try TableEncoding.fit(data, options: encoding)
        return (tableEncoding, try tableEncoding.design(for: data))
    }

    /// Reads the table; the columns named on the command line must exist, and are checked before any rows are read.
    private func readTable() throws(InputError) -> Table {
        var options = TableEncoding.readOptions(for: encoding, categorical: columnKinds.categorical,
                                                numeric: columnKinds.numeric, ignore: columnKinds.ignore)
        options.required = [encoding.label, encoding.id, encoding.weight].compactMap { $0 }
        return try Table.read(path: table, options: options)
    }

    /// Trains and returns the model (not yet written anywhere), after measuring it on the holdout.
    public func run() throws -> TrainingResult {
        let clock = ContinuousClock()
        let start = clock.now
        let data = try readTable()
        let tableEncoding = try TableEncoding.fit(data, options: encoding)
        let design = try tableEncoding.design(for: data)
        let signals = try rules.map { try RuleSignals.table(data, rules: $0, rulesPath: rulesPath) }
        let prepareSeconds = (clock.now - start).seconds
        let fitter = ModelFitter(penalty: penalty, estimator: estimator)
        let (holdout, holdoutNote) = try evaluateOnHoldout(data, design: design, signals: signals, fitter: fitter)
        let fitted = try fitter.fit(design, source: URL(fileURLWithPath: table).lastPathComponent)
        var model = LeadModel(encoding: tableEncoding, fit: fitted.fit, trainingData: fitted.summary, l2Search: fitted.search,
                              createdAt: createdAt,
                              scoreScale: ScoreScale(trainingProbabilities: fitted.fit.probabilities(for: design.features)),
                              bands: bands)
        model.holdout = holdout
        model.rules = try signals.map { try RulesFitter().fit($0, labels: design.labels.map { $0 == 1 }) }
        let notes = (signals?.unmatchedNotes ?? []) + (holdoutNote.map { [$0] } ?? []) + [fitted.summary.rarerClassNote(l2: fitted.fit.l2)].compactMap { $0 }
        return TrainingResult(model: model, prepareSeconds: prepareSeconds, fitSeconds: fitted.fitSeconds,
                              searchSeconds: fitted.searchSeconds, notes: notes)
    }

    /// Fits on a seeded stratified share of the rows (encoding and penalty learned there too) and measures the rest.
    private func evaluateOnHoldout(_ data: Table, design: DesignMatrix, signals: RuleSignals?,
                                   fitter: ModelFitter) throws -> (HoldoutSummary?, String?) {
        guard holdoutFraction > 0 else { return (nil, nil) }
        let labels = design.labels.map { $0 == 1 }
        let (trainRows, holdoutRows) = StratifiedSplit(fraction: holdoutFraction, seed: holdoutSeed).split(labels)
        let percent = Int((holdoutFraction * 100).rounded())
        let bothClasses = { (rows: [Int]) in rows.filter { labels[$0] }.count >= 2 && rows.filter { !labels[$0] }.count >= 2 }
        guard bothClasses(trainRows), bothClasses(holdoutRows) else {
            return (nil, "no holdout: a \(percent)% split of \(labels.count) rows leaves fewer than two wins or two losses on one side")
        }
        if let note = fitter.holdoutShortfallNote(trainRows.map { labels[$0] ? 1 : 0 }, part: "the \(trainRows.count) training rows of a \(percent)% split") {
            return (nil, note)
        }
        let trainEncoding = try TableEncoding.fit(data.selectingRows(trainRows), options: encoding)
        let outcome = try HoldoutEvaluation(fitter: fitter, bands: bands, capacity: capacity)
            .run(design: try trainEncoding.design(for: data), trainRows: trainRows, holdoutRows: holdoutRows, signals: signals)
        let summary = HoldoutSummary(rule: "a seeded stratified \(percent)% of rows (seed \(holdoutSeed))", trainingRows: trainRows.count,
                                     decidedFrom: nil, decidedTo: nil,
                                     model: BinaryMetrics(scores: outcome.probabilities, labels: outcome.labels),
                                     comparison: outcome.comparison)
        return (summary, nil)
    }
}
