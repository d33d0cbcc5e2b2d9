public import Foundation
public import Rules

/// A points card as people and marketing tools read it: one line per rule in words ("pricing_page_view in the last
/// 30 days: +15 per occurrence, at most 3"), the bands in points, and how the card maps onto HubSpot's score
/// criteria and Mautic's point actions and triggers; as text, Markdown and CSV.
public struct PointsCardReport: Sendable {
    public let card: RuleSet
    /// Points that double the odds, to say what a point is worth.
    public let pointsPerDoubling: Double
    /// Whether an event rule names a table's count column (table mode) rather than an event type.
    public let countColumns: Bool

    public init(card: RuleSet, pointsPerDoubling: Double, countColumns: Bool = false) {
        self.card = card
        self.pointsPerDoubling = pointsPerDoubling
        self.countColumns = countColumns
    }

    /// One rule in words, and its points as the card gives them.
    public struct Line: Sendable, Equatable {
        public var rule: String
        public var points: String
        /// `event`, `profile` or `inactivity`.
        public var kind: String
        /// The rule's value in points (per occurrence for a per-occurrence rule).
        public var value: Double
    }

    /// The card's rules in words, largest points first (ties in file order).
    public var lines: [Line] {
        var lines: [Line] = []
        for rule in card.events {
            let window = countColumns ? "" : " (" + (rule.windowDays.map { "in the last \($0) days" } ?? "any time") + ")"
            switch rule.per {
            case .once:
                let text = countColumns ? "\(rule.event) above 0" : "\(rule.event) at least once\(window)"
                lines.append(Line(rule: text, points: Self.signed(rule.points), kind: "event", value: rule.points))
            case .occurrence:
                let most = rule.cap.map { cap in ", at most \(PointsFormat.points(cap / abs(rule.points)))" } ?? ""
                lines.append(Line(rule: "\(rule.event)\(window)", points: "\(Self.signed(rule.points)) per \(countColumns ? "unit" : "occurrence")\(most)",
                                  kind: "event", value: rule.points))
            }
        }
        for rule in card.profile {
            let text: String
            if let equals = rule.equals {
                text = "\(rule.field) is \(equals)"
            } else if let oneOf = rule.oneOf {
                text = "\(rule.field) is one of \(oneOf.joined(separator: ", "))"
            } else {
                switch (rule.min, rule.max) {
                case let (lo?, hi?): text = "\(rule.field) from \(PointsFormat.points(lo)) to below \(PointsFormat.points(hi))"
                case let (lo?, nil): text = "\(rule.field) at least \(PointsFormat.points(lo))"
                case let (nil, hi?): text = "\(rule.field) below \(PointsFormat.points(hi))"
                case (nil, nil): text = "\(rule.field) known"
                }
            }
            lines.append(Line(rule: text, points: Self.signed(rule.points), kind: "profile", value: rule.points))
        }
        if let rule = card.inactivity {
            lines.append(Line(rule: "no activity for \(rule.days) days", points: Self.signed(rule.points), kind: "inactivity", value: rule.points))
        }
        return lines.enumerated().sorted { abs($0.element.value) != abs($1.element.value) ? abs($0.element.value) > abs($1.element.value) : $0.offset < $1.offset }
            .map(\.element)
    }

    /// The bands in points: "sales-ready: 80 points or more".
    public var bandLines: [String] {
        card.bands.map { band in
            band.minPoints.map { "\(band.name): \(PointsFormat.points($0)) points or more" } ?? "\(band.name): below that"
        }
    }

    /// What the points mean as a probability, from the card's calibration.
    public var calibrationLine: String? {
        guard let c = card.calibration else { return nil }
        func percent(_ points: Double) -> String { String(format: "%.1f%%", 100 * c.probability(points: points)) }
        return "\(PointsFormat.points(pointsPerDoubling)) points double the odds; 0 points is a \(percent(0)) chance of converting, \(card.bands.first?.minPoints.map { "\(PointsFormat.points($0)) points \(percent($0))" } ?? "")"
    }

    /// The card as text, for the terminal.
    public func text() -> String {
        var table = TextTable(headers: ["rule", "points"], alignments: [.left, .right])
        for line in lines { table.append([line.rule, line.points]) }
        return ([table.render(), ""] + bandLines.map { "  " + $0 } + (calibrationLine.map { ["  " + $0] } ?? [])).joined(separator: "\n")
    }

    /// The card as a Markdown page: the points table, the bands, and how to enter it in HubSpot and Mautic.
    public func markdown() -> String {
        var out = ["# Points card: \(card.name ?? "learned")", ""]
        out.append("| rule | points |")
        out.append("|---|---:|")
        for line in lines { out.append("| \(line.rule) | \(line.points) |") }
        out += ["", "**Bands**", ""] + bandLines.map { "- \($0)" }
        if let calibrationLine { out += ["", calibrationLine + "."] }
        out += ["", "## In HubSpot", "",
                "A score property holds one criterion per rule, with the rule's points: an event rule is an engagement",
                "criterion (its window is the criterion's time frame; \"per occurrence, at most N\" is a criterion counted",
                "each time, with a limit of N times the points), a profile rule a criterion on the contact property, and",
                "the inactivity rule a criterion on the last activity date. Set the score's thresholds at the band",
                "minimums.", ""]
        out += lines.map { "- \($0.rule): \($0.points)" }
        out += ["", "## In Mautic", "",
                "An event rule is a point action with the rule's points (repeatable for a per-occurrence rule, up to its",
                "limit); a profile rule, and the inactivity rule, a campaign action that adjusts the points of the",
                "contacts in a segment built from the rule. Point triggers at the band minimums move contacts into each",
                "band's segment or stage.", ""]
        return out.joined(separator: "\n")
    }

    /// The card as CSV: one row per rule, then the bands.
    public func csv() -> String {
        var rows = ["kind,rule,points"]
        func field(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        for line in lines { rows.append("\(line.kind),\(field(line.rule)),\(field(line.points))") }
        for band in card.bands { rows.append("band,\(field(band.name)),\(band.minPoints.map { PointsFormat.points($0) } ?? "")") }
        return rows.joined(separator: "\n") + "\n"
    }

    static func signed(_ points: Double) -> String {
        (points > 0 ? "+" : "") + PointsFormat.points(points)
    }
}
