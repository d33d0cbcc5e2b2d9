import Foundation
import Features
public import LeadData
public import Rules
public import Scoring

/// Table mode scoring, streamed: reads a CSV of leads (one row per lead) in chunks, encodes each record straight into a
/// reusable buffer as the model's encoding says, scores the chunk with one gemv, and hands the scored leads to a sink.
///
/// Memory stays bounded by the chunk whatever the file's length, and the first rows reach the sink before the file
/// has been read to the end. The leads are the same bit for bit whatever the chunk size. With a rules file, each record
/// also gets its rule points as it streams by (``TableRuleScorer``, the same points `compare` gives the table). The
/// CLI, the server and the tests all score tables through this.
public struct TableScoring: Sendable {
    public var model: LeadModel
    /// The CSV of leads to score; it needs every column the model uses (and its id column, if it has one).
    /// The table, as the export has it (its separator, encoding, numbers).
    public var file: SourceFile
    public var table: String { file.path }
    public var scale: ScoreScale
    public var bands: ModelBands
    /// Reasons to give each way per lead; 0 for none.
    public var reasons: Int
    /// Rows per chunk: a few thousand keeps the buffer in cache and the sink busy.
    public var chunkSize: Int
    /// Rules whose points and band each lead also gets; nil for none.
    public var rules: RuleSet?
    /// Told how long steps go (reading events, the penalty search, scoring), for a progress line.
    public var progress: ProgressReport?
    /// Where the rules came from, for errors.
    public var rulesPath: String

    public init(model: LeadModel, table: String, scale: ScoreScale, bands: ModelBands, reasons: Int = 0, chunkSize: Int = 4096,
                rules: RuleSet? = nil, rulesPath: String = "") {
        self.init(model: model, file: SourceFile(path: table), scale: scale, bands: bands, reasons: reasons, chunkSize: chunkSize,
                  rules: rules, rulesPath: rulesPath)
    }

    public init(model: LeadModel, file: SourceFile, scale: ScoreScale, bands: ModelBands, reasons: Int = 0, chunkSize: Int = 4096,
                rules: RuleSet? = nil, rulesPath: String = "the rules file") {
        self.model = model
        self.file = file
        self.scale = scale
        self.bands = bands
        self.reasons = reasons
        self.chunkSize = chunkSize
        self.rules = rules
        self.rulesPath = rulesPath
    }

    /// The output's id column: the model's id column, else `row` (the 1-based data row number).
    public var idColumn: String { model.encoding.options.id ?? "row" }

    /// Scores every row, calling `sink` with each chunk of scored leads in file order (the array is reused: copy what
    /// you keep). Stops at the first bad row with `file:line: what is wrong`; rows already handed to `sink` stay handed.
    public func run(_ sink: ([ScoredLead]) throws -> Void) throws -> ScoringSummary {
        guard model.history == nil else {
            throw InputError(file: table, line: nil, message: "the model was trained on contact history: it scores contacts with their events, not a table")
        }
        precondition(chunkSize >= 1, "chunks hold at least one row")
        let reader = try CSVReader(path: table, format: file.format)
        let encoder = try RecordEncoder(encoding: model.encoding, header: reader.header, path: table, headerLine: reader.headerLine)
        var idIndex: Int?
        if let id = model.encoding.options.id {
            idIndex = try reader.requireColumn(id)
        }
        let ruleScorer = try rules.map { rules throws(InputError) in
            // Columns read as the model reads them (and as `compare` reads the table): its categories as text, its numbers as numbers.
            let recipes = model.encoding.recipes
            let kinds = TableEncoding.readOptions(for: model.encoding.options,
                                                  categorical: Set(recipes.filter { $0.role == .categorical }.map(\.column)),
                                                  numeric: Set(recipes.filter { $0.role == .numeric }.map(\.column)))
            return try TableRuleScorer(rules: rules, rulesPath: rulesPath, header: reader.header, path: table,
                                       categorical: kinds.categorical, numeric: kinds.numeric)
        }
        let scorer = LeadScorer(model: model, scale: scale, bands: bands)
        let d = encoder.featureCount
        let rows = UnsafeMutableBufferPointer<Double>.allocate(capacity: chunkSize * d)
        defer { rows.deallocate() }
        var ids: [String] = []
        ids.reserveCapacity(chunkSize)
        var probabilities = [Double](repeating: 0, count: chunkSize)
        var leads: [ScoredLead] = []
        leads.reserveCapacity(chunkSize)
        var points = [Double](repeating: 0, count: ruleScorer == nil ? 0 : chunkSize)
        var summary = ScoringSummary(bands: bands, ruleBands: rules?.bands.map(\.name) ?? [])
        let size = file.format.encoding == .utf8 ? StepProgress.fileSize(table) : nil
        summary.notes = ruleScorer?.unmatchedNotes ?? []
        var unseen = EncodingNotes()
        var n = 0

        func flush() throws {
            scorer.score(rows: UnsafeBufferPointer(rows), count: n, ids: ids[...], reasons: reasons,
                         probabilities: &probabilities, into: &leads)
            if let ruleScorer {
                for i in 0..<n {
                    leads[i].rulePoints = points[i]
                    leads[i].ruleBand = ruleScorer.band(points: points[i])
                }
            }
            summary.count(leads, bands: bands)
            try sink(leads)
            ids.removeAll(keepingCapacity: true)
            n = 0
            progress?(StepProgress(step: "scoring \(URL(fileURLWithPath: table).lastPathComponent)", done: Int64(reader.bytesRead), total: size, unit: .bytes))
        }

        while try reader.next() {
            let record = reader.record
            try encoder.encode(record, into: UnsafeMutableBufferPointer(rebasing: rows[(n * d)..<((n + 1) * d)]), notes: &unseen)
            ids.append(try idIndex.map { i throws(InputError) in try record.string(at: i) } ?? String(summary.scored + n + 1))
            if let ruleScorer { points[n] = try ruleScorer.points(record) }
            n += 1
            if n == chunkSize { try flush() }
        }
        if n > 0 { try flush() }
        if summary.scored == 0 {
            throw InputError(file: table, line: nil, message: "the file has a header but no data rows: there are no leads to score")
        }
        summary.notes += unseen.notes
        return summary
    }
}
