import Foundation
public import LeadData
import Reports
import Rules
public import Scoring

/// The page of one open lead (`/leads/{id}`): its score with the reasons each way, where it ranks, its profile, and
/// its events on a timeline (newest first; the ones at or after the moment it is scored as of are marked as not
/// counted).
public struct LeadPage: Sendable {
    public var lead: HistoryLead
    public var scored: ScoredLead
    public var asOf: Timestamp
    /// Its place among the open leads by the model and by the rules, and how many there are.
    public var modelRank: Int?
    public var rulesRank: Int?
    public var openLeads: Int
    /// The most events the timeline lists (the newest); the rest are counted.
    public static let timelineLimit = 200

    public init(lead: HistoryLead, scored: ScoredLead, asOf: Timestamp, modelRank: Int?, rulesRank: Int?, openLeads: Int) {
        self.lead = lead
        self.scored = scored
        self.asOf = asOf
        self.modelRank = modelRank
        self.rulesRank = rulesRank
        self.openLeads = openLeads
    }

    public var html: HTML {
        var facts: [HTML] = [
            "<li>Probability<b id=\"probability\" data-value=\"\(String(scored.probability))\">\(ModelCard.probability(scored.probability))</b>of converting</li>",
            "<li>Score<b id=\"score\">\(scored.score)</b>band <span id=\"band\">\(scored.band)</span></li>",
        ]
        if let points = scored.rulePoints {
            facts.append("<li>Rule points<b id=\"rule-points\">\(Self.points(points))</b>band <span id=\"rule-band\">\(scored.ruleBand ?? "–")</span></li>")
        }
        if let modelRank {
            let rules: HTML = rulesRank.map { "; \(NumberFormat.count($0)) by the rules" as HTML } ?? ""
            facts.append("<li>Rank<b id=\"rank\">\(NumberFormat.count(modelRank))</b>of \(NumberFormat.count(openLeads)) open leads by the model\(rules)</li>")
        }
        var profile: [HTML] = []
        for (field, value) in lead.profile.sorted(by: { $0.key < $1.key }) {
            let text: String
            switch value {
            case .missing: text = "missing"
            case .number(let x): text = NumberFormat.general(x, 6)
            case .text(let t): text = t
            }
            profile.append("<tr><th scope=\"row\">\(field)</th><td>\(text)</td></tr>\n")
        }
        return """
            <p><a href="/leads">← Open leads</a></p>
            <h1>Lead \(lead.contactID)</h1>
            <p class="muted">Created \(lead.createdAt.iso8601); scored as of \(asOf.iso8601).</p>
            <ul class="facts">\(HTML.join(facts))</ul>
            \(Self.reasons(scored))\(Self.warnings(scored))<h2>Profile</h2>
            <div class="scroll"><table><caption>The contact's fields as the model reads them</caption><tbody>
            \(HTML.join(profile))</tbody></table></div>
            \(timeline)
            """
    }

    private var timeline: HTML {
        let events = lead.events.sorted { ($0.time, $0.name) > ($1.time, $1.name) }
        guard !events.isEmpty else { return "<h2>Events</h2>\n<p>No events.</p>\n" }
        let counted = events.filter { $0.time < asOf }.count
        var items: [HTML] = []
        for event in events.prefix(Self.timelineLimit) {
            let after = event.time >= asOf
            items.append("<li\(after ? " class=\"after\"" : "" as HTML)><time datetime=\"\(event.time.iso8601)\">\(event.time.iso8601)</time> \(event.name)\(after ? " (not counted: at or after the moment scored)" : "" as HTML)</li>\n")
        }
        let more: HTML = events.count > Self.timelineLimit ? "<p class=\"muted\">… and \(NumberFormat.count(events.count - Self.timelineLimit)) older events.</p>\n" : ""
        return """
            <h2>Events</h2>
            <p class="muted">\(NumberFormat.count(events.count)) events, \(NumberFormat.count(counted)) before the moment scored; newest first.</p>
            <ol class="timeline">
            \(HTML.join(items))</ol>
            \(more)
            """
    }

    /// The reasons each way as two lists: what raises the lead's log-odds above the average lead's, and what lowers
    /// them, each with the lead's value, the typical value and the size in log-odds.
    static func reasons(_ lead: ScoredLead) -> HTML {
        guard !lead.reasonsUp.isEmpty || !lead.reasonsDown.isEmpty else { return "" }
        func list(_ reasons: [LeadReason], id: String) -> HTML {
            guard !reasons.isEmpty else { return "<p class=\"muted\">None.</p>\n" }
            return "<ul id=\"\(id)\">\(HTML.join(reasons.map { r in "<li>\(r.column): <b>\(r.value)</b>\(r.typical.map { " (typical \($0))" as HTML } ?? "") <span class=\"\(r.contribution >= 0 ? "up" : "down")\">\(DecimalText.signedTwoDecimals(r.contribution))</span></li>" as HTML }))</ul>\n"
        }
        return """
            <h2>Why this score</h2>
            <div class="reasons"><div><h3>Raising it</h3>
            \(list(lead.reasonsUp, id: "reasons-up"))</div><div><h3>Lowering it</h3>
            \(list(lead.reasonsDown, id: "reasons-down"))</div></div>
            <p class="muted">Each reason is how far that field moves the lead's log-odds from the average lead's.</p>

            """
    }

    static func warnings(_ lead: ScoredLead) -> HTML {
        guard !lead.warnings.isEmpty else { return "" }
        return "<ul class=\"muted\">\(HTML.join(lead.warnings.map { "<li>\($0)</li>" as HTML }))</ul>\n"
    }

    static func points(_ value: Double) -> String { PointsFormat.points(value) }
}
