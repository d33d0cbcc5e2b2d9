import Features
import Foundation
public import Scoring

/// What a person types into the "score a lead" form: the lead's id, creation time, the moment to score it as of,
/// its profile fields and rows of events. It becomes exactly the JSON body of `POST /v1/score`
/// (``requestBody(profileFields:)``), so the form's answer is the API's answer, and the page can show the `curl`
/// command that asks the same.
public struct LeadForm: Sendable, Equatable {
    public var contactID = "web-form"
    public var createdAt = ""
    /// Empty: now.
    public var asOf = ""
    public var reasons = 5
    /// Field name to what was typed (empty fields are left out of the request: missing).
    public var profile: [String: String] = [:]
    public var events: [Event] = []

    public struct Event: Sendable, Equatable {
        public var type: String
        public var time: String
        public init(type: String, time: String) {
            self.type = type
            self.time = time
        }
    }

    /// The reasons each way a form may ask for.
    public static let reasonChoices = [0, 3, 5, 10]
    /// Rows of events the form takes; more is a request for the API.
    public static let maxEvents = 500

    public init() {}

    /// The form as posted. Rows with neither a type nor a time are dropped; profile fields are `profile.NAME`.
    public init(_ form: FormData) {
        contactID = form["contact_id"] ?? contactID
        createdAt = form["created_at"]?.trimmingCharacters(in: .whitespaces) ?? ""
        asOf = form["as_of"]?.trimmingCharacters(in: .whitespaces) ?? ""
        if let k = form["explain"].flatMap({ Int($0) }), Self.reasonChoices.contains(k) { reasons = k }
        for (name, value) in form.pairs where name.hasPrefix("profile.") {
            profile[String(name.dropFirst("profile.".count))] = value
        }
        let types = form.all("event_type"), times = form.all("event_time")
        for i in 0..<min(max(types.count, times.count), Self.maxEvents) {
            let type = i < types.count ? types[i].trimmingCharacters(in: .whitespaces) : ""
            let time = i < times.count ? times[i].trimmingCharacters(in: .whitespaces) : ""
            if !type.isEmpty || !time.isEmpty { events.append(Event(type: type, time: time)) }
        }
    }

    /// The `POST /v1/score` body: every profile field typed (as text: the server reads text in a numeric field as
    /// the contacts file would), the events as typed, `as_of` when given. Only the model's `profileFields` are sent.
    public func requestBody(profileFields: [String]) -> [UInt8] {
        var out = Array(#"{"contact_id":"#.utf8)
        ScoredLeadFormatter.appendJSONString(contactID, to: &out)
        out += Array(#","created_at":"#.utf8)
        ScoredLeadFormatter.appendJSONString(createdAt, to: &out)
        if !asOf.isEmpty {
            out += Array(#","as_of":"#.utf8)
            ScoredLeadFormatter.appendJSONString(asOf, to: &out)
        }
        out += Array(#","profile":{"#.utf8)
        var first = true
        for field in profileFields {
            guard let value = profile[field]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            ScoredLeadFormatter.appendJSONString(field, to: &out)
            out.append(UInt8(ascii: ":"))
            ScoredLeadFormatter.appendJSONString(value, to: &out)
        }
        out += Array(#"},"events":["#.utf8)
        for (i, event) in events.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += Array(#"{"timestamp":"#.utf8)
            ScoredLeadFormatter.appendJSONString(event.time, to: &out)
            out += Array(#","event":"#.utf8)
            ScoredLeadFormatter.appendJSONString(event.type, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out += Array("]}".utf8)
        return out
    }

    /// The shell command that sends the same request: `curl` with the body in single quotes (a `'` inside written
    /// `'\''`), and the token header when the server asks for one.
    public func curl(baseURL: String, profileFields: [String], token: Bool) -> String {
        let body = String(decoding: requestBody(profileFields: profileFields), as: UTF8.self)
        var command = "curl -s '\(Self.shellQuoted(baseURL + "/v1/score?explain=\(reasons)"))' -H 'Content-Type: application/json'"
        if token { command += " -H \"Authorization: Bearer $(cat token.txt)\"" }
        return command + " -d '\(Self.shellQuoted(body))'"
    }

    static func shellQuoted(_ text: String) -> String { text.replacingOccurrences(of: "'", with: "'\\''") }
}

/// The "score a lead" page: the form (profile fields of the model, with the levels it knows offered; rows of events
/// with the event types it knows offered), and, once posted, the answer: probability, score, band, rule points and
/// band, the reasons each way, the answer as the API gives it, and the `curl` command that asks the same.
public struct ScorePage: Sendable {
    /// The answer to a posted form.
    public enum Outcome: Sendable {
        case scored(ScoredLead, answer: String)
        /// The request was refused: the field at fault (as the API names it) and why.
        case refused(field: String?, message: String)
    }

    public var profileFields: [String]
    /// Known levels of categorical fields, offered as suggestions.
    public var levels: [String: [String]]
    public var eventTypes: [String]
    public var form: LeadForm
    public var outcome: Outcome?
    /// The `curl` command for the posted form.
    public var curl: String?

    public init(profileFields: [String], levels: [String: [String]], eventTypes: [String], form: LeadForm, outcome: Outcome? = nil,
                curl: String? = nil) {
        self.profileFields = profileFields
        self.levels = levels
        self.eventTypes = eventTypes
        self.form = form
        self.outcome = outcome
        self.curl = curl
    }

    /// The known levels and event types of a model, for the form's suggestions.
    public static func suggestions(model: LeadModel) -> (levels: [String: [String]], eventTypes: [String]) {
        var levels: [String: [String]] = [:]
        for recipe in model.encoding.recipes where recipe.role == .categorical {
            levels[recipe.column] = (recipe.levels ?? []) + (recipe.reference.map { [$0] } ?? [])
        }
        let types = (model.history?.vocabulary.kept ?? []) + (model.history?.vocabulary.pooled ?? [])
        return (levels.mapValues { Array(Set($0)).sorted() }, types.sorted())
    }

    public var html: HTML {
        var out: HTML = "<h1>Score a lead</h1>\n"
        out += "<p>Type what the CRM knows about a lead: its profile and what it did, with times (UTC, such as 2026-06-20 or 2026-06-20T14:05:00Z). Only events before the moment it is scored as of count. The answer is the API's, for the same request.</p>\n"
        switch outcome {
        case .scored(let lead, let answer)?: out += result(lead, answer: answer)
        case .refused(let field, let message)?:
            out += "<div class=\"error\" role=\"alert\" id=\"result\"><h2>Not scored</h2><p><span id=\"error-field\">\(field ?? "request")</span>: <span id=\"error-message\">\(message)</span></p></div>\n"
        case nil: break
        }
        if let curl {
            out += "<h2>The same request with curl</h2>\n<pre><code id=\"curl\">\(curl)</code></pre>\n"
        }
        out += formHTML
        return out
    }

    private func result(_ lead: ScoredLead, answer: String) -> HTML {
        var facts: [HTML] = [
            "<li>Probability<b id=\"probability\" data-value=\"\(String(lead.probability))\">\(ModelCard.probability(lead.probability))</b>of converting</li>",
            "<li>Score<b id=\"score\">\(lead.score)</b>out of 100</li>",
            "<li>Band<b id=\"band\">\(lead.band)</b>by the model</li>",
        ]
        if let points = lead.rulePoints {
            facts.append("<li>Rule points<b id=\"rule-points\">\(LeadPage.points(points))</b>band <span id=\"rule-band\">\(lead.ruleBand ?? "–")</span></li>")
        }
        return """
            <section class="result" id="result" aria-labelledby="result-title">
            <h2 id="result-title">Lead \(lead.id)</h2>
            <ul class="facts">\(HTML.join(facts))</ul>
            \(LeadPage.reasons(lead))\(LeadPage.warnings(lead))<details><summary>The answer as the API gives it</summary><pre><code id="answer">\(answer)</code></pre></details>
            </section>

            """
    }

    private var formHTML: HTML {
        var profile: [HTML] = []
        var lists: [HTML] = []
        for (i, field) in profileFields.enumerated() {
            let id = "profile-\(i)"
            var list: HTML = ""
            if let known = levels[field], !known.isEmpty {
                list = " list=\"\(id)-levels\""
                lists.append("<datalist id=\"\(id)-levels\">\(HTML.join(known.map { "<option value=\"\($0)\"></option>" as HTML }))</datalist>\n")
            }
            profile.append("<div class=\"field\"><label for=\"\(id)\">\(field)</label><input id=\"\(id)\" name=\"profile.\(field)\" value=\"\(form.profile[field] ?? "")\"\(list) autocomplete=\"off\"></div>\n")
        }
        let typeList: HTML = "<datalist id=\"event-types\">\(HTML.join(eventTypes.map { "<option value=\"\($0)\"></option>" as HTML }))</datalist>\n"
        var rows: [HTML] = []
        let shown = form.events + Array(repeating: LeadForm.Event(type: "", time: ""), count: max(3, 6 - form.events.count))
        for (i, event) in shown.enumerated() {
            rows.append("""
                <div class="row"><div class="field"><label for="event-type-\(i)">Event \(i + 1) type</label><input id="event-type-\(i)" name="event_type" value="\(event.type)" list="event-types" autocomplete="off"></div>\
                <div class="field"><label for="event-time-\(i)">Event \(i + 1) time</label><input id="event-time-\(i)" name="event_time" value="\(event.time)" placeholder="such as 2026-06-20T14:05:00Z" autocomplete="off"></div></div>

                """)
        }
        let choices = HTML.join(LeadForm.reasonChoices.map { k in
            "<option value=\"\(k)\"\(k == form.reasons ? " selected" : "" as HTML)>\(k)</option>" as HTML
        })
        return """
            <form class="score" method="post" action="/score">
            <fieldset><legend>Lead</legend>
            <div class="field"><label for="contact_id">Contact id</label><input id="contact_id" name="contact_id" value="\(form.contactID)" autocomplete="off"></div>
            <div class="field"><label for="created_at">Created at</label><input id="created_at" name="created_at" value="\(form.createdAt)" placeholder="such as 2026-05-01" required autocomplete="off"></div>
            <div class="field"><label for="as_of">Scored as of (empty: now)</label><input id="as_of" name="as_of" value="\(form.asOf)" placeholder="now" autocomplete="off"></div>
            <div class="field"><label for="explain">Reasons each way</label><select id="explain" name="explain">\(choices)</select></div>
            </fieldset>
            <fieldset><legend>Profile</legend>
            \(HTML.join(profile))\(HTML.join(lists))</fieldset>
            <fieldset><legend>Events</legend>
            <p class="muted">Submit to get more empty rows.</p>
            \(HTML.join(rows))\(typeList)</fieldset>
            <button class="primary" type="submit">Score this lead</button>
            </form>

            """
    }
}
