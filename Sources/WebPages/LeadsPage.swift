import Foundation
import LeadData
import Reports
public import Workflows

/// The open leads, ranked (`/leads`): by the model or by the rules, all of them or one band, a page of
/// ``pageSize`` at a time, with a search by id. Only the rows of one page reach the HTML, so a million open leads
/// cost no more than fifty.
public struct LeadsPage: Sendable {
    /// What the page was asked for, from its query: `order`, `band`, `page` (from 1), `q` (an id or its start).
    public struct Query: Sendable, Equatable {
        public var order: RankingOrder = .model
        public var band: String?
        public var page = 1
        public var search = ""

        public init() {}

        public init(_ form: FormData) {
            order = form["order"] == "rules" ? .rules : .model
            band = form["band"].flatMap { $0.isEmpty ? nil : $0 }
            page = max(1, min(Int(form["page"] ?? "") ?? 1, 1_000_000_000))
            search = form["q"]?.trimmingCharacters(in: .whitespaces) ?? ""
        }

        /// This query's link with some parts changed.
        func link(order: RankingOrder? = nil, band: String?? = nil, page: Int? = nil) -> String {
            var parts: [String] = []
            let order = order ?? self.order
            if order == .rules { parts.append("order=rules") }
            if let band = band ?? self.band { parts.append("band=" + HTML.urlComponent(band)) }
            let page = page ?? self.page
            if page > 1 { parts.append("page=\(page)") }
            return "/leads" + (parts.isEmpty ? "" : "?" + parts.joined(separator: "&"))
        }
    }

    public static let pageSize = 50
    /// Ids a search lists at most.
    public static let searchLimit = 50

    public let ranking: LeadRanking
    public let query: Query
    /// Why the ranking may not be the served model's (it is being re-ranked after a reload), or nil.
    public let stale: String?

    public init(ranking: LeadRanking, query: Query, stale: String? = nil) {
        self.ranking = ranking
        self.query = query
        self.stale = stale
    }

    public var html: HTML {
        let hasRules = !ranking.ruleBands.isEmpty
        let order: RankingOrder = hasRules ? query.order : .model
        var out: HTML = "<h1>Open leads</h1>\n"
        out += "<p>\(NumberFormat.count(ranking.count)) leads still open as of \(ranking.asOf.iso8601), ranked \(order == .model ? "by the model's probability" : "by the rules' points") (highest first).</p>\n"
        if let stale { out += "<p class=\"error\" role=\"status\">\(stale)</p>\n" }
        for warning in ranking.warnings { out += "<p class=\"error\" role=\"status\">\(warning)</p>\n" }
        out += """
            <form class="search" method="get" action="/leads" role="search">
            <div class="field"><label for="q">Find a lead by id (or the start of one)</label><input id="q" name="q" value="\(query.search)" autocomplete="off"></div>
            <button class="primary" type="submit">Find</button>
            </form>

            """
        if !query.search.isEmpty {
            let found = ranking.search(prefix: query.search, limit: Self.searchLimit)
            out += "<h2>Leads whose id starts with “\(query.search)”</h2>\n"
            out += found.isEmpty ? "<p id=\"no-match\">No open lead has an id starting with “\(query.search)”.</p>\n" : table(found, hasRules: hasRules, caption: "\(found.count) open lead\(found.count == 1 ? "" : "s") found\(found.count == Self.searchLimit ? " (the first \(Self.searchLimit))" : "")")
            return out
        }
        if hasRules {
            out += "<nav aria-label=\"Rank by\"><ul class=\"chips\"><li>Rank by</li><li>\(chip("the model", href: query.link(order: .model, band: .some(nil), page: 1), current: order == .model))</li><li>\(chip("the rules", href: query.link(order: .rules, band: .some(nil), page: 1), current: order == .rules))</li></ul></nav>\n"
        }
        let counts = ranking.bandCounts(order: order)
        var chips: [HTML] = ["<li>\(chip("every band (\(NumberFormat.count(ranking.count)))", href: query.link(band: .some(nil), page: 1), current: query.band == nil))</li>"]
        for (band, leads) in counts {
            chips.append("<li>\(chip("\(band) (\(NumberFormat.count(leads)))", href: query.link(band: .some(band), page: 1), current: query.band == band))</li>")
        }
        out += "<nav aria-label=\"\(order == .model ? "Model bands" : "Rule bands")\"><ul class=\"chips\">\(HTML.join(chips))</ul></nav>\n"

        let total = ranking.count(order: order, band: query.band)
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let page = min(query.page, pages)
        let rows = ranking.page(order: order, band: query.band, offset: (page - 1) * Self.pageSize, limit: Self.pageSize)
        let first = total == 0 ? 0 : (page - 1) * Self.pageSize + 1
        out += table(rows, hasRules: hasRules, caption: "Leads \(NumberFormat.count(first)) to \(NumberFormat.count(first + rows.count - (rows.isEmpty ? 0 : 1))) of \(NumberFormat.count(total))")
        var pager: [HTML] = []
        if page > 1 { pager.append("<a href=\"\(query.link(page: page - 1))\" rel=\"prev\">← Previous</a>") }
        pager.append("<span id=\"page\">Page \(NumberFormat.count(page)) of \(NumberFormat.count(pages))</span>")
        if page < pages { pager.append("<a href=\"\(query.link(page: page + 1))\" rel=\"next\">Next →</a>") }
        out += "<nav class=\"pager\" aria-label=\"Pages\">\(HTML.join(pager))</nav>\n"
        if !ranking.notes.isEmpty { out += "<ul class=\"muted\">\(HTML.join(ranking.notes.map { "<li>\($0)</li>" as HTML }))</ul>\n" }
        return out
    }

    private func chip(_ label: String, href: String, current: Bool) -> HTML {
        "<a href=\"\(href)\"\(current ? " aria-current=\"true\"" : "" as HTML)>\(label)</a>"
    }

    private func table(_ rows: [RankedLead], hasRules: Bool, caption: String) -> HTML {
        let ruleHeads: HTML = hasRules ? "<th scope=\"col\" class=\"n\">rule points</th><th scope=\"col\">rule band</th><th scope=\"col\" class=\"n\">rules rank</th>" : ""
        let body = HTML.join(rows.map { lead in
            let rules: HTML = hasRules
                ? "<td class=\"n\">\(lead.rulePoints.map(LeadPage.points) ?? "–")</td><td>\(lead.ruleBand ?? "–")</td><td class=\"n\">\(lead.rulesRank.map(NumberFormat.count) ?? "–")</td>"
                : ""
            return """
                <tr><td class="n">\(NumberFormat.count(lead.modelRank))</td><th scope="row"><a href="/leads/\(HTML.urlComponent(lead.contactID))">\(lead.contactID)</a></th>\
                <td class="n">\(ModelCard.probability(lead.probability))</td><td class="n">\(lead.score)</td><td><span class="band">\(lead.band)</span></td>\(rules)\
                <td class="n">\(NumberFormat.count(lead.events))</td><td>\(lead.lastEvent.map { ModelCard.day($0) } ?? "–")</td></tr>

                """ as HTML
        })
        return """
            <div class="scroll"><table id="leads">
            <caption>\(caption)</caption>
            <thead><tr><th scope="col" class="n">rank</th><th scope="col">contact</th><th scope="col" class="n">probability</th><th scope="col" class="n">score</th><th scope="col">band</th>\(ruleHeads)<th scope="col" class="n">events</th><th scope="col">last event</th></tr></thead>
            <tbody>
            \(body)</tbody></table></div>

            """
    }
}
