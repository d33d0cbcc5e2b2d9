import Foundation
import LeadData
import ModelRegistry
import Scoring
import Workflows
@testable import LeadServer
import Testing
import WebPages
import _TestSupport

/// The web page over HTTP, as a browser gets it: each page's status, headers and content, the form answered as
/// `POST /v1/score` answers the same lead, the open leads paged and searched, refusals as pages, and everything that
/// reaches a page escaped. (Tests/LeadServerTests/BrowserPageTests.swift drives the same pages in Chromium.)
@Suite struct WebPageTests {
    static let sample = TestServer.path("datasets/sample")

    /// The sample model and rules with the sample's contacts, events and outcomes, ranked as of the end of its data.
    static func withLeads(_ options: ServerOptions = TestServer.options()) -> ServerOptions {
        var options = options
        options.history = HistorySource(contacts: sample + "/contacts.csv", events: sample + "/events.csv", outcomes: sample + "/outcomes.csv")
        options.leadsAsOf = Timestamp.parse(SampleHistory.asOf)!
        return options
    }

    static func get(_ port: Int, _ path: String, headers: [(String, String)] = []) async throws -> HTTPResult {
        try await Blocking.request(port: port, "GET", path, headers: headers)
    }

    static func postForm(_ port: Int, _ path: String, _ form: String, headers: [(String, String)] = []) async throws -> HTTPResult {
        try await Blocking.run {
            try HTTPConnection(port: port).request("POST", path, body: Array(form.utf8), headers: headers,
                                                   contentType: "application/x-www-form-urlencoded")
        }
    }

    /// The text of the element with `id` (no nested elements), its character references read back.
    static func element(_ id: String, in page: String) -> String? {
        guard let open = page.range(of: "id=\"\(id)\""), let start = page[open.upperBound...].firstIndex(of: ">"),
              let end = page[start...].range(of: "</") else { return nil }
        return unescape(String(page[page.index(after: start)..<end.lowerBound]))
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The `data-value` of the element with `id`.
    static func dataValue(_ id: String, in page: String) -> String? {
        guard let open = page.range(of: "id=\"\(id)\" data-value=\"") else { return nil }
        return String(page[open.upperBound...].prefix { $0 != "\"" })
    }

    /// The contact ids linked from a list page, in order.
    static func listedIDs(_ page: String) -> [String] {
        page.components(separatedBy: "<a href=\"/leads/").dropFirst().compactMap { part in
            part.split(separator: "\"", maxSplits: 1).first.flatMap { String($0).removingPercentEncoding }
        }
    }

    @Test func theModelCardShowsTheServedModelItsVerdictChartsAndEveryWeightAgainstThePoints() async throws {
        try await TestServer.with { port in
            let page = try await Self.get(port, "/")
            #expect(page.status == 200)
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            #expect(page.headers["content-security-policy"]?.hasPrefix("default-src 'none'") == true)
            #expect(page.headers["cache-control"] == "no-store")
            let model = try await Self.get(port, "/v1/model")
            #expect(page.headers["leadscore-model"] == model.headers["leadscore-model"])
            let html = page.text
            #expect(html.hasPrefix("<!doctype html>\n<html lang=\"en\">"))
            #expect(html.contains("<h1>Model sample.json</h1>"))
            #expect(html.contains("The model ranks leads better than the seed rules: ROC AUC 0.890 against 0.790"))
            #expect(html.components(separatedBy: "<svg role=\"img\"").count == 4)
            #expect(!html.contains("<?xml"))
            // Every row of GET /v1/model's weights-versus-points table is on the card.
            let rows = (((try model.object())["versus_rules"] as? [String: Any])?["rows"] as? [[String: Any]]) ?? []
            #expect(rows.count > 20)
            for row in rows {
                let signal = try #require(row["signal"] as? String)
                #expect(html.contains("<th scope=\"row\">\(HTML.escape(signal))</th>"), "\(signal)")
            }
            #expect(html.contains("Serving sample.json (\(model.headers["leadscore-model"]!)) · rules seed.json"))
            // No leads without a history: no link to them.
            #expect(!html.contains("href=\"/leads\""))

            let head = try await Blocking.request(port: port, "HEAD", "/")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.headers["content-length"] == String(page.body.count))
        }
    }

    @Test func theFormIsAnsweredExactlyAsPostV1ScoreAnswersTheSameLead() async throws {
        try await TestServer.with { port in
            let form = "contact_id=C-form&created_at=2026-05-01&as_of=2026-06-24&explain=3&profile.job_title=VP+Marketing&profile.company_size=300"
                + "&profile.industry=Software&profile.country=&event_type=pricing_page_view&event_time=2026-06-20T10%3A00%3A00Z"
                + "&event_type=demo_request&event_time=2026-06-21&event_type=&event_time=&event_type=webinar_attended&event_time=2026-06-01"
            let page = try await Self.postForm(port, "/score", form)
            #expect(page.status == 200)
            let json = #"{"contact_id":"C-form","created_at":"2026-05-01","as_of":"2026-06-24","profile":{"company_size":"300","industry":"Software","job_title":"VP Marketing"},"events":[{"timestamp":"2026-06-20T10:00:00Z","event":"pricing_page_view"},{"timestamp":"2026-06-21","event":"demo_request"},{"timestamp":"2026-06-01","event":"webinar_attended"}]}"#
            let api = try await Blocking.request(port: port, "POST", "/v1/score?explain=3", body: Array(json.utf8))
            #expect(api.status == 200)
            #expect(Self.element("answer", in: page.text) == api.text)
            let curl = try #require(Self.element("curl", in: page.text))
            #expect(curl.hasPrefix("curl -s 'http://127.0.0.1/v1/score?explain=3' -H 'Content-Type: application/json' -d '"))
            #expect(curl.hasSuffix("-d '\(json)'"))
            let answer = try api.object()
            #expect(Self.element("score", in: page.text) == "\(answer["score"] as! Int)")
            #expect(Self.element("band", in: page.text) == answer["band"] as? String)
            #expect(Self.element("rule-band", in: page.text) == answer["rule_band"] as? String)
            #expect(page.text.contains("<h2 id=\"result-title\">Lead C-form</h2>"))
            // The form comes back with what was typed.
            #expect(page.text.contains("value=\"VP Marketing\""))
            #expect(page.text.contains("value=\"webinar_attended\""))
        }
    }

    @Test func aFormTheAPIWouldRefuseSaysWhichFieldAndWhy() async throws {
        try await TestServer.with { port in
            let page = try await Self.postForm(port, "/score", "created_at=not+a+date&event_type=page_view&event_time=2026-06-01")
            #expect(page.status == 200)
            #expect(Self.element("error-field", in: page.text) == "created_at")
            #expect(Self.element("error-message", in: page.text)?.contains("is not an ISO 8601 date or time") == true)
            #expect(Self.element("result-title", in: page.text) == nil)
            let json = try await Self.postForm(port, "/score", "{}", headers: [])
            #expect(json.status == 200)
            let wrongType = try await Blocking.request(port: port, "POST", "/score", body: Array("{}".utf8))
            #expect(wrongType.status == 415)
            #expect(wrongType.headers["content-type"] == "text/html; charset=utf-8")
        }
    }

    @Test func theOpenLeadsArePagedInTheModelsOrderFilteredByBandAndSearchedById() async throws {
        try await TestServer.with(Self.withLeads()) { port in
            let first = try await Self.get(port, "/leads")
            #expect(first.status == 200)
            let ids = Self.listedIDs(first.text)
            #expect(ids.count == LeadsPage.pageSize)
            #expect(first.text.contains("leads still open as of 2026-06-24T00:00:00Z"))
            let second = Self.listedIDs(try await Self.get(port, "/leads?page=2").text)
            #expect(second.count == LeadsPage.pageSize)
            #expect(Set(ids).isDisjoint(with: second))
            // Each lead's page agrees with its row, and the ranks follow the order.
            for (rank, id) in [(1, ids[0]), (LeadsPage.pageSize + 1, second[0])] {
                let lead = try await Self.get(port, "/leads/\(HTML.urlComponent(id))")
                #expect(lead.status == 200)
                #expect(Self.element("rank", in: lead.text) == "\(rank)")
                #expect(lead.text.contains("<ol class=\"timeline\">"))
            }
            // A band shows its leads only.
            let mql = try await Self.get(port, "/leads?band=MQL")
            #expect(mql.text.contains("<span class=\"band\">MQL</span>"))
            #expect(!mql.text.contains("<span class=\"band\">sales-ready</span>"))
            let byRules = try await Self.get(port, "/leads?order=rules")
            #expect(Self.listedIDs(byRules.text) != ids)
            // A search lists the ids that start with what was typed.
            let prefix = String(ids[0].prefix(5))
            let found = Self.listedIDs(try await Self.get(port, "/leads?q=\(prefix)").text)
            #expect(!found.isEmpty)
            #expect(found.allSatisfy { $0.hasPrefix(prefix) })
            let none = try await Self.get(port, "/leads?q=nobody")
            #expect(Self.element("no-match", in: none.text) != nil)
            // A page past the end shows the last one.
            let last = try await Self.get(port, "/leads?page=999999")
            #expect(last.status == 200)
            #expect(!Self.listedIDs(last.text).isEmpty)
            // The card says how far the open leads' scores have drifted, as `monitor` measures it.
            let card = try await Self.get(port, "/")
            let options = Self.withLeads()
            let monitored = try Monitoring(model: LeadModel.load(path: TestServer.sampleModel), source: options.history!, asOf: options.leadsAsOf).run()
            #expect(card.text.contains("population stability index <b>\(String(format: "%.3f", monitored.score.psi))</b>"))
            let unknown = try await Self.get(port, "/leads/nobody")
            #expect(unknown.status == 404)
            #expect(unknown.text.contains("No contact has the id"))
        }
    }

    @Test func rankedAsOfNowLongAfterTheDataTheListSaysEveryLeadLooksInactive() async throws {
        var options = Self.withLeads()
        options.leadsAsOf = nil
        try await TestServer.with(options) { port in
            let page = try await Self.get(port, "/leads").text
            #expect(page.contains("<p class=\"error\" role=\"status\">the data end at 2026-06-24"))
            #expect(page.contains("every recency feature is stale"))
        }
        #expect(!(try await TestServer.with(Self.withLeads()) { port in try await Self.get(port, "/leads").text }).contains("is stale"))
    }

    @Test func withoutAHistoryTheLeadsAre404AndAWrongMethodIs405AsPages() async throws {
        try await TestServer.with { port in
            #expect(!(try await Self.get(port, "/").text.contains("id=\"drift\"")))
            let leads = try await Self.get(port, "/leads")
            #expect(leads.status == 404)
            #expect(leads.headers["content-type"] == "text/html; charset=utf-8")
            #expect(leads.text.contains("start it with --contacts and --events"))
            let post = try await Self.postForm(port, "/", "x=1")
            #expect(post.status == 405)
            #expect(post.headers["allow"] == "GET, HEAD")
        }
    }

    @Test func pagesAskForTheLoginWhenTheServerHasAToken() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-pages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let token = "page-token-0123456789abcdef"
        let tokenPath = folder.appendingPathComponent("token").path
        try Data(token.utf8).write(to: URL(fileURLWithPath: tokenPath))
        chmod(tokenPath, 0o600)
        var options = TestServer.options()
        options.tokenPath = tokenPath
        try await TestServer.with(options) { port in
            let page = try await Self.get(port, "/score")
            #expect(page.status == 303)
            #expect(page.headers["location"] == "/login?next=/score")
            let login = try await Self.postForm(port, "/login", "token=\(token)&next=%2Fscore")
            #expect(login.status == 303)
            let cookie = try #require(login.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
            let signedIn = try await Self.get(port, "/score", headers: [("Cookie", cookie)])
            #expect(signedIn.status == 200)
            #expect(signedIn.text.contains("<button type=\"submit\">Sign out</button>"))
            #expect(Self.element("curl", in: try await Self.postForm(port, "/score", "created_at=2026-05-01", headers: [("Cookie", cookie)]).text)?
                .contains("Authorization: Bearer $(cat token.txt)") == true)
        }
    }

    @Test func aReloadedModelIsTheOneThePagesShowAndTheLeadsAreRankedAgain() async throws {
        let files = try ModelReloadTests.Files()
        defer { files.remove() }
        var options = Self.withLeads(TestServer.options(model: files.model, poll: .milliseconds(100)))
        options.rulesPath = TestServer.seedRules
        try await TestServer.with(options) { port in
            let before = try await Self.get(port, "/leads")
            let top = Self.listedIDs(before.text)[0]
            let probability = try #require(Self.dataValue("probability", in: try await Self.get(port, "/leads/\(top)").text))
            try files.install(files.other)
            let hash = try ModelReloadTests.hash(files.other)
            #expect(try await ModelReloadTests.waitForModel(hash, port: port))
            #expect(try await Self.get(port, "/").text.contains("(\(hash))"))
            // The list is ranked again by the new model, off the request path; until then it says so.
            var ranked = false
            for _ in 0..<500 where !ranked {
                let page = try await Self.get(port, "/leads")
                ranked = !page.text.contains("they are being ranked again")
                if !ranked { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(ranked)
            #expect(Self.dataValue("probability", in: try await Self.get(port, "/leads/\(top)").text) != probability)
        }
    }

    @Test func servedFromARegistryTheCardListsItsDecisions() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-registry-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let registry = try ModelRegistry.create(folder: folder.path, modelData: Data(contentsOf: URL(fileURLWithPath: TestServer.sampleModel)),
                                                source: "sample.json")
        var options = TestServer.options()
        options.registry = registry.folder
        try await TestServer.with(options) { port in
            let card = try await Self.get(port, "/").text
            let record = try #require(try registry.records().last)
            #expect(card.contains("<table id=\"registry\">"))
            #expect(card.contains("<td>init</td><td><code>\(record.current.prefix(12))</code></td><td>\(HTML.escape(record.reason))</td>"))
        }
    }

    @Test func everythingThatReachesAPageIsEscaped() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-escape-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let attack = "<script>alert(1)</script>"
        let tag = "\"><img src=x onerror=alert(2)>"
        // Files whose names, ids, profile values and event names are markup.
        // A file name cannot hold a /.
        let model = folder.appendingPathComponent("<script>alert(1)<script>.json").path
        let rules = folder.appendingPathComponent("\(tag).json").path
        try FileManager.default.copyItem(atPath: TestServer.sampleModel, toPath: model)
        try FileManager.default.copyItem(atPath: TestServer.seedRules, toPath: rules)
        let contacts = folder.appendingPathComponent("contacts.csv").path
        let events = folder.appendingPathComponent("events.csv").path
        func csv(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        try """
            contact_id,created_at,job_title,company_size,industry,country,lead_source
            \(csv(attack)),2026-01-01T00:00:00Z,\(csv(attack)),12,\(csv(tag)),US,Webinar
            \(csv(tag)),2026-01-02T00:00:00Z,VP Marketing,300,Software,\(csv(attack)),\(csv(tag))

            """.write(toFile: contacts, atomically: true, encoding: .utf8)
        try """
            contact_id,timestamp,event
            \(csv(attack)),2026-03-01T00:00:00Z,\(csv(attack))
            \(csv(tag)),2026-03-02T00:00:00Z,\(csv(tag))
            \(csv(tag)),2026-03-03T00:00:00Z,pricing_page_view

            """.write(toFile: events, atomically: true, encoding: .utf8)
        var options = TestServer.options(model: model, rules: rules)
        options.history = HistorySource(contacts: contacts, events: events)
        options.leadsAsOf = Timestamp.parse("2026-06-01")!
        try await TestServer.with(options) { port in
            let encoded = [attack, tag].map { HTML.urlComponent($0) }
            var pages = [
                try await Self.get(port, "/"), try await Self.get(port, "/score"), try await Self.get(port, "/leads"),
                try await Self.get(port, "/leads?q=\(HTML.urlComponent("<"))"), try await Self.get(port, "/leads?q=\(encoded[0])"),
                try await Self.get(port, "/leads?band=\(encoded[1])"), try await Self.get(port, "/leads/\(encoded[0])"),
                try await Self.get(port, "/leads/\(encoded[1])"), try await Self.get(port, "/leads/\(HTML.urlComponent(attack + "x"))"),
            ]
            let fields = ["contact_id", "created_at", "as_of", "profile.job_title", "profile.industry", "event_type", "event_time"]
            pages.append(try await Self.postForm(port, "/score", fields.map { "\($0)=\(encoded[0])" }.joined(separator: "&")))
            pages.append(try await Self.postForm(port, "/score", (fields.map { "\($0)=\(encoded[1])" } + ["created_at=2026-01-01"]).joined(separator: "&")))
            #expect(Self.listedIDs(pages[2].text).sorted() == [attack, tag].sorted())
            for page in pages {
                let html = page.text.lowercased()
                #expect(!html.contains("<script"), "\(page.status): \(page.text.prefix(300))")
                #expect(!html.contains("<img"), "\(page.status)")
                #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            }
            // What was escaped is still shown, as text.
            #expect(pages[0].text.contains("Model &lt;script&gt;alert(1)&lt;script&gt;.json"))
            #expect(pages[6].text.contains("<h1>Lead &lt;script&gt;alert(1)&lt;/script&gt;</h1>"))
            #expect(pages[7].text.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
        }
    }
}

/// The open leads of a source description whose inputs are PostgreSQL tables: the same leads, in the same order, as
/// from the files the tables were loaded from.
@Suite struct WebPageDatabaseTests {
    @Test func theOpenLeadsOfDatabaseTablesAreThoseOfTheSameFiles() async throws {
        let (cluster, database) = try await Blocking.run {
            let cluster = try PostgresCluster.shared()
            let database = try cluster.createDatabase("open_leads_page")
            try cluster.loadSample(into: database, folder: WebPageTests.sample)
            return (cluster, database)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-pagedb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("crm.json").path
        // A generous connect timeout: the cluster is shared by every database test of the suite, running in parallel.
        try #"{"database": "\#(cluster.url(database: database))?connect_timeout=60", "contacts": {"table": "contacts"}, "events": {"table": "events"}, "outcomes": {"table": "outcomes"}}"#
            .write(toFile: source, atomically: true, encoding: .utf8)
        var options = TestServer.options()
        try options.readLeads(fromSource: source)
        options.leadsAsOf = Timestamp.parse(SampleHistory.asOf)!
        #expect(options.sourcePath == source)
        let paths = ["/leads", "/leads?page=40", "/leads?order=rules&page=3", "/leads?band=MQL", "/leads?q=C0001"]
        func pages(_ options: ServerOptions) async throws -> [[String]] {
            try await TestServer.with(options) { port in
                var listed: [[String]] = []
                for path in paths { listed.append(WebPageTests.listedIDs(try await WebPageTests.get(port, path).text)) }
                let first = try #require(listed.first?.first)
                listed.append([WebPageTests.element("rank", in: try await WebPageTests.get(port, "/leads/\(first)").text) ?? ""])
                return listed
            }
        }
        let fromTables = try await pages(options)
        let fromFiles = try await pages(WebPageTests.withLeads())
        #expect(fromTables == fromFiles)
        #expect(fromTables.dropLast().allSatisfy { !$0.isEmpty })
    }
}
