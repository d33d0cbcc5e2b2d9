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
    /// The table, as the export has it.
    public var file: SourceFile
    /// The label values that mean won and lost, when the table names them (every other value means still open, and
    /// the row is left out); nil for the label decoding of ``TableEncodingOptions``.
    public var values: OutcomeValues?
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
    /// Told how long steps go (reading events, the penalty search, scoring), for a progress line.
    public var progress: ProgressReport?
    public var rulesPath: String = ""
    /// Columns the user confirmed as known before the outcome, which the leak guard lets through (`--allow-leak`).
    public var allowedLeaks: Set<String> = []
    /// The model's bands, and the share of leads sales can call, for the holdout comparison.
    public var bands: ModelBands = .default
    public var capacity: Double = 0.1

    public init(table: String, encoding: TableEncodingOptions, columnKinds: TableReadOptions = .init(),
                penalty: TrainingPenalty = .fixed(1), estimator: LogisticRegression = .init(), createdAt: String? = nil) {
        self.init(file: SourceFile(path: table), encoding: encoding, columnKinds: columnKinds, penalty: penalty, estimator: estimator,
                  createdAt: createdAt)
    }

    public init(file: SourceFile, values: OutcomeValues? = nil, encoding: TableEncodingOptions, columnKinds: TableReadOptions = .init(),
                penalty: TrainingPenalty = .fixed(1), estimator: LogisticRegression = .init(), createdAt: String? = nil) {
        self.file = file
        self.values = values
        self.encoding = encoding
        self.columnKinds = columnKinds
        self.penalty = penalty
        self.estimator = estimator
        self.createdAt = createdAt
    }

    /// Reads and encodes the table: the design matrix exactly as the trainer sees it, and the encoding that made it.
    public func prepare() throws(InputError) -> (TableEncoding, DesignMatrix) {
        let (data, _) = try readTable()
        let tableEncoding = try TableEncoding.fit(data, options: labelOptions)
        return (tableEncoding, try tableEncoding.design(for: data))
    }

    /// The table's path.
    public var table: String { file.path }

    /// The encoding options, with the label read as `1`/`0` (the default reading) when ``values`` rewrote it.
    private var labelOptions: TableEncodingOptions {
        guard values != nil else { return encoding }
        var options = encoding
        options.positive = nil
        return options
    }

    /// Reads the table (the columns named must exist, and are checked before any rows are read), and keeps only the
    /// decided rows when ``values`` says which are; the number of open rows left out.
    private func readTable() throws(InputError) -> (Table, open: Int) {
        var options = TableEncoding.readOptions(for: encoding, categorical: columnKinds.categorical,
                                                numeric: columnKinds.numeric, ignore: columnKinds.ignore)
        options.required = [encoding.label, encoding.id, encoding.weight].compactMap { $0 }
        let data = try Table.read(file: file, options: options)
        guard let values else { return (data, 0) }
        return try data.decided(label: encoding.label, by: values)
    }

    /// The decided rows of the table, as training reads them, with each row's outcome.
    func decidedRows() throws -> (table: Table, won: [Bool]) {
        let (data, _) = try readTable()
        let column = try data.column(named: encoding.label) ?? { throw InputError(file: table, line: 1, message: "missing column \(Echo.quoted(encoding.label)) (the label)") }()
        return (data, try LabelDecoder.decode(column, positive: labelOptions.positive, table: data).map { $0 == 1 })
    }

    /// Trains and returns the model (not yet written anywhere), after measuring it on the holdout.
    public func run() throws -> TrainingResult {
        try run(holdoutExtras: nil)
    }

    /// As ``run()``, measuring `holdoutExtras` on the holdout too (rows of ``decidedRows()``).
    func run(holdoutExtras: HoldoutEvaluation.Extras?) throws -> TrainingResult {
        let clock = ContinuousClock()
        let start = clock.now
        let (data, open) = try readTable()
        let tableEncoding = try TableEncoding.fit(data, options: labelOptions)
        let design = try tableEncoding.design(for: data)
        let guarded = Dictionary(tableEncoding.features.map { ($0.column, $0.column) }, uniquingKeysWith: { a, _ in a })
        let leakGuard = LeakGuard(columns: guarded, allowed: allowedLeaks)
        try leakGuard.check(design, encoding: tableEncoding)
        let signals = try rules.map { try RuleSignals.table(data, rules: $0, rulesPath: rulesPath) }
        let prepareSeconds = (clock.now - start).seconds
        let fitter = ModelFitter(penalty: penalty, estimator: estimator, progress: progress)
        let (holdout, holdoutNote) = try evaluateOnHoldout(data, design: design, signals: signals, fitter: fitter, extras: holdoutExtras)
        let fitted = try fitter.fit(design, source: URL(fileURLWithPath: table).lastPathComponent)
        let tooGood = try leakGuard.checkHoldout(holdout, fit: fitted.fit, features: tableEncoding.features)
        var model = LeadModel(encoding: tableEncoding, fit: fitted.fit, trainingData: fitted.summary, l2Search: fitted.search,
                              createdAt: createdAt,
                              scoreScale: ScoreScale(trainingProbabilities: fitted.fit.probabilities(for: design.features)),
                              bands: bands)
        model.holdout = holdout
        model.rules = try signals.map { try RulesFitter().fit($0, labels: design.labels.map { $0 == 1 }) }
        let openNote = open > 0 ? ["\(open) row\(open == 1 ? " has" : "s have") a \(Echo.quoted(encoding.label)) value that is neither won nor lost (still open): left out"] : []
        let notes = data.notes + openNote + (signals?.unmatchedNotes ?? []) + (holdoutNote.map { [$0] } ?? []) + [fitted.summary.rarerClassNote(l2: fitted.fit.l2), fitted.search?.widened, tooGood].compactMap { $0 }
        return TrainingResult(model: model, prepareSeconds: prepareSeconds, fitSeconds: fitted.fitSeconds,
                              searchSeconds: fitted.searchSeconds, notes: notes)
    }

    /// Fits on a seeded stratified share of the rows (encoding and penalty learned there too) and measures the rest.
    private func evaluateOnHoldout(_ data: Table, design: DesignMatrix, signals: RuleSignals?, fitter: ModelFitter,
                                   extras: HoldoutEvaluation.Extras?) throws -> (HoldoutSummary?, String?) {
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
        let trainEncoding = try TableEncoding.fit(data.selectingRows(trainRows), options: labelOptions)
        let outcome = try HoldoutEvaluation(fitter: fitter, bands: bands, capacity: capacity)
            .run(design: try trainEncoding.design(for: data), trainRows: trainRows, holdoutRows: holdoutRows, signals: signals,
                 extras: try extras?(trainRows, holdoutRows) ?? [])
        let summary = HoldoutSummary(rule: "a seeded stratified \(percent)% of rows (seed \(holdoutSeed))", trainingRows: trainRows.count,
                                     decidedFrom: nil, decidedTo: nil,
                                     model: BinaryMetrics(scores: outcome.probabilities, labels: outcome.labels),
                                     comparison: outcome.comparison)
        return (summary, nil)
    }
}
