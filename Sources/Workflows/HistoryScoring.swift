import Features
public import LeadData
import LinearAlgebra
public import Rules
public import Scoring

/// History mode scoring: every contact created before `asOf`, with features from its events strictly before `asOf`,
/// scored in chunks and handed to a sink.
///
/// Events come in any order, so all of them are read first (``HistorySnapshot`` builds the design matrix as of the
/// time); scoring and writing then go chunk by chunk. Events at or after `asOf` never count. With a rules file, the
/// same pass over the events gives each contact its rule points as of the same moment, so the rules see exactly what
/// the model sees.
public struct HistoryScoring: Sendable {
    public var model: LeadModel
    /// The contacts and events, as the export has them.
    public var source: HistorySource
    /// Only events strictly before this moment count; contacts created at or after it are left out.
    public var asOf: Timestamp
    public var policy: BadRowPolicy
    public var scale: ScoreScale
    public var bands: ModelBands
    /// Reasons to give each way per lead; 0 for none.
    public var reasons: Int
    /// One reason per feature column rather than one per event type (`--explain-detail`).
    public var detailedReasons = false
    public var chunkSize: Int
    /// Rules whose points and band each lead also gets, scored as of `asOf`; nil for none.
    public var rules: RuleSet?
    /// Told how long steps go (reading events, the penalty search, scoring), for a progress line.
    public var progress: ProgressReport?
    /// With outcomes in the source: score only the leads still open at `asOf` (those not decided before it).
    public var openOnly = false
    /// How far `asOf` may lie after the end of the data before the run warns that recency features are stale.
    public static let staleAfter = TimeSpan(seconds: 30 * 86_400)

    public init(model: LeadModel, contacts: String, events: String, asOf: Timestamp, policy: BadRowPolicy = .init(),
                scale: ScoreScale, bands: ModelBands, reasons: Int = 0, chunkSize: Int = 4096, rules: RuleSet? = nil) {
        self.init(model: model, source: HistorySource(contacts: contacts, events: events), asOf: asOf, policy: policy, scale: scale,
                  bands: bands, reasons: reasons, chunkSize: chunkSize, rules: rules)
    }

    public init(model: LeadModel, source: HistorySource, asOf: Timestamp, policy: BadRowPolicy = .init(),
                scale: ScoreScale, bands: ModelBands, reasons: Int = 0, chunkSize: Int = 4096, rules: RuleSet? = nil) {
        self.model = model
        self.source = source
        self.asOf = asOf
        self.policy = policy
        self.scale = scale
        self.bands = bands
        self.reasons = reasons
        self.chunkSize = chunkSize
        self.rules = rules
    }

    /// Scores every contact created before `asOf`, calling `sink` with each chunk of scored leads in contacts-file
    /// order (the array is reused: copy what you keep).
    public func run(_ sink: ([ScoredLead]) throws -> Void) throws -> ScoringSummary {
        precondition(chunkSize >= 1, "chunks hold at least one row")
        var snapshotting = HistorySnapshot(model: model, source: source, asOf: asOf, policy: policy, rules: rules)
        snapshotting.progress = progress
        snapshotting.openOnly = openOnly
        let (snapshot, notYetCreated) = try snapshotting.current()
        let design = snapshot.design
        let scorer = LeadScorer(model: model, scale: scale, bands: bands, detailedReasons: detailedReasons)
        let d = design.features.columns, n = design.features.rows
        let points = snapshot.ruleSignals?.points
        var summary = ScoringSummary(bands: bands, ruleBands: rules?.bands.map(\.name) ?? [])
        summary.notYetCreated = notYetCreated
        summary.alreadyDecided = snapshot.decided
        if let end = snapshot.dataEnd, asOf.seconds - end.seconds > Self.staleAfter.seconds {
            let days = (asOf.seconds - end.seconds) / 86_400
            summary.warnings.append("the data end at \(end.iso8601), \(days) days before the moment scored (\(asOf.iso8601)): every lead looks \(days) days inactive and every recency feature is stale; score as of the data's end with --as-of \(end.iso8601), or export fresh data")
        }
        summary.skipped = snapshot.skipped
        summary.notes = (snapshot.ruleSignals?.unmatchedNotes ?? []) + snapshot.notes + HistorySnapshot.newEventTypeNotes(snapshot.newEventTypes)
        var probabilities = [Double](repeating: 0, count: min(chunkSize, max(n, 1)))
        var leads: [ScoredLead] = []
        try design.features.storage.withUnsafeBufferPointer { storage in
            for start in stride(from: 0, to: n, by: chunkSize) {
                let end = min(n, start + chunkSize)
                scorer.score(rows: UnsafeBufferPointer(rebasing: storage[(start * d)..<(end * d)]), count: end - start,
                             ids: design.ids[start..<end], reasons: reasons, probabilities: &probabilities, into: &leads)
                if let rules, let points {
                    for i in leads.indices {
                        leads[i].rulePoints = points[start + i]
                        leads[i].ruleBand = rules.band(points: points[start + i])
                    }
                }
                summary.count(leads, bands: bands)
                try sink(leads)
            }
        }
        return summary
    }
}
