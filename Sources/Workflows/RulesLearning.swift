import Evaluation
import Features
import Foundation
public import LeadData
public import Rules
import Scoring
import Training

/// `leadscore rules learn`: the best short points card for a contact history or a table, in leadscore's rules-file
/// format.
///
/// In history mode one pass over the events counts every event type in the candidate windows (beside the model's
/// features and the team's rules); in table mode a column of whole numbers of 0 or more stands for an event's count
/// (as a table's rules file reads it), and there is no window and no inactivity rule. Candidate rules are what
/// marketing tools express: an event per occurrence (at most 2, 3 or 5 of
/// them, or any number), or once, all time or within 7 to 90 days; inactivity for 7 to 90 days; a profile field
/// equal to a value, in the two to four best or worst values, or above or below a decile. ``PointsCardSearch`` picks
/// the rules, ``PointsRounding`` turns their weights into whole points at `pointsPerDoubling` points per doubling
/// of the odds, and the bands are set where the model's bands fall on the training leads. A card is first learned on
/// the older decided contacts and measured on the most recent ones next to the full model and the team's rules (as
/// `train` measures the model), then learned again on every decided contact; that card is the one written.
public struct RulesLearning: Sendable {
    /// What to learn from, with everything `train` takes: inputs, spec or columns, penalty, holdout, the team's rules
    /// (`rules`), the model's bands.
    public enum Input: Sendable {
        case history(HistoryTraining)
        case table(TableTraining)
    }

    public var input: Input
    /// Rules on the card, besides kept ones.
    public var ruleCount = 8
    /// Points that double the odds of converting (20 by default, as classic credit scorecards have it).
    public var pointsPerDoubling = 20.0
    /// The fewest decided contacts a rule must apply to (nil: 1% of them, at least 20).
    public var minSupport: Int?
    /// Rules to keep (their points refitted) while others are added.
    public var keep: RuleSet?
    /// A name for the card.
    public var name = "learned"

    public static let windows: [Int?] = [nil, 7, 14, 30, 60, 90]
    /// The most examples the search runs on: with more, an evenly spaced sample of them chooses the rules, whose
    /// weights are then fitted on every example (a card's few weights need no more to be chosen well, and the search's
    /// refits grow with the rows).
    public var searchRows = 200_000
    public static let inactivityDays = [7, 14, 30, 60, 90]
    static let caps: [Double?] = [2, 3, 5, nil]

    public init(training: HistoryTraining) {
        input = .history(training)
    }

    public init(table: TableTraining) {
        input = .table(table)
    }

    /// The model's bands, where the card's are set.
    private var modelBands: ModelBands {
        switch input {
        case .history(let training): training.bands
        case .table(let training): training.bands
        }
    }

    public struct Result: Sendable {
        /// The card learned on every decided contact: what to write.
        public var card: RuleSet
        /// The full model's training result, whose holdout comparison holds the card learned on the older contacts
        /// (named "<name> (holdout card)") next to the model and the team's rules.
        public var model: TrainingResult
        /// The training log loss of the best rule set of each size, 0 rules up, before rounding.
        public var lossBySize: [Double]
        /// Candidates considered, and the support they needed.
        public var candidates: Int
        public var minSupport: Int
        /// The ROC AUC of the written card's points on the decided contacts it was learned from (what `compare`
        /// gives the card on the same contacts).
        public var trainingAUC: Double
    }

    /// What is wrong with the options, for a person, or nil.
    public var problem: String? {
        if ruleCount < 1 { return "the card needs at least 1 rule (--count)" }
        if ruleCount > 40 { return "a card of more than 40 rules is no longer a points card (--count)" }
        if !(pointsPerDoubling > 0 && pointsPerDoubling <= 1000) { return "the points per doubling of the odds must be above 0 and at most 1000 (--points-per-doubling)" }
        if let minSupport, minSupport < 1 { return "the minimum support must be at least 1 decided contact (--min-support)" }
        return nil
    }

    public func run() throws -> Result {
        switch input {
        case .history(var training):
            let keptWindows = keep?.events.map(\.windowDays) ?? []
            training.candidateWindows = Self.windows + keptWindows.filter { w in !Self.windows.contains { $0 == w } }
            let prepared = try training.prepare()
            let won = prepared.examples.won
            let support = try supportNeeded(won.count, file: training.source.outcomes?.path ?? "", what: "decided contacts")
            let contacts = prepared.features.contacts
            let candidates = try Self.candidates(prepared, contacts: contacts, minSupport: support)
            let forced = try keep.map { try Self.forced($0, prepared: prepared, contacts: contacts) } ?? []
            return try learn(candidates: candidates, forced: forced, won: won, support: support) { extras in
                try training.run(prepared: prepared, holdoutExtras: extras)
            }
        case .table(let training):
            let (data, won) = try training.decidedRows()
            let support = try supportNeeded(won.count, file: training.table, what: "decided rows")
            let reserved = Set([training.encoding.label, training.encoding.id, training.encoding.weight].compactMap { $0 })
            let candidates = try Self.tableCandidates(data, reserved: reserved, won: won, minSupport: support)
            var forced: [CardCandidate] = []
            if let keep {
                let signals = try RuleSignals.table(data, rules: keep, rulesPath: keep.file ?? "the kept rules")
                forced = keep.signals.indices.map { CardCandidate(kept: keep.signals[$0].rule, values: signals.column($0)) }
            }
            return try learn(candidates: candidates, forced: forced, won: won, support: support) { extras in
                try training.run(holdoutExtras: extras)
            }
        }
    }

    /// The support each rule needs, checked against the examples there are.
    private func supportNeeded(_ examples: Int, file: String, what: String) throws(InputError) -> Int {
        let support = minSupport ?? max(20, examples / 100)
        if support > examples {
            throw InputError(file: file, line: nil, message: "--min-support \(support) is more than the \(examples) \(what): no rule can apply to that many")
        }
        return support
    }

    /// Learns the holdout card (inside `train`, measured with the model) and the card on every example.
    private func learn(candidates: [CardCandidate], forced: [CardCandidate], won: [Bool], support: Int,
                       train: (@escaping HoldoutEvaluation.Extras) throws -> TrainingResult) throws -> Result {
        let search = PointsCardSearch(maxRules: ruleCount)
        var lossBySize: [Double] = []
        let holdoutName = "\(name) (holdout card)"
        let model = try train { trainRows, holdoutRows in
            let card = try card(search: search, candidates: candidates, forced: forced, rows: trainRows, won: won)
            var named = card.rules
            named.name = holdoutName
            return [LeadComparison.RulePoints(rules: named, points: holdoutRows.map { card.points($0) }, calibration: card.rules.calibration)]
        }
        let all = Array(won.indices)
        let final = try card(search: search, candidates: candidates, forced: forced, rows: all, won: won) { lossBySize = $0 }
        let auc = BinaryMetrics(scores: all.map(final.points), labels: won).auc
        return Result(card: final.rules, model: model, lossBySize: lossBySize, candidates: candidates.count, minSupport: support,
                      trainingAUC: auc)
    }

    /// A learned card and the points it gives each example.
    struct Card {
        var rules: RuleSet
        var points: (Int) -> Double
    }

    /// Learns a card on the examples `rows`: search, rounding, calibration and bands from those rows alone.
    private func card(search: PointsCardSearch, candidates: [CardCandidate], forced: [CardCandidate], rows: [Int], won: [Bool],
                      losses: ([Double]) -> Void = { _ in }) throws -> Card {
        let sample = rows.count <= searchRows ? rows : (0..<searchRows).map { rows[$0 * rows.count / searchRows] }
        let bySize = try search.run(candidates: candidates, forced: forced.map(\.values), rows: sample, labels: won)
        losses(bySize.map(\.loss))
        var best = bySize.last!
        let used = forced + best.chosen.map { candidates[$0] }
        let columns = used.map { c in rows.map { c.values[$0] } }
        let y = rows.map { won[$0] ? 1.0 : 0 }
        if sample.count < rows.count {
            // The chosen rules' weights on every example (forced first, then the chosen in order, as `used` holds them).
            let refit = try search.fit(chosen: Array(forced.count..<used.count), columns: columns, forced: Array(columns.prefix(forced.count)), y: y)
            best.intercept = refit.intercept
            best.weights = refit.weights
        }
        let rounding = PointsRounding(pointsPerLogOdds: pointsPerDoubling / log(2))
        let points = rounding.run(weights: best.weights, columns: columns, labels: y)
        // Rules whose points round to nothing are left off (kept rules too: a kept rule worth 0 points says so).
        var events: [EventRule] = [], profile: [ProfileRule] = [], inactivity: InactivityRule?
        var kept: [(candidate: CardCandidate, points: Double)] = []
        for (c, p) in zip(used, points) where p != 0 {
            kept.append((c, Double(p)))
            switch c.rule {
            case .event(let event, let window, let per, let capCount):
                events.append(EventRule(event: event, points: Double(p), per: per, cap: capCount.map { $0 * Double(abs(p)) }, windowDays: window))
            case .profile(var rule):
                rule.points = Double(p)
                profile.append(rule)
            case .inactivity(let days):
                inactivity = InactivityRule(days: days, points: Double(p))
            }
        }
        let total = { (i: Int) in kept.reduce(0.0) { $0 + $1.points * $1.candidate.values[i] } }
        let totals = rows.map(total)
        let calibration = Self.calibration(totals, labels: y)
        var card = RuleSet(name: name, events: events, profile: profile, inactivity: inactivity,
                           bands: bands(totals, calibration: calibration), calibration: calibration)
        card.file = nil
        return Card(rules: card, points: total)
    }

    /// Bands in points where the model's bands fall on these leads: a top share becomes the points of the lead at
    /// that share, a probability the points the calibration gives it.
    private func bands(_ totals: [Double], calibration: PointsCalibration) -> [PointBand] {
        let sorted = totals.sorted(by: >)
        var bands: [PointBand] = []
        for band in modelBands.thresholds {
            let minimum: Double
            switch band.threshold {
            case .topPercent(let percent):
                let k = max(1, Int((Double(sorted.count) * Double(percent) / 100).rounded()))
                minimum = sorted[min(k, sorted.count) - 1]
            case .probability(let p):
                minimum = calibration.perPoint > 0 ? ((log(p / (1 - p)) - calibration.intercept) / calibration.perPoint).rounded(.up) : .infinity
            }
            bands.append(PointBand(name: band.name, minPoints: minimum))
        }
        bands.append(PointBand(name: modelBands.rest, minPoints: nil))
        return bands
    }

    /// Points to probability, `logit p = a + b * points`, by Newton (unpenalised; constant points give the base rate).
    static func calibration(_ points: [Double], labels: [Double]) -> PointsCalibration {
        let n = Double(points.count)
        let rate = labels.reduce(0, +) / n
        var a = log(rate / (1 - rate)), b = 0.0
        for _ in 0..<50 {
            var ga = 0.0, gb = 0.0, haa = 0.0, hab = 0.0, hbb = 0.0
            for i in points.indices {
                let p = 1 / (1 + exp(-(a + b * points[i])))
                let r = labels[i] - p, w = p * (1 - p)
                ga += r; gb += r * points[i]
                haa += w; hab += w * points[i]; hbb += w * points[i] * points[i]
            }
            let det = haa * hbb - hab * hab
            guard det > 1e-12 * max(1, haa * hbb) else { break }
            let da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det
            a += da
            b += db
            if abs(da) + abs(db) < 1e-12 { break }
        }
        return PointsCalibration(intercept: a, perPoint: b)
    }

    // MARK: - Candidates

    /// Every candidate rule that applies to at least `minSupport` examples and to fewer than all but `minSupport`
    /// of them, in a fixed order: events by name and window, then inactivity, then profile fields in file order.
    static func candidates(_ prepared: HistoryTraining.Prepared, contacts: Contacts, minSupport: Int) throws -> [CardCandidate] {
        guard let counter = prepared.candidates else { return [] }
        let n = prepared.examples.rows.count
        var out: [CardCandidate] = []
        var seen = Set<[Double]>()
        func add(_ rule: CardCandidate.Rule, _ values: [Double]) {
            let applies = values.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
            guard applies >= minSupport, applies <= n - minSupport else { return }
            guard seen.insert(values).inserted else { return }  // the same signal as an earlier, simpler rule
            out.append(CardCandidate(rule: rule, values: values))
        }
        let eventNames = prepared.features.eventNames
        for (event, window, counts) in counter.countsByEvent(eventNames: eventNames) where windows.contains(where: { $0 == window }) {
            add(.event(event: event, windowDays: window, per: .once, capCount: nil), counts.map { $0 > 0 ? 1 : 0 })
            for cap in caps {
                add(.event(event: event, windowDays: window, per: .occurrence, capCount: cap), cap.map { c in counts.map { min($0, c) } } ?? counts)
            }
        }
        let quiet = counter.quietSeconds(contacts: contacts)
        for days in inactivityDays {
            add(.inactivity(days: days), quiet.map { $0 >= Int64(days) * 86_400 ? 1 : 0 })
        }
        let rows = prepared.examples.rows
        let labels = prepared.examples.won
        for column in contacts.profile where !prepared.features.spec.profile.exclude.contains(column.name) {
            switch column.values {
            case .categorical(let codes, let levels):
                for r in levelRules(column.name, codes: codes, levels: levels, rows: rows, won: labels) {
                    add(.profile(r), RuleSignals.profileSignal(r, column, rows: rows))
                }
            case .numeric(let values):
                for r in deciles(column.name, rows.map { values[Int($0)] }.filter { !$0.isNaN }) {
                    add(.profile(r), RuleSignals.profileSignal(r, column, rows: rows))
                }
            }
        }
        return out
    }

    /// A table's candidates: a column of whole numbers of 0 or more (more than 1 somewhere) as an event's count,
    /// once or per occurrence; every numeric column above or below a decile; every category as for profile fields.
    /// Signals come from the rules-file scorer itself (``RuleSignals/table(_:rules:rulesPath:)``).
    static func tableCandidates(_ data: Table, reserved: Set<String>, won: [Bool], minSupport: Int) throws -> [CardCandidate] {
        let n = data.rowCount
        var out: [CardCandidate] = []
        var seen = Set<[Double]>()
        func add(_ rule: CardCandidate.Rule) throws {
            let rules: RuleSet
            switch rule {
            case .event(let event, _, let per, let capCount):
                rules = RuleSet(events: [EventRule(event: event, points: 1, per: per, cap: capCount)])
            case .profile(let profile): rules = RuleSet(profile: [profile])
            case .inactivity: return
            }
            let values = try RuleSignals.table(data, rules: rules, rulesPath: "").column(0)
            let applies = values.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
            guard applies >= minSupport, applies <= n - minSupport, seen.insert(values).inserted else { return }
            out.append(CardCandidate(rule: rule, values: values))
        }
        for column in data.columns where !reserved.contains(column.name) {
            switch column.values {
            case .numeric(let values):
                let present = values.filter { !$0.isNaN }
                if !present.isEmpty, present.allSatisfy({ $0 >= 0 && $0 == $0.rounded() }), present.contains(where: { $0 > 1 }) {
                    try add(.event(event: column.name, windowDays: nil, per: .once, capCount: nil))
                    for cap in caps { try add(.event(event: column.name, windowDays: nil, per: .occurrence, capCount: cap)) }
                }
                for rule in deciles(column.name, present) { try add(.profile(rule)) }
            case .categorical(let codes, let levels):
                for rule in levelRules(column.name, codes: codes, levels: levels, rows: nil, won: won) { try add(.profile(rule)) }
            }
        }
        return out
    }

    /// Rules above (at least) and below each decile of a numeric field's values.
    static func deciles(_ field: String, _ values: [Double]) -> [ProfileRule] {
        let present = values.sorted()
        guard present.count >= 10 else { return [] }
        var cuts: [Double] = []
        for d in 1...9 {
            let cut = present[present.count * d / 10]
            if cuts.last != cut { cuts.append(cut) }
        }
        return cuts.flatMap { [ProfileRule(field: field, points: 1, min: $0), ProfileRule(field: field, points: 1, max: $0)] }
    }

    /// Rules on a category: each level alone (in name order), and the two to four best and worst levels together, by
    /// their conversion rates smoothed towards the overall rate (as if each had 10 more leads at it). `rows` maps the
    /// examples to the column's rows (nil when they are the same).
    static func levelRules(_ field: String, codes: [Int32], levels: [String], rows: [Int32]?, won: [Bool]) -> [ProfileRule] {
        var count = [Int](repeating: 0, count: levels.count), wins = [Int](repeating: 0, count: levels.count)
        for k in won.indices {
            let code = codes[Int(rows?[k] ?? Int32(k))]
            guard code >= 0 else { continue }
            count[Int(code)] += 1
            if won[k] { wins[Int(code)] += 1 }
        }
        let rate = Double(won.filter { $0 }.count) / Double(max(1, won.count))
        let present = levels.indices.filter { count[$0] > 0 }
        let smoothed = present.map { (level: $0, rate: (Double(wins[$0]) + 10 * rate) / (Double(count[$0]) + 10)) }
            .sorted { $0.rate != $1.rate ? $0.rate > $1.rate : levels[$0.level] < levels[$1.level] }
        func rule(_ chosen: [Int]) -> ProfileRule {
            chosen.count == 1 ? ProfileRule(field: field, points: 1, equals: levels[chosen[0]])
                : ProfileRule(field: field, points: 1, oneOf: chosen.map { levels[$0] }.sorted())
        }
        var out = present.sorted { levels[$0] < levels[$1] }.map { rule([$0]) }
        if smoothed.count > 3 {
            for k in 2...min(4, smoothed.count - 2) {
                out.append(rule(smoothed.prefix(k).map(\.level)))
                out.append(rule(smoothed.suffix(k).map(\.level)))
            }
        }
        return out
    }

    /// The kept rules as candidates every card holds: their signals counted as the rules file counts them.
    static func forced(_ keep: RuleSet, prepared: HistoryTraining.Prepared, contacts: Contacts) throws -> [CardCandidate] {
        guard let counter = prepared.candidates else { return [] }
        let counts = counter.countsByEvent(eventNames: prepared.features.eventNames)
        let quiet = counter.quietSeconds(contacts: contacts)
        let n = prepared.examples.rows.count
        return try keep.signals.map { signal in
            let values: [Double]
            switch signal.rule {
            case .event(let rule):
                let column = counts.first { $0.event == rule.event && $0.windowDays == rule.windowDays }?.counts ?? [Double](repeating: 0, count: n)
                values = column.map { rule.signal(count: $0) }
            case .profile(let rule):
                guard let column = contacts.column(named: rule.field) else {
                    throw InputError(file: keep.file ?? "the kept rules", line: nil, message: "no profile field \(Echo.quoted(rule.field)) in \(contacts.path)")
                }
                values = RuleSignals.profileSignal(rule, column, rows: prepared.examples.rows)
            case .inactivity(let rule):
                values = quiet.map { $0 >= Int64(rule.days) * 86_400 ? 1 : 0 }
            }
            return CardCandidate(kept: signal.rule, values: values)
        }
    }
}
