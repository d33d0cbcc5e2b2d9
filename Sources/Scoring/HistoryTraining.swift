import Features
import Foundation
import LeadData
import Training

/// History mode, end to end: contacts, events and outcomes in; point-in-time features; a fitted model out.
///
/// Each decided contact is one training example, with features as of `decided_at - gap`. Undecided contacts are left
/// out, unless `implicitLostAfter` is set: then a contact still undecided that long after `created_at`, by the end
/// of the data, counts as lost, decided at `created_at + implicitLostAfter`.
public struct HistoryTraining: Sendable {
    public var contacts: String
    public var events: String
    public var outcomes: String
    public var spec: HistoryFeatureSpec
    public var gap: TimeSpan
    public var implicitLostAfter: TimeSpan?
    public var policy: BadRowPolicy
    public var penalty: TrainingPenalty
    public var estimator: LogisticRegression
    public var createdAt: String?

    public init(contacts: String, events: String, outcomes: String, spec: HistoryFeatureSpec = .init(),
                gap: TimeSpan = TimeSpan(seconds: 0), implicitLostAfter: TimeSpan? = nil, policy: BadRowPolicy = .init(),
                penalty: TrainingPenalty = .fixed(1), estimator: LogisticRegression = .init(), createdAt: String? = nil) {
        self.contacts = contacts
        self.events = events
        self.outcomes = outcomes
        self.spec = spec
        self.gap = gap
        self.implicitLostAfter = implicitLostAfter
        self.policy = policy
        self.penalty = penalty
        self.estimator = estimator
        self.createdAt = createdAt
    }

    /// The labelled examples: contact indices in file order, each with its cutoff and outcome.
    public struct Examples: Sendable {
        public var rows: [Int32]
        public var cutoffs: [Timestamp]
        public var won: [Bool]
        public var decidedAt: [Timestamp]
        /// How many of the losses are implicit (undecided too long).
        public var implicitLosses: Int
        public var endOfData: Timestamp
    }

    /// What reading and encoding produced.
    public struct Prepared: Sendable {
        public var encoding: TableEncoding
        public var design: DesignMatrix
        public var features: HistoryFeatures
        public var examples: Examples
        public var skipped: SkippedRows
    }

    /// Reads the three files and builds the design matrix exactly as the trainer sees it.
    public func prepare() throws(InputError) -> Prepared {
        var skipped = SkippedRows()
        let profileKinds = TableReadOptions(categorical: Set(spec.profile.categorical), numeric: Set(spec.profile.numeric),
                                            ignore: Set(spec.profile.exclude))
        let contactList = try Contacts.read(path: contacts, options: profileKinds, policy: policy, skipped: &skipped)
        let outcomeList = try Outcomes.read(path: outcomes, contacts: contactList, policy: policy, skipped: &skipped)
        let examples = labelledExamples(contactList, outcomeList)
        guard !examples.rows.isEmpty else {
            throw InputError(file: outcomes, line: nil, message: "no decided contacts to learn from (every outcome row was skipped, or the file is empty)")
        }
        let reader = try EventReader(path: events)
        let features = try HistoryFeatures.build(spec: spec, contacts: contactList, events: reader, rows: examples.rows,
                                                 cutoffs: examples.cutoffs, labels: examples.won, policy: policy, skipped: &skipped)
        let options = TableEncodingOptions(label: HistoryFeatures.labelColumn, positive: "1", id: HistoryFeatures.idColumn,
                                           minLevelCount: spec.profile.minLevelCount)
        let encoding = try TableEncoding.fit(features.table, options: options)
        let design = try encoding.design(for: features.table)
        return Prepared(encoding: encoding, design: design, features: features, examples: examples, skipped: skipped)
    }

    /// Trains and returns the model (not yet written anywhere).
    public func run() throws -> TrainingResult {
        let clock = ContinuousClock()
        let start = clock.now
        let prepared = try prepare()
        let prepareSeconds = (clock.now - start).seconds
        let fitted = try ModelFitter(penalty: penalty, estimator: estimator)
            .fit(prepared.design, source: URL(fileURLWithPath: outcomes).lastPathComponent)
        let history = HistoryInput(spec: spec, vocabulary: prepared.features.vocabulary, gap: gap,
                                   implicitLostAfter: implicitLostAfter, endOfData: prepared.examples.endOfData)
        let model = LeadModel(encoding: prepared.encoding, fit: fitted.fit, trainingData: fitted.summary,
                              l2Search: fitted.search, createdAt: createdAt ?? prepared.examples.endOfData.iso8601,
                              history: history)
        return TrainingResult(model: model, prepareSeconds: prepareSeconds, fitSeconds: fitted.fitSeconds,
                              searchSeconds: fitted.searchSeconds, skipped: prepared.skipped)
    }

    /// Decided contacts (and, if asked, implicit losses), in contacts-file order.
    func labelledExamples(_ contacts: Contacts, _ outcomes: Outcomes) -> Examples {
        let byContact = outcomes.byContact(count: contacts.count)
        var end = contacts.createdAt.max() ?? Timestamp(seconds: 0)
        if let latest = outcomes.decidedAt.max(), latest > end { end = latest }
        var examples = Examples(rows: [], cutoffs: [], won: [], decidedAt: [], implicitLosses: 0, endOfData: end)
        for c in 0..<contacts.count {
            let decided: Timestamp, won: Bool
            if byContact[c] >= 0 {
                decided = outcomes.decidedAt[Int(byContact[c])]
                won = outcomes.won[Int(byContact[c])]
            } else if let span = implicitLostAfter, contacts.createdAt[c].seconds + span.seconds <= end.seconds {
                decided = Timestamp(seconds: contacts.createdAt[c].seconds + span.seconds)
                won = false
                examples.implicitLosses += 1
            } else {
                continue
            }
            examples.rows.append(Int32(c))
            examples.cutoffs.append(Timestamp(seconds: decided.seconds - gap.seconds))
            examples.won.append(won)
            examples.decidedAt.append(decided)
        }
        return examples
    }
}
