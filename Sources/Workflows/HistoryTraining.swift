import Evaluation
public import Features
import Foundation
import LinearAlgebra
public import LeadData
public import Rules
public import Scoring
public import Training

/// History mode, end to end: contacts, events and outcomes in; point-in-time features; a fitted model out.
///
/// Each decided contact is one training example, with features as of `decided_at - gap`. Undecided contacts are left
/// out, unless `implicitLostAfter` is set: then a contact still undecided that long after `created_at`, by the end
/// of the data, counts as lost, decided at `created_at + implicitLostAfter`.
public struct HistoryTraining: Sendable {
    /// The three files, as the export has them.
    public var source: HistorySource
    public var spec: HistoryFeatureSpec
    /// Where `spec` came from (`--spec`), for messages about it; nil for the default spec.
    public var specPath: String?
    public var gap: TimeSpan
    public var implicitLostAfter: TimeSpan?
    public var policy: BadRowPolicy
    public var penalty: TrainingPenalty
    public var estimator: LogisticRegression
    public var createdAt: String?
    /// The share of decided contacts, most recent by `decided_at`, held out to measure the model (0 for none).
    public var holdoutFraction: Double
    /// When set, the holdout is instead every contact decided within this span before the end of the data.
    public var holdoutSpan: TimeSpan?
    /// When set, the data as they were known at this moment: contacts created after it are left out, outcomes
    /// decided after it count as not yet decided, and it is the end of the data (a backtest, or a month replayed).
    public var asOf: Timestamp?
    /// Rules to measure the model against, scored with the same cutoffs (`--rules`).
    public var rules: RuleSet?
    /// Profile columns the user confirmed as known before the outcome, which the leak guard lets through
    /// (`--allow-leak`).
    public var allowedLeaks: Set<String> = []
    /// Told how long steps go (reading events, the penalty search, scoring), for a progress line.
    public var progress: ProgressReport?
    /// The model's bands, and the share of leads sales can call, for the holdout comparison.
    public var bands: ModelBands = .default
    public var capacity: Double = 0.1
    /// The most open leads the check "one more event now" runs on: with more, an evenly spaced sample of them, so
    /// that the pass over events costs about what it would without them.
    public var checkedOpenLeads = 10_000
    /// When set, the pass over events also counts every event type in these windows (days; nil for all time) for each
    /// decided contact, and when each was last active: the raw material of `rules learn`'s candidate rules.
    package var candidateWindows: [Int?]?

    /// Hold each event type with a clear effect to that effect's sign, so that one more event never moves a lead the
    /// other way (see ``EventSigns``); false fits every weight freely (`--event-signs free`).
    public var eventSigns = true

    /// leadscore's own files at these paths.
    public init(contacts: String, events: String, outcomes: String, spec: HistoryFeatureSpec = .init(),
                gap: TimeSpan = TimeSpan(seconds: 0), implicitLostAfter: TimeSpan? = nil, policy: BadRowPolicy = .init(),
                penalty: TrainingPenalty = .fixed(1), estimator: LogisticRegression = .init(), createdAt: String? = nil,
                holdoutFraction: Double = 0.2, rules: RuleSet? = nil) {
        self.init(source: HistorySource(contacts: contacts, events: events, outcomes: outcomes), spec: spec, gap: gap,
                  implicitLostAfter: implicitLostAfter, policy: policy, penalty: penalty, estimator: estimator, createdAt: createdAt,
                  holdoutFraction: holdoutFraction, rules: rules)
    }

    /// The files of `source`, which must name outcomes.
    public init(source: HistorySource, spec: HistoryFeatureSpec = .init(),
                gap: TimeSpan = TimeSpan(seconds: 0), implicitLostAfter: TimeSpan? = nil, policy: BadRowPolicy = .init(),
                penalty: TrainingPenalty = .fixed(1), estimator: LogisticRegression = .init(), createdAt: String? = nil,
                holdoutFraction: Double = 0.2, rules: RuleSet? = nil) {
        precondition(source.outcomes != nil, "training needs outcomes")
        self.holdoutFraction = holdoutFraction
        self.rules = rules
        self.source = source
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
        public var vocabulary: EventVocabulary
        public var features: HistoryFeatures
        public var examples: Examples
        public var skipped: SkippedRows
        /// How long streaming the events took, for throughput figures.
        public var extraction: ExtractionTiming
        /// Things the user should know about the data (not errors).
        public var notes: [String]
        /// Each example's rule signals, when there are rules.
        public var ruleSignals: RuleSignals?
        /// The undecided contacts (those not among the examples), as of the end of the data: the open leads on which
        /// the model's answer to "one more event now" is checked (at most ``HistoryTraining/checkedOpenLeads``, evenly
        /// spaced in file order).
        public var open: HistoryFeatures
        /// How many open leads the data hold.
        public var openLeads: Int
        /// The rules' signals of the open leads in ``open``, when there are rules.
        public var openRuleSignals: RuleSignals?
        /// With ``HistoryTraining/candidateWindows``: every event type's counts in those windows, per example.
        package var candidates: HistoryRuleAccumulator?
        /// The feature-table columns that come from contacts.csv, each with its name there (for the leak guard).
        public var profileColumns: [String: String] = [:]
    }

    /// Reads the three files, streams the events once, and encodes every labelled example.
    public func prepare() throws(InputError) -> Prepared {
        var skipped = SkippedRows()
        let profileKinds = TableReadOptions(categorical: Set(spec.profile.categorical), numeric: Set(spec.profile.numeric),
                                            ignore: Set(spec.profile.exclude))
        let contactList = try Contacts.read(file: source.contacts, options: profileKinds, policy: policy, skipped: &skipped)
        let outcomeList = try source.readOutcomes(contacts: contactList, policy: policy, skipped: &skipped)!
        if implicitLostAfter != nil, skipped.count(inFile: outcomes) > 0 {
            throw InputError(file: outcomes, line: nil, message: "\(skipped.count(inFile: outcomes)) outcome rows were skipped as bad, and counting undecided contacts as lost would count those contacts as lost: fix the rows, or do not count undecided contacts as lost")
        }
        let examples = labelledExamples(contactList, outcomeList)
        var notes: [String] = []
        let beforeCreation = examples.rows.indices.filter { examples.cutoffs[$0] <= contactList.createdAt[Int(examples.rows[$0])] }.count
        if beforeCreation > 0 {
            notes.append("\(beforeCreation) of \(examples.rows.count) decided contacts have their cutoff (decided_at minus the gap) at or before created_at, so no event of theirs can count: check --gap")
        }
        guard !examples.rows.isEmpty else {
            throw InputError(file: outcomes, line: nil, message: "no decided contacts to learn from (every outcome row was skipped, or the file is empty)")
        }
        let clock = ContinuousClock(), start = clock.now
        var ruleAccumulator = rules.map { HistoryRuleAccumulator(rules: $0, rows: examples.rows, cutoffs: examples.cutoffs,
                                                                 contacts: contactList.count) }
        // The open leads ride along in the same pass, as of the end of the data: at most `checkedOpenLeads` of them,
        // evenly spaced, so that the pass costs about what it did without them.
        var isExample = [Bool](repeating: false, count: contactList.count)
        for c in examples.rows { isExample[Int(c)] = true }
        let allOpen = (0..<Int32(contactList.count)).filter { !isExample[Int($0)] && contactList.createdAt[Int($0)] <= examples.endOfData }
        let openRows = allOpen.count <= checkedOpenLeads ? allOpen
            : (0..<checkedOpenLeads).map { allOpen[$0 * allOpen.count / checkedOpenLeads] }
        var candidates = candidateWindows.map { windows in
            HistoryRuleAccumulator(rules: RuleSet(events: windows.map { EventRule(event: "", points: 1, windowDays: $0) }),
                                   rows: examples.rows, cutoffs: examples.cutoffs, contacts: contactList.count)
        }
        let openCutoffs = Array(repeating: examples.endOfData, count: openRows.count)
        var openBuilder = HistoryFeatures.Builder(spec: spec, contacts: contactList, rows: openRows, cutoffs: openCutoffs)
        var openRuleAccumulator = rules.map { HistoryRuleAccumulator(rules: $0, rows: openRows, cutoffs: openCutoffs, contacts: contactList.count) }
        let features: HistoryFeatures, eventNames: [String]
        if let aggregator = source.aggregator {
            // --pushdown: the database aggregates every row's events at its cutoff, in every window anyone counts in.
            var windows = Set(HistoryFeatures.windowSeconds(spec: spec))
            for accumulator in [ruleAccumulator, candidates].compactMap({ $0 }) { windows.formUnion(accumulator.windowSeconds) }
            let aggregates = try aggregator.aggregate(events: source.events, contacts: contactList, rows: examples.rows + openRows,
                                                      cutoffs: examples.cutoffs + openCutoffs, windows: windows.sorted())
            features = HistoryFeatures.accumulate(spec: spec, contacts: contactList, aggregates: aggregates, rows: examples.rows, cutoffs: examples.cutoffs)
            ruleAccumulator?.add(aggregates)
            openBuilder.add(aggregates)
            openRuleAccumulator?.add(aggregates)
            candidates?.add(aggregates)
            eventNames = aggregates.eventNames
            notes += HistorySource.readingNotes(contacts: contactList, outcomes: outcomeList, events: nil)
        } else {
            let reader = try EventReader(file: source.events, early: source.earlyEvents)
            reader.progress = progress
            features = try HistoryFeatures.accumulate(spec: spec, contacts: contactList, events: reader, rows: examples.rows,
                                                      cutoffs: examples.cutoffs, policy: policy, skipped: &skipped,
                                                      observe: { batch in
                                                          ruleAccumulator?.add(batch)
                                                          openBuilder.add(batch)
                                                          openRuleAccumulator?.add(batch)
                                                          candidates?.add(batch)
                                                      })
            eventNames = reader.eventNames
            notes += HistorySource.readingNotes(contacts: contactList, outcomes: outcomeList, events: reader)
        }
        let open = openBuilder.finished(eventNames: eventNames)
        let extraction = ExtractionTiming(events: features.eventsRead, bytes: features.bytesRead, seconds: (clock.now - start).seconds)
        let (encoding, design, vocabulary) = try encode(features, examples: examples, learnFrom: nil)
        let ruleSignals = try ruleAccumulator?.signals(eventNames: eventNames, contacts: contactList)
        let openRuleSignals = try openRuleAccumulator?.signals(eventNames: eventNames, contacts: contactList)
        notes += ruleSignals?.unmatchedNotes ?? []
        notes += unseenSpecEventNotes(vocabulary)
        var profileColumns: [String: String] = [:]
        for column in contactList.profile { profileColumns[column.name] = column.name; profileColumns[HistoryFeatures.log1pName(column.name)] = column.name }
        return Prepared(encoding: encoding, design: design, vocabulary: vocabulary, features: features,
                        examples: examples, skipped: skipped, extraction: extraction, notes: notes, ruleSignals: ruleSignals,
                        open: open, openLeads: allOpen.count, openRuleSignals: openRuleSignals, candidates: candidates,
                        profileColumns: profileColumns)
    }

    /// Vocabulary and encoding learned from the rows in `learnFrom` (all when nil); the design matrix of every row.
    private func encode(_ features: HistoryFeatures, examples: Examples,
                        learnFrom subset: [Int]?) throws(InputError) -> (TableEncoding, DesignMatrix, EventVocabulary) {
        let vocabulary = features.learnVocabulary(rows: subset)
        let table = try features.table(vocabulary: vocabulary, labels: examples.won)
        // Besides the features, the table holds only the contact id and the label.
        guard table.columns.count > 2 else {
            throw InputError(file: specPath ?? "the default feature spec", line: nil,
                             message: "the spec yields no features (\(features.whyNoFeatures(vocabulary: vocabulary))): switch on some \"per_event\" or \"overall\" features, or stop excluding profile columns")
        }
        let options = TableEncodingOptions(label: HistoryFeatures.labelColumn, positive: "1", id: HistoryFeatures.idColumn,
                                           minLevelCount: spec.profile.minLevelCount)
        let encoding = try TableEncoding.fit(subset.map { table.selectingRows($0) } ?? table, options: options)
        return (encoding, try encoding.design(for: table), vocabulary)
    }

    /// The outcomes file's path, for messages.
    var outcomes: String { source.outcomes?.path ?? "" }

    /// Trains and returns the model (not yet written anywhere), after measuring it on the holdout.
    public func run() throws -> TrainingResult {
        try run(prepared: nil, holdoutExtras: nil)
    }

    /// As ``run()``, from inputs already prepared (with what `rules learn` asked for), measuring `holdoutExtras` too.
    func run(prepared given: Prepared?, holdoutExtras: HoldoutEvaluation.Extras?) throws -> TrainingResult {
        let clock = ContinuousClock()
        let start = clock.now
        let prepared = try given ?? prepare()
        let leakGuard = LeakGuard(columns: prepared.profileColumns, allowed: allowedLeaks)
        try leakGuard.check(prepared.design, encoding: prepared.encoding)
        let prepareSeconds = (clock.now - start).seconds
        let fitter = ModelFitter(penalty: penalty, estimator: estimator, progress: progress)
        let (holdout, predictions, holdoutNote) = try evaluateOnHoldout(prepared, fitter: fitter, extras: holdoutExtras)
        // Freely fitted too, the event types' effects are estimated (in the same fit) for the check on open leads.
        let signs = EventSigns(encoding: prepared.encoding, spec: spec, vocabulary: prepared.vocabulary, design: prepared.design.features)
        let fitted = try fitter.fit(prepared.design, source: URL(fileURLWithPath: outcomes).lastPathComponent, eventSigns: signs,
                                    holdSigns: eventSigns)
        let tooGood = try leakGuard.checkHoldout(holdout, fit: fitted.fit, features: prepared.encoding.features)
        var history = HistoryInput(spec: spec, vocabulary: prepared.vocabulary, gap: gap,
                                   implicitLostAfter: implicitLostAfter, endOfData: prepared.examples.endOfData)
        history.options = TrainingOptions(estimator: estimator, allowedLeaks: allowedLeaks)
        var model = LeadModel(encoding: prepared.encoding, fit: fitted.fit, trainingData: fitted.summary,
                              l2Search: fitted.search, createdAt: createdAt ?? prepared.examples.endOfData.iso8601,
                              history: history, scoreScale: ScoreScale(trainingProbabilities: fitted.fit.probabilities(for: prepared.design.features)),
                              bands: bands)
        model.holdout = holdout
        model.rules = try prepared.ruleSignals.map { try RulesFitter().fit($0, labels: prepared.examples.won) }
        let openDesign = prepared.open.rows.isEmpty ? nil
            : try prepared.encoding.design(for: try prepared.open.table(vocabulary: prepared.vocabulary), labelled: false)
        model.eventEffects = try eventEffects(fitted, prepared: prepared, openDesign: openDesign)
        model.reference = reference(fitted.fit, prepared: prepared, openDesign: openDesign)
        return TrainingResult(model: model, prepareSeconds: prepareSeconds, fitSeconds: fitted.fitSeconds,
                              searchSeconds: fitted.searchSeconds, skipped: prepared.skipped, holdoutPredictions: predictions,
                              extraction: prepared.extraction, notes: prepared.notes + [holdoutNote, fitted.search?.widened, tooGood,
                                                               fitted.summary.rarerClassNote(l2: fitted.fit.l2)].compactMap { $0 })
    }

    /// Fits on the older examples alone (vocabulary, encoding and penalty included) and scores the most recent ones.
    /// The holdout's rows (example indices, each list in file order): the most recent `holdoutFraction` by
    /// `decided_at`, and the rest; nil when the fraction is 0 or leaves a side empty.
    func holdoutSplit(_ examples: Examples) -> (train: [Int], holdout: [Int])? {
        let n = examples.rows.count
        let byDecision = (0..<n).sorted { (examples.decidedAt[$0], $0) < (examples.decidedAt[$1], $1) }
        let held: Int
        if let span = holdoutSpan {
            let start = examples.endOfData.seconds - span.seconds
            held = byDecision.reversed().prefix { examples.decidedAt[$0].seconds > start }.count
        } else {
            held = Int((Double(n) * holdoutFraction).rounded(.up))
            guard holdoutFraction > 0 else { return nil }
        }
        guard held >= 1, held < n else { return nil }
        return (Array(byDecision.prefix(n - held)).sorted(), Array(byDecision.suffix(held)).sorted())
    }

    /// The holdout's rule, in words.
    var holdoutRule: String {
        if let span = holdoutSpan { return "the contacts decided in the last \(span.description) of the data" }
        return "the most recent \(Int((holdoutFraction * 100).rounded()))% of decided contacts by decided_at"
    }

    private func evaluateOnHoldout(_ prepared: Prepared, fitter: ModelFitter,
                                   extras: HoldoutEvaluation.Extras?) throws -> (HoldoutSummary?, [HoldoutPrediction], String?) {
        let examples = prepared.examples
        let n = examples.rows.count
        guard holdoutFraction > 0 || holdoutSpan != nil else { return (nil, [], nil) }
        guard let (trainRows, holdoutRows) = holdoutSplit(examples) else {
            return (nil, [], "no holdout: \(holdoutRule) leaves no rows on one side of \(n) decided contacts")
        }
        let held = holdoutRows.count
        let bothClasses = { (rows: [Int]) in rows.filter { examples.won[$0] }.count >= 2 && rows.filter { !examples.won[$0] }.count >= 2 }
        guard bothClasses(holdoutRows), bothClasses(trainRows) else {
            return (nil, [], "no holdout: the most recent \(held) or the older \(n - held) decided contacts hold fewer than two wins or two losses")
        }
        if let note = fitter.holdoutShortfallNote(trainRows.map { examples.won[$0] ? 1 : 0 }, part: "the older \(n - held) decided contacts") {
            return (nil, [], note)
        }
        let (encoding, design, vocabulary) = try encode(prepared.features, examples: examples, learnFrom: trainRows)
        let signs = eventSigns ? EventSigns(encoding: encoding, spec: spec, vocabulary: vocabulary,
                                            design: design.features, rows: trainRows) : nil
        let outcome = try HoldoutEvaluation(fitter: fitter, bands: bands, capacity: capacity)
            .run(design: design, trainRows: trainRows, holdoutRows: holdoutRows, signals: prepared.ruleSignals, eventSigns: signs,
                 extras: try extras?(trainRows, holdoutRows) ?? [])
        let p = outcome.probabilities
        let summary = HoldoutSummary(
            rule: holdoutRule,
            trainingRows: trainRows.count, decidedFrom: holdoutRows.map { examples.decidedAt[$0] }.min()!,
            decidedTo: holdoutRows.map { examples.decidedAt[$0] }.max()!,
            model: BinaryMetrics(scores: p, labels: outcome.labels), comparison: outcome.comparison)
        let predictions = holdoutRows.enumerated().map { k, row in
            HoldoutPrediction(contactID: prepared.features.contacts.ids[Int(examples.rows[row])],
                              decidedAt: examples.decidedAt[row], won: examples.won[row], probability: p[k])
        }
        // The split is by (decided_at, file order): the latest training row and the earliest held-out one meet there.
        let tied = trainRows.map { examples.decidedAt[$0] }.max() == holdoutRows.map { examples.decidedAt[$0] }.min()
        return (summary, predictions, tied ? "the holdout boundary falls among contacts decided at the same instant; ties were split in file order" : nil)
    }

    /// Per event group of the model: its effect, and how many open leads one more event of it, just now, would move
    /// against that effect's sign (the open leads as of the end of the data; each group's first event type stands for it).
    private func eventEffects(_ fitted: ModelFitter.Fitted, prepared: Prepared, openDesign: DesignMatrix?) throws -> [EventEffect]? {
        guard !fitted.eventEffects.isEmpty else { return nil }
        let fit = fitted.fit, vocabulary = prepared.vocabulary
        let open = prepared.open
        func logOdds(_ features: HistoryFeatures) throws -> [Double] {
            let design = try prepared.encoding.design(for: try features.table(vocabulary: vocabulary), labelled: false)
            return fit.logOdds(for: design.features)
        }
        let before = openDesign.map { fit.logOdds(for: $0.features) } ?? []
        return try fitted.eventEffects.map { effect in
            var against = 0
            let name = effect.event == HistoryFeatureSpec.rareEventsName ? vocabulary.pooled.first ?? effect.event : effect.event
            let raises = effect.free.estimate >= 0
            if !open.rows.isEmpty {
                let after = try logOdds(open.addingOneEventNow(of: name))
                let sign = raises ? 1.0 : -1.0
                against = zip(before, after).filter { sign * ($1 - $0) < -1e-9 }.count
            }
            let interval = effect.final.interval
            return EventEffect(event: effect.event, effect: effect.final.estimate, low: interval?.lowerBound, high: interval?.upperBound,
                               direction: raises ? "raises" : "lowers", clear: effect.free.isClear,
                               signConstrained: eventSigns, openLeads: open.rows.count, openLeadsInData: prepared.openLeads,
                               movedAgainst: against)
        }
    }

    /// The fewest open leads the reference distributions are taken from; with fewer, the training leads stand in.
    static let minimumReferenceLeads = 100

    /// The distributions `monitor` compares later leads with: those of the open leads at the end of the data (the
    /// leads the model is made to score, as ``checkedOpenLeads`` samples them), or of the training leads when too few
    /// are open.
    private func reference(_ fit: LogisticFit, prepared: Prepared, openDesign: DesignMatrix?) -> ReferenceDistributions {
        if let openDesign, openDesign.features.rows >= Self.minimumReferenceLeads {
            let sampled = prepared.openLeads > openDesign.features.rows ? ", evenly spaced among \(prepared.openLeads)" : ""
            return ReferenceDistributions(population: "\(openDesign.features.rows) open leads as of the end of the training data (\(prepared.examples.endOfData.iso8601))\(sampled)",
                                          encoding: prepared.encoding, design: openDesign.features,
                                          probabilities: fit.probabilities(for: openDesign.features), ruleSignals: prepared.openRuleSignals)
        }
        return ReferenceDistributions(population: "the \(prepared.examples.rows.count) training leads, each as of its cutoff (fewer than \(Self.minimumReferenceLeads) leads were open at the end of the data)",
                                      encoding: prepared.encoding, design: prepared.design.features,
                                      probabilities: fit.probabilities(for: prepared.design.features), ruleSignals: prepared.ruleSignals)
    }

    /// One note per spec list ("events", "exclude_events") naming event types that no decided contact has before
    /// its cutoff: usually a misspelling, which would otherwise just give fewer features without a word.
    func unseenSpecEventNotes(_ vocabulary: EventVocabulary) -> [String] {
        let file = specPath.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "the feature spec"
        return [("events", spec.events ?? []), ("exclude_events", spec.excludeEvents)].compactMap { key, names in
            let unseen = names.filter { vocabulary.counts[$0, default: 0] == 0 }
            guard !unseen.isEmpty else { return nil }
            let list = unseen.map { "\(Echo.quoted($0))" }.joined(separator: ", ")
            return "\(file): \"\(key)\" names event types that no decided contact has before its cutoff: \(list) (check the spelling against events.csv)"
        }
    }

    /// Decided contacts (and, if asked, implicit losses), in contacts-file order.
    func labelledExamples(_ contacts: Contacts, _ outcomes: Outcomes) -> Examples {
        let byContact = outcomes.byContact(count: contacts.count)
        var end = contacts.createdAt.max() ?? Timestamp(seconds: 0)
        if let latest = outcomes.decidedAt.max(), latest > end { end = latest }
        if let asOf { end = asOf }
        var examples = Examples(rows: [], cutoffs: [], won: [], decidedAt: [], implicitLosses: 0, endOfData: end)
        for c in 0..<contacts.count where contacts.createdAt[c] <= end {
            let decided: Timestamp, won: Bool
            if byContact[c] >= 0, outcomes.decidedAt[Int(byContact[c])] <= end {
                decided = outcomes.decidedAt[Int(byContact[c])]
                won = outcomes.won[Int(byContact[c])]
            } else if let span = implicitLostAfter, case let (due, overflow) = contacts.createdAt[c].seconds.addingReportingOverflow(span.seconds),
                      !overflow, due <= end.seconds {
                decided = Timestamp(seconds: due)
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
