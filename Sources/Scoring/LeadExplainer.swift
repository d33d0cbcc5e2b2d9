public import Features
import Foundation
import LeadData
public import Training

/// Explains leads of one model: groups its features by source column once, then turns a lead's row of standardised
/// features into a ``LeadExplanation`` phrased for a person.
///
/// In a history model the features of one event type (its counts in each window, days since last, never seen) are
/// one group, phrased with the lead's own facts ("1 in the last 7 days, last 2 days ago"): they are strongly
/// correlated, so their weights can take opposite signs, and one of them alone ("never seen: 1, +1.93") is no reason a
/// person can follow. The grouped reasons still add up, with the baseline, to the log-odds. `detail` keeps one reason
/// per feature column instead.
///
/// What the lead has is read back from the standardised row (`x = z * scale + mean`), so the same code explains a
/// table row and a history snapshot. A category level that was pooled, or not seen at training, reads as `other`;
/// one whose `other` feature was dropped reads as the reference level, which is how the model sees it.
public struct LeadExplainer: Sendable {
    /// The intercept: the log-odds of the average lead.
    public let baseline: Double
    private let coefficients: [Double]
    private let features: [TableFeature]
    private let groups: [Group]
    /// Each group's place in the order of its column names: the tie-break between equal contributions, as a number.
    private let nameRank: [Int]
    /// The groups' members end to end: group g's features are `memberFeatures[memberStart[g]..<memberStart[g + 1]]`,
    /// so that a lead's contributions are one pass over flat arrays.
    private let memberStart: [Int]
    private let memberFeatures: [Int]

    /// The features of one source column and how to read the lead's value back from them.
    private struct Group: Sendable {
        let column: String
        let kind: Kind
        /// What a typical lead has, phrased once.
        let typical: String

        enum Kind: Sendable {
            /// A number: its value feature (if kept), its missing indicator (if any), whether it was taken as log1p.
            case numeric(value: Int?, missing: Int?, log1p: Bool)
            /// A category: its level features with their level, its `other` feature (if kept), its reference level.
            case categorical(levels: [(feature: Int, level: String)], other: Int?, reference: String)
            /// The features of one event type (or the pooled rare events), each with what it measures.
            case events(parts: [(feature: Int, kind: HistoryColumn.Kind)])
        }
    }

    /// An explainer for `model`'s features and weights: one reason per event type and per profile column, or, with
    /// `detail`, one per feature column.
    public init(model: LeadModel, detail: Bool = false) {
        let log1p = model.history.map { HistoryFeatures.log1pColumns(spec: $0.spec) } ?? []
        var events: [String: HistoryColumn] = [:]
        if let history = model.history, !detail {
            for column in HistoryFeatures.historyColumns(spec: history.spec, vocabulary: history.vocabulary) where column.event != nil {
                events[column.name] = column
            }
        }
        self.init(encoding: model.encoding, fit: model.fit, log1pColumns: log1p, eventColumns: events)
    }

    /// An explainer for an encoding and a fit on its standardised features; `log1pColumns` are feature-table columns
    /// that hold `log1p` of the raw value (shown back in raw units); the features of `eventColumns` (per-event history
    /// columns by name) are grouped by event type.
    public init(encoding: TableEncoding, fit: LogisticFit, log1pColumns: Set<String> = [], eventColumns: [String: HistoryColumn] = [:]) {
        precondition(fit.coefficients.count == encoding.features.count, "one coefficient per feature")
        baseline = fit.intercept
        coefficients = fit.coefficients
        features = encoding.features
        let recipes = Dictionary(encoding.recipes.map { ($0.column, $0) }, uniquingKeysWith: { a, _ in a })
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for (j, feature) in encoding.features.enumerated() {
            let group = eventColumns[feature.column]?.event ?? feature.column
            if members[group] == nil { order.append(group) }
            members[group, default: []].append(j)
        }
        let features = encoding.features
        groups = order.map { column in
            let js = members[column]!
            if let first = eventColumns[features[js[0]].column], first.event == column {
                return Group(column: column, kind: .events(parts: js.map { ($0, eventColumns[features[$0].column]!.kind) }), typical: "")
            }
            let isLog = log1pColumns.contains(column)
            let name = isLog ? HistoryFeatures.field(ofLog1pColumn: column) : column
            if recipes[column]?.role == .categorical {
                var levels: [(Int, String)] = []
                var other: Int?
                for j in js {
                    switch features[j].kind {
                    case .level(let level): levels.append((j, level))
                    case .other: other = j
                    case .value, .missing: break
                    }
                }
                let reference = recipes[column]?.reference ?? "the reference level"
                return Group(column: name, kind: .categorical(levels: levels, other: other, reference: reference),
                             typical: reference)
            }
            let value = js.first { features[$0].kind == .value }
            let typical = value.map { isLog ? "\(DecimalText.readable(expm1(features[$0].mean))) on a log scale"
                                            : DecimalText.readable(features[$0].mean) } ?? "present"
            return Group(column: name,
                         kind: .numeric(value: value, missing: js.first { features[$0].kind == .missing }, log1p: isLog),
                         typical: typical)
        }
        let names = groups.map(\.column)
        var rank = [Int](repeating: 0, count: names.count)
        for (r, g) in names.indices.sorted(by: { names[$0] < names[$1] }).enumerated() { rank[g] = r }
        nameRank = rank
        memberStart = [0] + order.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + members[$1]!.count) }
        memberFeatures = order.flatMap { members[$0]! }
    }

    /// The explanation of a lead from its row of standardised features (the model's feature order): every column.
    public func explain(_ row: UnsafeBufferPointer<Double>) -> LeadExplanation {
        precondition(row.count >= features.count, "a row has \(features.count) features")
        return LeadExplanation(baseline: baseline, reasons: groups.indices.map { reason(for: $0, row, contribution(of: $0, row)) })
    }

    /// The explanation of a lead from its row of standardised features.
    public func explain(_ row: [Double]) -> LeadExplanation {
        row.withUnsafeBufferPointer { explain($0) }
    }

    /// The `k` reasons each way for a lead, as ``LeadExplanation/up(_:)`` and ``LeadExplanation/down(_:)`` give
    /// them, phrasing only those: the scorer's path, much cheaper than a whole explanation when columns are many.
    public func topReasons(_ row: UnsafeBufferPointer<Double>, _ k: Int) -> (up: [LeadReason], down: [LeadReason]) {
        precondition(row.count >= features.count, "a row has \(features.count) features")
        guard k > 0 else { return ([], []) }
        let contributions = groups.indices.map { contribution(of: $0, row) }
        /// The k groups that come first by `before`, ties by column name, among those `keep` takes: a bounded
        /// insertion into at most k slots, since k is small next to the number of columns.
        func top(_ keep: (Double) -> Bool, _ before: (Double, Double) -> Bool) -> [LeadReason] {
            var best: [Int] = []
            best.reserveCapacity(k + 1)
            for g in groups.indices where keep(contributions[g]) && !isTypical(g, row) {
                func precedes(_ a: Int, _ b: Int) -> Bool {
                    contributions[a] != contributions[b] ? before(contributions[a], contributions[b]) : nameRank[a] < nameRank[b]
                }
                if best.count == k, let last = best.last, !precedes(g, last) { continue }
                var at = best.count
                while at > 0, precedes(g, best[at - 1]) { at -= 1 }
                best.insert(g, at: at)
                if best.count > k { best.removeLast() }
            }
            return best.map { reason(for: $0, row, contributions[$0]) }
        }
        return (top({ $0 > 0 }, >), top({ $0 < 0 }, <))
    }

    /// Whether the lead has group `g`'s typical value: a categorical column at its reference (most frequent) level.
    /// Such a value still moves the log-odds against the average lead (the average mixes every level), but "Software
    /// (typical Software)" is no reason a person can act on, so it is never listed.
    /// A number counts when it reads the same as the typical one ("1426 (typical 1426)"), as ``LeadExplanation`` has it.
    private func isTypical(_ g: Int, _ row: UnsafeBufferPointer<Double>) -> Bool {
        func raw(_ j: Int) -> Double { row[j] * features[j].scale + features[j].mean }
        switch groups[g].kind {
        case .events:
            return false
        case .categorical(let levels, let other, _):
            return !levels.contains { raw($0.feature) > 0.5 } && !(other.map { raw($0) > 0.5 } ?? false)
        case .numeric(let value, let missing, _):
            guard let value, !(missing.map { raw($0) > 0.5 } ?? false) else { return false }
            // Shown with at least three significant digits, a value within 2% of the mean is the only kind that can
            // read the same as it: only those are phrased, so the scorer's hot path formats almost nothing.
            guard abs(row[value] * features[value].scale) <= 0.02 * abs(features[value].mean) else { return false }
            let reason = reason(for: g, row, 0)
            return reason.value == reason.typical
        }
    }

    /// What a lead did of one event type, from its feature values: "never", or the occurrences in the shortest window
    /// that has any ("2 in the last 7 days"), all time when there were more ("5 in all"), and when the last one was
    /// ("last 2 days ago"; "over 365 days ago" at the cap). Counts are whole numbers; days are rounded down.
    static func facts(_ values: [(kind: HistoryColumn.Kind, value: Double)]) -> String {
        var allTime: Double?, windows: [(days: Int, count: Double)] = [], days: Double?, cap = 0, never = false
        for (kind, value) in values {
            switch kind {
            case .count(let window?): windows.append((window, value))
            case .count(nil): allTime = value
            case .daysSinceLast(let c): days = value; cap = c
            case .neverSeen: never = value > 0.5
            case .daysSinceCreated, .daysSinceLastActivity, .activeDaysLast30, .distinctEventTypes: break
            }
        }
        let most = max(allTime ?? 0, windows.map(\.count).max() ?? 0)
        if never || (most < 0.5 && (days == nil || days! >= Double(cap))) { return "never" }
        func count(_ x: Double) -> String { String(Int(x.rounded())) }
        var parts: [String] = []
        let shortest = windows.sorted { $0.days < $1.days }.first { $0.count >= 0.5 }
        if let shortest { parts.append("\(count(shortest.count)) in the last \(shortest.days) days") }
        if let allTime, allTime >= 0.5, allTime.rounded() > (shortest?.count ?? 0).rounded() { parts.append("\(count(allTime)) in all") }
        if let days {
            let whole = Int(days.rounded(.down))
            parts.append(days >= Double(cap) ? "last over \(cap) days ago" : whole == 0 ? "last today" : whole == 1 ? "last 1 day ago" : "last \(whole) days ago")
        }
        return parts.isEmpty ? "seen" : parts.joined(separator: ", ")
    }

    /// `sum_j coef_j z_j` over the features of group `g`.
    private func contribution(of g: Int, _ row: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        for k in memberStart[g]..<memberStart[g + 1] {
            let j = memberFeatures[k]
            sum += coefficients[j] * row[j]
        }
        return sum
    }

    /// Group `g`'s reason for a lead: what it has, what is typical, and the contribution.
    private func reason(for g: Int, _ row: UnsafeBufferPointer<Double>, _ contribution: Double) -> LeadReason {
        let group = groups[g]
        func raw(_ j: Int) -> Double { row[j] * features[j].scale + features[j].mean }
        switch group.kind {
        case .events(let parts):
            return LeadReason(column: group.column, value: Self.facts(parts.map { ($0.kind, raw($0.feature)) }), typical: nil,
                              contribution: contribution)
        case .numeric(let value, let missing, let log1p):
            if let missing, raw(missing) > 0.5 {
                return LeadReason(column: group.column, value: "missing", typical: nil, contribution: contribution)
            }
            guard let value else {
                return LeadReason(column: group.column, value: "present", typical: group.typical, contribution: contribution)
            }
            let x = raw(value)
            return LeadReason(column: group.column, value: DecimalText.readable(log1p ? expm1(x) : x), typical: group.typical,
                              contribution: contribution)
        case .categorical(let levels, let other, let reference):
            var level = reference
            if let hit = levels.first(where: { raw($0.feature) > 0.5 }) {
                level = hit.level
            } else if let other, raw(other) > 0.5 {
                level = TableEncoding.otherLevel
            }
            return LeadReason(column: group.column, value: level, typical: group.typical, contribution: contribution)
        }
    }
}
