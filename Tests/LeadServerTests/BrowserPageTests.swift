import Foundation
import LeadData
import LeadServer
import Rules
import Testing
import _TestSupport

/// The server's web pages in a real headless Chromium (`Browser` in _TestSupport), at a phone's width and a desktop's:
/// every page has its heading, logs no error, does not overflow sideways on a phone, and passes axe-core's WCAG 2 A/AA
/// and best-practice rules; the score form answers what `POST /v1/score` answers for the same lead, byte for byte;
/// the open leads are navigated by clicks; a token server's login works with the browser's own cookie.
///
/// Every page visited is also saved as a PNG of the viewport, in `$LEADSCORE_SCREENSHOTS` when set, else in a
/// temporary folder whose path is printed once.
// One browser at a time in this suite, for the same reason as BrowserTests.
@Suite(.serialized) struct BrowserPageTests {
    static let widths: [Browser.Width] = [.phone, .desktop]
    static let asOf = "2026-07-01"

    /// The sample model and seed rules, with the sample history's open leads ranked as of ``asOf``.
    static func historyOptions() -> ServerOptions {
        var options = TestServer.options()
        options.history = HistorySource(contacts: SourceFile(path: TestServer.path("datasets/sample/contacts.csv")),
                                        events: SourceFile(path: TestServer.path("datasets/sample/events.csv")),
                                        outcomes: SourceFile(path: TestServer.path("datasets/sample/outcomes.csv")))
        options.leadsAsOf = Timestamp.parse(asOf)!
        return options
    }

    // MARK: - 1 and 5: every page at both widths

    @Test(arguments: widths)
    func everyPageHasItsHeadingNoErrorsNoSidewaysScrollAndNoAxeViolations(width: Browser.Width) async throws {
        let axe = try AxeCore.script()
        let checks = try await TestServer.with(Self.historyOptions()) { port in
            try await Browser.run(width: width) { browser in
                let base = "http://127.0.0.1:\(port)"
                var checks: [(PageCheck, String)] = []
                try browser.open(base + "/")
                checks.append((try PageCheck(browser, name: "model", axe: axe), "Model sample.json"))
                // The charts, lower down the card: a second picture of the same page.
                try browser.execute("document.querySelector('.charts').scrollIntoView()")
                _ = try PageCheck.screenshot(browser, name: "model-charts")
                try browser.open(base + "/score")
                checks.append((try PageCheck(browser, name: "score", axe: axe), "Score a lead"))
                try browser.open(base + "/leads")
                checks.append((try PageCheck(browser, name: "leads", axe: axe), "Open leads"))
                let first = try browser.text("#leads tbody tr:first-child th a")
                try browser.open(base + "/leads/" + first)
                checks.append((try PageCheck(browser, name: "lead", axe: axe), "Lead \(first)"))
                try browser.open(base + "/leads?q=" + String(first.dropLast()))
                checks.append((try PageCheck(browser, name: "leads-search", axe: axe), "Open leads"))
                return checks
            }
        }
        #expect(checks.count == 5)
        for (check, heading) in checks { check.expectClean(heading: heading) }
    }

    // MARK: - 2: the form answers what the API answers

    /// What the test types into the form, and the same lead as the JSON body of `POST /v1/score`, built here.
    enum Lead {
        static let contactID = "page-test-1"
        static let createdAt = "2026-05-01"
        static let profile = [("job_title", "VP Marketing"), ("company_size", "250"), ("industry", "Healthcare")]
        static let events = [("pricing_page_view", "2026-06-10T09:00:00Z"), ("webinar_attended", "2026-06-15T14:30:00Z"),
                             ("demo_request", "2026-06-20")]
        static let explain = 3

        static var json: [String: Any] {
            ["contact_id": contactID, "created_at": createdAt, "as_of": asOf,
             "profile": Dictionary(uniqueKeysWithValues: profile),
             "events": events.map { ["timestamp": $0.1, "event": $0.0] }]
        }
    }

    /// What a scored form shows.
    struct Scored: Sendable {
        var answer: String
        var curl: String
        var probability: String?
        var score: String
        var band: String
        var rulePoints: String
        var ruleBand: String
        var reasonsUp: Int
        var reasonsDown: Int
        var result: PageCheck
        var errorField: String
        var errorMessage: String
        var refused: PageCheck
    }

    @Test(arguments: widths)
    func theFormAnswersWhatPOSTv1ScoreAnswersForTheSameLead(width: Browser.Width) async throws {
        let axe = try AxeCore.script()
        let body = try JSONSerialization.data(withJSONObject: Lead.json, options: [.sortedKeys])
        try await TestServer.with { port in
            let shown = try await Browser.run(width: width) { browser in
                let base = "http://127.0.0.1:\(port)"
                try browser.open(base + "/score")
                try browser.type(Lead.contactID, into: "#contact_id")
                try browser.type(Lead.createdAt, into: "#created_at")
                try browser.type(BrowserPageTests.asOf, into: "#as_of")
                try browser.select(String(Lead.explain), in: "select#explain")
                for (field, value) in Lead.profile { try browser.type(value, into: "input[name='profile.\(field)']") }
                for (i, (type, time)) in Lead.events.enumerated() {
                    try browser.type(type, into: "#event-type-\(i)")
                    try browser.type(time, into: "#event-time-\(i)")
                }
                try browser.click("form.score button.primary")
                try browser.waitFor("#result")
                // The answer is inside a closed <details>: its text as the document holds it, not as shown.
                func content(_ id: String) throws -> String {
                    try browser.execute("return document.getElementById(arguments[0]).textContent", [id]) as? String ?? ""
                }
                let answer = try content("answer"), curl = try content("curl")
                let probability = try browser.attribute("data-value", of: "#probability")
                let (score, band) = (try browser.text("#score"), try browser.text("#band"))
                let (rulePoints, ruleBand) = (try browser.text("#rule-points"), try browser.text("#rule-band"))
                let (up, down) = (try browser.elements("#reasons-up li").count, try browser.elements("#reasons-down li").count)
                let result = try PageCheck(browser, name: "score-result", axe: axe)

                try browser.open(base + "/score")
                try browser.type("not a date", into: "#created_at")
                try browser.click("form.score button.primary")
                try browser.waitFor("#result")
                let refused = try PageCheck(browser, name: "score-refused", axe: axe)
                return Scored(answer: answer, curl: curl, probability: probability, score: score, band: band, rulePoints: rulePoints,
                              ruleBand: ruleBand, reasonsUp: up, reasonsDown: down, result: result,
                              errorField: try browser.text("#error-field"), errorMessage: try browser.text("#error-message"),
                              refused: refused)
            }
            shown.result.expectClean(heading: "Score a lead")
            shown.refused.expectClean(heading: "Score a lead")
            #expect(shown.errorField == "created_at")
            #expect(!shown.errorMessage.isEmpty)

            // The curl command sends this lead to this server's /v1/score with the reasons chosen.
            let prefix = "curl -s 'http://127.0.0.1:\(port)/v1/score?explain=\(Lead.explain)' -H 'Content-Type: application/json' -d '"
            #expect(shown.curl.hasPrefix(prefix), "\(shown.curl)")
            #expect(shown.curl.hasSuffix("'"))
            let curlBody = shown.curl.dropFirst(prefix.count).dropLast().replacingOccurrences(of: "'\\''", with: "'")
            let sent = try JSONSerialization.jsonObject(with: Data(curlBody.utf8)) as? NSDictionary
            #expect(sent == (Lead.json as NSDictionary), "the curl's body: \(curlBody)")

            // The API, asked the same with the body built here, answers exactly what the page shows.
            let response = try await Blocking.request(port: port, "POST", "/v1/score?explain=\(Lead.explain)", body: Array(body))
            try #require(response.status == 200, "\(response.text)")
            func line(_ text: String) -> String { text.hasSuffix("\n") ? String(text.dropLast()) : text }
            #expect(line(shown.answer) == line(response.text), "page: \(shown.answer)\napi:  \(response.text)")
            let json = try response.object()
            #expect(json["contact_id"] as? String == Lead.contactID)
            #expect(shown.score == (json["score"] as? Int).map(String.init))
            #expect(shown.band == json["band"] as? String)
            #expect(shown.ruleBand == json["rule_band"] as? String)
            #expect(shown.rulePoints == (json["rule_points"] as? Double).map(PointsFormat.points))
            #expect(shown.reasonsUp == (json["reasons_up"] as? [Any])?.count)
            #expect(shown.reasonsDown == (json["reasons_down"] as? [Any])?.count)
            #expect(shown.reasonsUp + shown.reasonsDown > 0, "explain=3 gives reasons")
            // The JSON writes 6 significant digits; the page's data-value is Swift's shortest round-trip digits.
            let probability = try #require(json["probability"] as? Double)
            let onPage = try #require(shown.probability.flatMap(Double.init), "data-value \(shown.probability ?? "nil")")
            #expect(probability > 0 && probability < 1)
            #expect(abs(onPage - probability) <= 5e-6 * probability, "page \(onPage), API \(probability)")
        }
    }

    // MARK: - 3: the open leads by clicks

    struct Walk: Sendable {
        var listedID: String
        var listedScore: String
        var listedRank: String
        var leadURL: String
        var leadHeading: String
        var leadScore: String
        var leadRank: String
        var pageBefore: String
        var pageAfter: String
        var nextURL: String
        var prefix: String
        var searchURL: String
        var found: [String]
    }

    @Test func theOpenLeadsAreWalkedByClicks() async throws {
        let walk = try await TestServer.with(Self.historyOptions()) { port in
            try await Browser.run(width: .desktop) { browser in
                let base = "http://127.0.0.1:\(port)"
                try browser.open(base + "/leads")
                let row = "#leads tbody tr:first-child"
                let listedID = try browser.text("\(row) th a")
                let listedScore = try browser.text("\(row) td:nth-of-type(3)")
                let listedRank = try browser.text("\(row) td:nth-of-type(1)")
                try browser.click("\(row) th a")
                try browser.waitFor("#rank")
                let lead = (url: try browser.currentURL, heading: try browser.text("h1"), score: try browser.text("#score"),
                            rank: try browser.text("#rank"))

                try browser.click("a[href='/leads']")
                try browser.waitFor("#page")
                let pageBefore = try browser.text("#page")
                try browser.click("a[rel=next]")
                try Self.waitUntil("page 2") { try browser.text("#page").hasPrefix("Page 2 of") }
                let pageAfter = try browser.text("#page"), nextURL = try browser.currentURL

                let prefix = String(listedID.dropLast())
                try browser.type(prefix, into: "input#q")
                try browser.click("form.search button")
                try Self.waitUntil("the search's answer") { try browser.currentURL.contains("q=") }
                try browser.waitFor("#leads")
                let found = try browser.execute("return Array.from(document.querySelectorAll('#leads tbody th a'), a => a.textContent)")
                return Walk(listedID: listedID, listedScore: listedScore, listedRank: listedRank, leadURL: lead.url,
                            leadHeading: lead.heading, leadScore: lead.score, leadRank: lead.rank, pageBefore: pageBefore,
                            pageAfter: pageAfter, nextURL: nextURL, prefix: prefix, searchURL: try browser.currentURL,
                            found: found as? [String] ?? [])
            }
        }
        #expect(walk.leadURL.hasSuffix("/leads/" + walk.listedID))
        #expect(walk.leadHeading == "Lead \(walk.listedID)")
        #expect(!walk.listedScore.isEmpty && walk.leadScore == walk.listedScore, "list \(walk.listedScore), page \(walk.leadScore)")
        #expect(walk.listedRank == "1" && walk.leadRank == "1")
        #expect(walk.pageBefore.hasPrefix("Page 1 of"), "\(walk.pageBefore)")
        #expect(walk.pageAfter.hasPrefix("Page 2 of"), "\(walk.pageAfter)")
        #expect(walk.nextURL.hasSuffix("/leads?page=2"), "\(walk.nextURL)")
        #expect(walk.searchURL.hasSuffix("/leads?q=" + walk.prefix), "\(walk.searchURL)")
        #expect(walk.found.contains(walk.listedID), "\(walk.found)")
        #expect(walk.found.allSatisfy { $0.hasPrefix(walk.prefix) }, "\(walk.found)")
        #expect(walk.found.count <= 10, "\(walk.found)")
    }

    // MARK: - 4: logging in with a token

    struct Login: Sendable {
        var redirectedTo: String
        var login: PageCheck
        var wrongStatus: String
        var wrongErrors: [String]
        var afterLogin: String
        var card: PageCheck
        var scoreHeading: String
        var afterSignOut: String
    }

    @Test(arguments: widths)
    func aTokenServerSendsTheBrowserToLogInAndItsCookieOpensThePages(width: Browser.Width) async throws {
        let axe = try AxeCore.script()
        let token = String((0..<32).map { _ in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".randomElement()! })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-pagetoken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("token")
        try Data((token + "\n").utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)

        let seen = try await TestServer.with(TestServer.options(tokenPath: file.path)) { port in
            try await Browser.run(width: width) { browser in
                let base = "http://127.0.0.1:\(port)"
                try browser.open(base + "/")
                let redirectedTo = try browser.currentURL
                let login = try PageCheck(browser, name: "login", axe: axe)
                try browser.type("not-the-token", into: "#token")
                try browser.click("form button.primary")
                try browser.waitFor(".error")
                let wrong = try browser.text(".error")
                // A wrong token's answer is a 401, which Chromium logs as a resource that failed to load: expected, and nothing else.
                let wrongErrors = try browser.consoleErrors()
                try browser.type(token, into: "#token")
                try browser.click("form button.primary")
                try browser.waitFor(".verdict")
                let afterLogin = try browser.currentURL
                let card = try PageCheck(browser, name: "model-signed-in", axe: axe)
                try browser.open(base + "/score")
                let scoreHeading = try browser.text("h1")
                try browser.click(".signout button")
                try browser.waitFor("#token")
                return Login(redirectedTo: redirectedTo, login: login, wrongStatus: wrong, wrongErrors: wrongErrors, afterLogin: afterLogin,
                             card: card, scoreHeading: scoreHeading, afterSignOut: try browser.currentURL)
            }
        }
        #expect(seen.redirectedTo.contains("/login"), "\(seen.redirectedTo)")
        seen.login.expectClean(heading: "Log in to leadscore")
        #expect(seen.wrongStatus.contains("not the server's token"), "\(seen.wrongStatus)")
        #expect(seen.wrongErrors.allSatisfy { $0.contains("401") }, "\(seen.wrongErrors)")
        #expect(seen.afterLogin.hasSuffix("/"), "\(seen.afterLogin)")
        seen.card.expectClean(heading: "Model sample.json")
        #expect(seen.scoreHeading == "Score a lead")
        #expect(seen.afterSignOut.contains("/login"), "\(seen.afterSignOut)")
    }

    // MARK: - Helpers

    /// Polls `condition` every 100 ms until it holds, or throws after `timeout` seconds.
    static func waitUntil(_ what: String, timeout: Double = 10, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try !condition() {
            guard Date() < deadline else { throw Browser.Failure(description: "waited \(Int(timeout)) s for \(what)") }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }
}

/// What one page looked like in the browser: its heading, console errors, widths, axe's findings and its screenshot
/// (saved in ``Screenshots/folder``).
struct PageCheck: Sendable {
    var name: String
    var width: Browser.Width
    var url: String
    var heading: String
    var consoleErrors: [String]
    /// `document.documentElement.scrollWidth` and `window.innerWidth`.
    var scrollWidth: Int
    var innerWidth: Int
    var violations: [AccessibilityViolation]
    /// The screenshot's width and height in pixels, from its PNG header; nil when it is not a PNG.
    var png: (width: Int, height: Int)?

    /// Checks the page now shown in `browser` (call on the browser's thread).
    init(_ browser: Browser, name: String, axe: String) throws {
        self.name = name
        width = browser.width
        url = try browser.currentURL
        heading = try browser.text("h1")
        consoleErrors = try browser.consoleErrors()
        let widths = try browser.execute("return [document.documentElement.scrollWidth, window.innerWidth]") as? [Int] ?? []
        (scrollWidth, innerWidth) = (widths.first ?? -1, widths.last ?? -1)
        violations = try browser.accessibilityViolations(axeScript: axe, tags: ["wcag2a", "wcag2aa", "best-practice"])
        try browser.execute("window.scrollTo(0, 0)")
        png = try Self.screenshot(browser, name: name)
    }

    /// Saves a screenshot of `browser`'s viewport as `<name>-<width>.png`; its size read from the PNG header.
    static func screenshot(_ browser: Browser, name: String) throws -> (width: Int, height: Int)? {
        let data = try browser.screenshot()
        try data.write(to: Screenshots.folder.appendingPathComponent("\(name)-\(browser.width).png"))
        let bytes = [UInt8](data)
        guard bytes.count > 24, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
              bytes[12..<16].elementsEqual(Array("IHDR".utf8)) else { return nil }
        func int(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 << 8 | Int($1) } }
        return (int(16..<20), int(20..<24))
    }

    /// Expects the heading `heading`, no console error, no sideways scrolling of the page at a phone's width, no axe
    /// violation, and a PNG as wide as the browser.
    func expectClean(heading expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let page = "\(name) at \(width) (\(url))"
        #expect(heading == expected, "\(page): h1", sourceLocation: sourceLocation)
        #expect(consoleErrors.isEmpty, "\(page): console errors: \(consoleErrors)", sourceLocation: sourceLocation)
        #expect(innerWidth == width.pixels, "\(page): innerWidth", sourceLocation: sourceLocation)
        #expect(scrollWidth > 0 && scrollWidth <= innerWidth,
                "\(page): the page is \(scrollWidth) px wide in a \(innerWidth) px window", sourceLocation: sourceLocation)
        #expect(violations.isEmpty, "\(page): axe found \(violations.count):\n\(violations.map { "  \($0)" }.joined(separator: "\n"))",
                sourceLocation: sourceLocation)
        #expect(png?.width == width.pixels, "\(page): screenshot \(png.map { "\($0.width)x\($0.height)" } ?? "not a PNG")",
                sourceLocation: sourceLocation)
    }
}

/// Where the screenshots go: `$LEADSCORE_SCREENSHOTS` when set, else a new temporary folder; printed once.
enum Screenshots {
    static let folder: URL = {
        let environment = ProcessInfo.processInfo.environment["LEADSCORE_SCREENSHOTS"] ?? ""
        let folder = environment.isEmpty
            ? FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-screenshots-\(UUID().uuidString)")
            : URL(fileURLWithPath: environment)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        print("BrowserPageTests: screenshots in \(folder.path)")
        return folder
    }()
}
