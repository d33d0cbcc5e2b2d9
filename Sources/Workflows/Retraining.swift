public import Evaluation
import Features
public import Foundation
public import LeadData
public import ModelRegistry
import Rules
public import Scoring
import LinearAlgebra
import Training

/// One turn of the monthly loop: train a challenger with the champion's recipe on the data as they are now, measure
/// both on the same recent decided leads, and publish the challenger only when it is not worse.
///
/// The challenger that is measured is trained on the decided leads before the window; the one published is refitted
/// on every decided lead (the window included), exactly as `train` measures a model on its holdout and then refits.
/// Both come from one pass over the events. The champion is scored on the window with its own vocabulary and
/// encoding, from the same features.
public struct Retraining: Sendable {
    /// Which recent decided leads the two models are measured on.
    public enum Window: Sendable, Equatable {
        /// The most recent share of decided leads by `decided_at`.
        case share(Double)
        /// The leads decided within this span before the end of the data.
        case span(TimeSpan)
    }

    /// What `retrain` decided.
    public enum Decision: String, Sendable { case published, kept }

    public var registry: ModelRegistry
    public var source: HistorySource
    public var policy: BadRowPolicy
    public var window: Window = .share(0.2)
    /// The fewest wins, and losses, of the window's leads decided after the champion's data ended for the comparison to
    /// be made on them alone.
    static let minimumClassCount = 10

    /// The challenger's AUC may be this much below the champion's and still count as not worse.
    public var aucMargin = 0.01
    /// The challenger's log loss may be this much above the champion's and still count as not worse.
    public var logLossMargin = 0.02
    /// A champion whose data ended longer than this before the current data's end is replaced by any challenger
    /// that learned something (its AUC interval above 0.5).
    public var maxAge = TimeSpan(seconds: 90 * 86_400)
    /// Publish whatever the comparison says.
    public var force = false
    /// Measure and decide, but write nothing to the registry.
    public var dryRun = false
    /// Profile columns let past the leak guard besides those the champion was trained with (`--allow-leak`).
    public var allowedLeaks: Set<String> = []
    /// Replay the data as they were known at this moment (see ``HistoryTraining/asOf``).
    public var asOf: Timestamp?
    public var progress: ProgressReport?
    /// The wall clock of the log record.
    public var now: @Sendable () -> Date = { Date() }

    public init(registry: ModelRegistry, source: HistorySource, policy: BadRowPolicy = .init()) {
        self.registry = registry
        self.source = source
        self.policy = policy
    }

    public struct Outcome: Sendable {
        public var decision: Decision
        public var reason: String
        /// The record written to the log (numbered), or the one that would have been (`seq` 0) with `dryRun`.
        public var record: RegistryRecord
        public var contest: ContestFigures
        /// The refitted challenger, as stored (or as it would have been).
        public var challenger: TrainingResult
        /// Things to know about this comparison: a window the champion partly trained on, a stale champion.
        public var notes: [String]
        public var dryRun: Bool
    }

    public func run() throws -> Outcome {
        let (championID, champion, championPath) = try registry.current()
        guard let history = champion.history else {
            throw InputError(file: championPath, line: nil, message: "the current model was trained in table mode: retrain works on contact history (contacts, events, outcomes); train table models with `leadscore train` and add them with `leadscore models promote`")
        }
        var training = HistoryTraining(source: source, spec: history.spec, gap: history.gap, implicitLostAfter: history.implicitLostAfter,
                                       policy: policy, penalty: champion.l2Search.map { .auto(folds: $0.folds, seed: $0.seed) } ?? .fixed(champion.fit.l2),
                                       rules: champion.rules?.rules)
        switch window {
        case .share(let share): training.holdoutFraction = share
        case .span(let span): training.holdoutSpan = span
        }
        training.asOf = asOf
        training.estimator = history.options?.estimator() ?? LogisticRegression()
        training.allowedLeaks = Set(history.options?.allowedLeaks ?? []).union(allowedLeaks)
        training.bands = champion.bands
        training.eventSigns = champion.eventEffects?.first?.signConstrained ?? true
        training.progress = progress
        let prepared = try training.prepare()
        let examples = prepared.examples
        guard let (_, windowRows) = training.holdoutSplit(examples) else {
            throw InputError(file: training.outcomes, line: nil, message: "\(training.holdoutRule) leaves no decided contacts on one side of \(examples.rows.count): nothing to compare the models on")
        }
        let result = try training.run(prepared: prepared, holdoutExtras: nil)
        guard result.model.holdout != nil else {
            let why = result.notes.first { $0.hasPrefix("no holdout") } ?? "no holdout"
            throw InputError(file: training.outcomes, line: nil, message: "the models cannot be compared: \(why)")
        }
        let challengerData = try result.model.jsonData()
        let (contest, notes) = try measure(champion: champion, history: history, id: championID, challenger: result, id: ContentHash.fnv1a(challengerData),
                                           prepared: prepared, window: windowRows, rule: training.holdoutRule)
        let age = examples.endOfData.seconds - history.endOfData.seconds
        // Missing from the data as of their end: before every decided contact's cutoff and every open lead's moment.
        let seen = prepared.features.eventCounts().merging(prepared.open.eventCounts(), uniquingKeysWith: +)
        let missing = history.vocabulary.kept.filter { seen[$0, default: 0] == 0 }
        let (decision, reason) = decide(contest, age: age, missingEvents: missing, eventsFile: source.events.path)
        var record = RegistryRecord(time: ModelRegistry.timestamp(now()), action: .retrain, decision: decision.rawValue, reason: reason,
                                    previous: championID, current: decision == .published ? contest.challenger.id : championID,
                                    challenger: contest.challenger.id, data: fingerprint(prepared), contest: contest)
        if !dryRun {
            _ = try registry.store(challengerData, path: "the challenger")
            record = try registry.commit(record, expectedCurrent: championID)
        }
        return Outcome(decision: decision, reason: reason, record: record, contest: contest, challenger: result, notes: notes, dryRun: dryRun)
    }

    /// Both models on the window: on its leads decided after the champion's data ended, which neither trained on, when
    /// they hold ``minimumClassCount`` wins and as many losses; otherwise on the whole window, with a note.
    private func measure(champion: LeadModel, history: HistoryInput, id championID: String, challenger result: TrainingResult,
                         id challengerID: String, prepared: HistoryTraining.Prepared, window windowRows: [Int],
                         rule windowRule: String) throws -> (ContestFigures, [String]) {
        let examples = prepared.examples
        let championData = history.endOfData
        let unseen = windowRows.indices.filter { examples.decidedAt[windowRows[$0]] > championData }
        let unseenWins = unseen.filter { examples.won[windowRows[$0]] }.count
        let fair = unseen.count == windowRows.count
            || (unseenWins >= Self.minimumClassCount && unseen.count - unseenWins >= Self.minimumClassCount)
        let measured = fair ? unseen : Array(windowRows.indices)
        let rows = measured.map { windowRows[$0] }
        let labels = rows.map { examples.won[$0] }
        let challengerP = measured.map { result.holdoutPredictions[$0].probability }
        let (championP, championNotes) = try championProbabilities(champion, history: history, prepared: prepared, rows: rows)
        let seen = rows.filter { examples.decidedAt[$0] <= championData }.count
        let decidedAt = rows.map { examples.decidedAt[$0] }
        let rule = windowRule + (measured.count < windowRows.count ? ", decided after the champion's data ended" : "")
        let contest = ContestFigures(
            window: .init(rule: rule, from: decidedAt.min()!.iso8601, to: decidedAt.max()!.iso8601,
                          leads: rows.count, won: labels.filter { $0 }.count, seenByChampion: seen),
            champion: Self.figures(id: championID, probabilities: championP, labels: labels, dataEnd: championData),
            challenger: Self.figures(id: challengerID, probabilities: challengerP, labels: labels,
                                     dataEnd: examples.endOfData),
            delong: Self.paired(challenger: challengerP, champion: championP, labels: labels))
        var notes = championNotes
        if measured.count < windowRows.count {
            notes.append("measured on the \(rows.count) leads of the window decided after \(championData.iso8601), when the champion's data ended; the \(windowRows.count - rows.count) before it, which the champion may have trained on, are left out")
        } else if seen > 0 {
            notes.append("\(seen) of the window's \(rows.count) leads were decided on or before \(championData.iso8601), when the champion's data ended: it may have trained on them, so its figures flatter it (too few leads were decided after it to leave those out)")
        }
        return (contest, notes)
    }

    /// The decision and its reason, in one sentence.
    func decide(_ contest: ContestFigures, age: Int64, missingEvents: [String], eventsFile: String) -> (Decision, String) {
        let champion = contest.champion, challenger = contest.challenger
        let figures = "AUC \(Self.number(challenger.auc)) against \(Self.number(champion.auc)), log loss \(Self.number(challenger.logLoss)) against \(Self.number(champion.logLoss))"
        if challenger.id == champion.id {
            return (.kept, "the challenger is the champion, byte for byte: the same decided leads and the same recipe")
        }
        if force { return (.published, "published by hand (--force): \(figures)") }
        if !missingEvents.isEmpty {
            let names = missingEvents.map { Echo.quoted($0) }.joined(separator: ", ")
            return (.kept, "\(eventsFile) has no \(names) at all, which the champion uses: a broken export or a renamed tracker; fix the data, or publish with --force")
        }
        guard challenger.aucLow > 0.5 else {
            return (.kept, "the challenger learned nothing the window can confirm: its AUC \(Self.number(challenger.auc)) has an interval reaching \(Self.number(challenger.aucLow)), at or below 0.5 (labels shuffled or broken?)")
        }
        let aucOK = challenger.auc >= champion.auc - aucMargin
        let lossOK = challenger.logLoss <= champion.logLoss + logLossMargin
        if aucOK && lossOK {
            if contest.delong.difference > 0, contest.delong.pValue < 0.05 {
                return (.published, "the challenger is better: \(figures) (DeLong p = \(String(format: "%.2g", contest.delong.pValue)))")
            }
            return (.published, "the challenger is not worse: \(figures) (margins \(Self.number(aucMargin)) and \(Self.number(logLossMargin)))")
        }
        let days = age / 86_400
        if age > maxAge.seconds {
            return (.published, "the champion is stale (its data end \(days) days before these, more than --max-age \(maxAge.description)): \(figures)")
        }
        let worse = aucOK ? "its log loss is more than \(Self.number(logLossMargin)) higher" : "its AUC is more than \(Self.number(aucMargin)) lower"
        return (.kept, "the challenger is worse, \(worse): \(figures)")
    }

    /// The champion's probability for each window row, from the features already extracted, with its own frozen
    /// vocabulary and encoding.
    private func championProbabilities(_ champion: LeadModel, history: HistoryInput, prepared: HistoryTraining.Prepared,
                                       rows: [Int]) throws -> (probabilities: [Double], notes: [String]) {
        let contacts = prepared.features.contacts
        // The features already extracted serve when this month's contacts were read as the champion read its own: a
        // profile column it took as numbers still holds numbers, one it took as categories still categories.
        let kinds = Dictionary(contacts.profile.map { ($0.name, $0.isNumeric) }, uniquingKeysWith: { a, _ in a })
        let agree = champion.encoding.recipes.allSatisfy { recipe in
            let field = HistoryFeatures.profileField(ofColumn: recipe.column, spec: history.spec).field
            guard let numeric = kinds[field] else { return true }
            switch recipe.role {
            case .numeric: return numeric
            case .categorical: return !numeric
            case .dropped: return true
            }
        }
        var notes = EncodingNotes()
        if agree {
            let table = try prepared.features.table(vocabulary: history.vocabulary).selectingRows(rows)
            let design = try champion.encoding.design(for: table, labelled: false, notes: &notes)
            return (champion.fit.probabilities(for: design.features), notes.notes.map { "the champion on the window: \($0)" })
        }
        // Otherwise the champion reads the files again, with its own column kinds (a second pass over the events).
        var snapshotting = HistorySnapshot(model: champion, source: source, asOf: prepared.examples.endOfData, policy: policy)
        snapshotting.progress = progress
        let snapshot = try snapshotting.labelled()
        let byID = Dictionary(snapshot.design.ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let ids = rows.map { contacts.ids[Int(prepared.examples.rows[$0])] }
        let found = ids.compactMap { byID[$0] }
        guard found.count == ids.count else {
            throw InputError(file: source.contacts.path, line: nil, message: "the champion reads some profile columns as another kind (numbers or categories) than this month's contacts give, and the window holds contacts counted as lost for want of an outcome, which a second read cannot score as the champion would: record their outcomes, or give the columns their kinds in the feature spec")
        }
        let design = snapshot.design.features.selectingRows(found)
        return (champion.fit.probabilities(for: design),
                ["this month's contacts read some profile columns as another kind (numbers or categories) than the champion did: it was scored on a second read with its own kinds"]
                    + snapshot.notes.map { "the champion on the window: \($0)" })
    }

    /// One model's figures on the window.
    static func figures(id: String, probabilities p: [Double], labels: [Bool], dataEnd: Timestamp) -> ContestFigures.Model {
        let auc = AUCEstimate(scores: p, labels: labels)
        let metrics = BinaryMetrics(scores: p, labels: labels)
        let calibration = CalibrationTable(probabilities: p, labels: labels, bins: 10, strategy: .quantile)
        return ContestFigures.Model(id: id, auc: auc.auc, aucLow: auc.lower, aucHigh: auc.upper, logLoss: metrics.logLoss, brier: metrics.brier,
                                    calibrationError: calibration.expectedCalibrationError,
                                    meanPredicted: p.reduce(0, +) / Double(max(p.count, 1)),
                                    top10Capture: CapacityCapture.top(fraction: 0.1, scores: p, labels: labels).shareOfConversions,
                                    dataEnd: dataEnd.iso8601)
    }

    /// DeLong's paired test, challenger minus champion.
    static func paired(challenger: [Double], champion: [Double], labels: [Bool]) -> ContestFigures.Paired {
        let test = DeLongTest(a: challenger, b: champion, labels: labels)
        return .init(difference: test.difference, z: test.z, pValue: test.pValue)
    }

    /// The files' sizes and end hashes, and the counts of what was read.
    private func fingerprint(_ prepared: HistoryTraining.Prepared) -> DataFingerprint {
        let files = [source.contacts.path, source.events.path] + (source.outcomes.map { [$0.path] } ?? [])
        let end = prepared.examples.endOfData
        return DataFingerprint(files: files.map(Self.fileFingerprint), contacts: prepared.features.contacts.createdAt.filter { $0 <= end }.count,
                               decided: prepared.examples.rows.count, won: prepared.examples.won.filter { $0 }.count,
                               events: prepared.extraction.events, endOfData: prepared.examples.endOfData.iso8601)
    }

    static func fileFingerprint(_ path: String) -> DataFingerprint.File {
        let name = URL(fileURLWithPath: path).lastPathComponent
        // Only a regular file can be read again: a named pipe would wait for a writer that has finished.
        guard (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeRegular,
              let handle = FileHandle(forReadingAtPath: path) else { return .init(name: name, bytes: 0, ends: "not a regular file") }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()).map(Int64.init) ?? 0
        let mebibyte: Int64 = 1 << 20
        var ends = Data()
        try? handle.seek(toOffset: 0)
        ends += (try? handle.read(upToCount: Int(mebibyte))) ?? Data()
        if size > mebibyte {
            try? handle.seek(toOffset: UInt64(max(mebibyte, size - mebibyte)))
            ends += (try? handle.readToEnd()) ?? Data()
        }
        return .init(name: name, bytes: size, ends: ContentHash.fnv1a(ends))
    }

    static func number(_ x: Double) -> String { String(format: "%.3f", x) }
}
