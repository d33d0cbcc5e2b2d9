import Features
import LinearAlgebra
import Training

/// The trainer's half of "more of a good thing never hurts": one more event of a type, just now, must move no lead
/// against the type's own effect.
///
/// A type's features move together when one more event happens now: its counts go up, its days since last and its
/// "never seen" flag go down (or stay), and so do the overall activity features. They are strongly correlated, so an
/// unconstrained fit gives them weights of opposite signs, and whether one more event raises or lowers a lead's
/// probability then depends on the lead's history. So: a first fit estimates each type's effect (the log-odds between
/// the average training lead that had the type and the average one that never did, through the type's own features,
/// with a 95% interval from the inverse Hessian: a comparison the data support, unlike "never to once this very
/// second", which stretches the days-since slope over the whole recency cap); each type's features then have their
/// weights held to the sign that agrees with that effect, and
/// so do the overall activity features; the fit is repeated under those constraints when the first one broke any.
/// With every moving feature's weight on the right side, one more event can only move a lead the type's way.
///
/// Every type is held, also one whose interval includes zero: its effect is small either way, and a model that says
/// "one more unsubscribe raises this lead" for a few leads is not trusted for the others. On the shipped sample the
/// constraints cost no holdout accuracy (they act as a little more regularisation). When some types raise and
/// others lower the probability, the overall activity features cannot honestly agree with both and are held at zero:
/// the types' own recency features carry that information.
struct EventSigns {
    /// One event group (a type, or the pooled rare events) with features in the model.
    struct Group {
        var event: String
        /// The average lead that had the type against the average one that never did, through the group's own
        /// features, on the standardised weights.
        var contrast: Contrast
        /// The group's features, each with the way it moves when one more event happens now (+1 or -1).
        var members: [(feature: Int, direction: Int)]
    }

    let groups: [Group]
    /// The overall features that move when any event happens now, with their direction.
    let overall: [(feature: Int, direction: Int)]

    /// The groups of `encoding`'s features under the model's history spec and vocabulary, with each group's effect
    /// measured between the rows of `design` (standardised by `encoding`; only `rows` of it when given) that had the
    /// type and those that did not; nil when no event type has a feature (nothing to constrain).
    init?(encoding: TableEncoding, spec: HistoryFeatureSpec, vocabulary: EventVocabulary, design: Matrix, rows: [Int]? = nil) {
        let columns = Dictionary(HistoryFeatures.historyColumns(spec: spec, vocabulary: vocabulary).map { ($0.name, $0) },
                                 uniquingKeysWith: { a, _ in a })
        var groups: [Group] = [], index: [String: Int] = [:], overall: [(Int, Int)] = []
        var kinds: [[HistoryColumn.Kind]] = []
        for (j, feature) in encoding.features.enumerated() {
            guard feature.kind == .value, let column = columns[feature.column] else { continue }
            let direction = column.directionWithOneMoreEvent
            guard direction != 0 else { continue }
            guard let event = column.event else {
                overall.append((j, direction))
                continue
            }
            if index[event] == nil {
                index[event] = groups.count
                groups.append(Group(event: event, contrast: Contrast(terms: []), members: []))
                kinds.append([])
            }
            let g = index[event]!
            groups[g].members.append((j, direction))
            kinds[g].append(column.kind)
        }
        guard !groups.isEmpty else { return nil }
        for g in groups.indices {
            groups[g].contrast = Self.hadItOrNot(groups[g].members.map(\.feature), kinds: kinds[g], features: encoding.features,
                                                 design: design, rows: rows)
        }
        self.groups = groups
        self.overall = overall
    }

    /// The contrast "mean of each feature over the rows that had the type, minus over those that never did", on the
    /// standardised features; from never to one occurrence now when every row, or none, had it.
    static func hadItOrNot(_ members: [Int], kinds: [HistoryColumn.Kind], features: [TableFeature], design: Matrix,
                           rows: [Int]?) -> Contrast {
        let d = design.columns
        // Row i had the type when its "never seen" is 0, else its all-time count at least 1, else its days since last
        // below the cap: a threshold on one standardised column, worked out once.
        var test: (column: Int, below: Bool, threshold: Double)?
        if let k = kinds.firstIndex(of: .neverSeen) {
            test = (members[k], true, 0.5)
        } else if let k = kinds.firstIndex(of: .count(windowDays: nil)) {
            test = (members[k], false, 0.5)
        } else if let k = kinds.firstIndex(where: { if case .daysSinceLast = $0 { true } else { false } }),
                  case .daysSinceLast(let cap) = kinds[k] {
            test = (members[k], true, Double(cap))
        }
        var sums = [[Double]](repeating: [Double](repeating: 0, count: members.count), count: 2), counts = [0, 0]
        design.storage.withUnsafeBufferPointer { x in
            func add(_ i: Int) {
                var side = 0
                if let test {
                    let raw = x[i * d + test.column] * features[test.column].scale + features[test.column].mean
                    side = (raw < test.threshold) == test.below ? 1 : 0
                }
                counts[side] += 1
                for k in members.indices { sums[side][k] += x[i * d + members[k]] }
            }
            if let rows { for i in rows { add(i) } } else { for i in 0..<design.rows { add(i) } }
        }
        guard counts[0] > 0, counts[1] > 0 else {
            return Contrast(terms: zip(members, kinds).map { j, kind in
                (j, kind.changeFromNeverToOneNow / features[j].scale)
            })
        }
        return Contrast(terms: members.indices.map { k in
            (members[k], sums[1][k] / Double(counts[1]) - sums[0][k] / Double(counts[0]))
        })
    }

    var contrasts: [Contrast] { groups.map(\.contrast) }

    /// The sign constraints that follow from each group's estimated effect (`estimates` in group order; zero counts
    /// as raising), for `features` weights.
    func signs(features: Int, estimates: [ContrastEstimate]) -> [WeightSign] {
        var signs = [WeightSign](repeating: .free, count: features)
        for (group, estimate) in zip(groups, estimates) {
            let raises = estimate.estimate >= 0
            func sign(_ direction: Int) -> WeightSign { (direction > 0) == raises ? .nonNegative : .nonPositive }
            for (j, direction) in group.members { signs[j] = signs[j].and(sign(direction)) }
            for (j, direction) in overall { signs[j] = signs[j].and(sign(direction)) }
        }
        return signs
    }
}
