import Foundation
import HTTPTypes
import Logging
@testable import LeadServer
import Testing
import WebPages
import _TestSupport

/// `serve --token-file` against the real server: without a token everything is open as before; with one, every API
/// route needs `Authorization: Bearer <token>` on both ways a score is answered (``ScoreChannelHandler`` and
/// ``LeadResponder``), `/healthz` stays open, and a browser logs in at `/login` for a session cookie.
@Suite struct AuthenticationTests {
    let openapi = try! OpenAPIDocument.load()

    static let token = "correct-horse-battery-staple-42"
    static let body = SampleHistory.body(SampleHistory.shared.leadJSON("C000002"))
    /// More than ``ScoreRoute/offloadLeads`` leads: scored on the pool, answered in pieces.
    static let batch = SampleHistory.body(["leads": [[String: Any]](repeating: SampleHistory.shared.leadJSON("C000002"), count: 40)])
    static let right = [("Authorization", "Bearer \(token)")]
    static let form = "application/x-www-form-urlencoded"

    /// A token file holding `text`, with `mode`, in a fresh folder (removed by the caller).
    static func tokenFile(_ text: String = token + "\n", mode: Int = 0o600) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("token")
        try Data(text.utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        return file
    }

    static func withTokenServer<T: Sendable>(_ body: (Int) async throws -> T) async throws -> T {
        let file = try tokenFile()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        return try await TestServer.with(TestServer.options(tokenPath: file.path), body)
    }

    /// The `leadscore_session=...` pair of a `Set-Cookie` value.
    static func cookie(_ setCookie: String?) -> String {
        String((setCookie ?? "").split(separator: ";").first ?? "")
    }

    @Test func withoutATokenEverythingIsOpenAsBefore() async throws {
        let body = Self.body
        try await TestServer.with { port in
            let answers = try await Blocking.run {
                let connection = try HTTPConnection(port: port)
                return try [connection.request("POST", "/v1/score", body: body), connection.request("GET", "/v1/model"),
                            connection.request("GET", "/metrics"), connection.request("GET", "/healthz"),
                            connection.request("GET", "/login?next=%2Fleads%3Fband%3Dhot")]
            }
            #expect(answers.map(\.status) == [200, 200, 200, 200, 303])
            #expect(answers.allSatisfy { $0.headers["www-authenticate"] == nil })
            // Nothing to log in to: the login goes straight on.
            #expect(answers[4].headers["location"] == "/leads?band=hot")
        }
    }

    @Test(arguments: [("POST", "/v1/score", "/v1/score"), ("GET", "/v1/model", "/v1/model"), ("GET", "/metrics", "/metrics"),
                      ("GET", "/v1/leads/C000002", "/v1/leads/{contact_id}")])
    func anAPIRouteNeedsTheToken(_ method: String, _ path: String, _ template: String) async throws {
        let body = method == "POST" ? Self.body : nil
        try await Self.withTokenServer { port in
            let headers: [[(String, String)]] = [
                [], [("Authorization", "Bearer \(Self.token)x")], [("Authorization", "Bearer \(Self.token.dropLast())")],
                [("Authorization", "Basic \(Self.token)")], [("Authorization", "Bearer")], [("Cookie", "leadscore_session=\(Self.token)")],
            ]
            let (refused, allowed, lowercase, metrics) = try await Blocking.run {
                // A connection per request, so that each score request is one the pipeline handler answers itself.
                let refused = try headers.map { try HTTPConnection(port: port).request(method, path, body: body, headers: $0) }
                let allowed = try HTTPConnection(port: port).request(method, path, body: body, headers: Self.right)
                let lowercase = try HTTPConnection(port: port).request(method, path, body: body, headers: [("authorization", "bearer  \(Self.token)")])
                let metrics = try HTTPConnection(port: port).request("GET", "/metrics", headers: Self.right)
                return (refused, allowed, lowercase, metrics)
            }
            for (response, sent) in zip(refused, headers) {
                #expect(response.status == 401, "\(sent)")
                #expect(response.headers["www-authenticate"] == #"Bearer realm="leadscore""#)
                #expect(openapi.problems(method, template, response).isEmpty, "\(openapi.problems(method, template, response))")
                let message = try response.object()["error"] as? [String: Any]
                #expect((message?["message"] as? String)?.contains("Authorization: Bearer <token>") == true, "\(response.text)")
            }
            // Without --source the lead route is 404, once past the token.
            let expected = template == "/v1/leads/{contact_id}" ? 404 : 200
            #expect(allowed.status == expected, "\(allowed.text)")
            #expect(lowercase.status == expected)
            let exposition = try PrometheusExposition(metrics.text)
            #expect(exposition.value("leadscore_http_requests_total", ["route": template, "status": "401"]) == Double(headers.count))
        }
    }

    /// The pipeline handler answers a score request itself (a single lead on the loop, a large batch on the pool), or
    /// passes it to Hummingbird's responder when an earlier request of its connection is still there: the token is
    /// checked on every path.
    @Test func aScoreNeedsTheTokenOnEveryPath() async throws {
        let (body, batch) = (Self.body, Self.batch)
        try await Self.withTokenServer { port in
            let raw = ScoreChannelHandlerTests.raw
            let auth = "Authorization: Bearer \(Self.token)\r\n"
            let (batches, pipelined) = try await Blocking.run {
                let batches = try [HTTPConnection(port: port).request("POST", "/v1/score", body: batch),
                                   HTTPConnection(port: port).request("POST", "/v1/score", body: batch, headers: Self.right)]
                // In one write: the first score is the handler's; the two after the GET wait behind it, so Hummingbird's
                // responder answers them.
                let connection = try HTTPConnection(port: port)
                try connection.send(raw("POST", "/v1/score", body, "") + raw("GET", "/healthz", nil, "")
                                    + raw("POST", "/v1/score", body, "") + raw("POST", "/v1/score", body, auth))
                return (batches, try (0..<4).map { _ in try connection.readResponse() })
            }
            #expect(batches.map(\.status) == [401, 200])
            #expect(try (batches[1].object()["results"] as? [Any])?.count == 40)
            #expect(pipelined.map(\.status) == [401, 200, 401, 200])
            #expect(pipelined[0].text == pipelined[2].text)
            #expect(pipelined[2].headers["www-authenticate"] == #"Bearer realm="leadscore""#)
            #expect(openapi.problems("POST", "/v1/score", pipelined[2]).isEmpty)
        }
    }

    @Test func theHealthCheckStaysOpen() async throws {
        try await Self.withTokenServer { port in
            let health = try await Blocking.request(port: port, "GET", "/healthz")
            #expect(health.status == 200)
            #expect(openapi.problems("GET", "/healthz", health).isEmpty)
        }
    }

    // MARK: The login

    @Test func theLoginPageIsAFormThatPostsTheToken() async throws {
        try await Self.withTokenServer { port in
            let page = try await Blocking.request(port: port, "GET", "/login?next=%2Fleads%2FC1%3Fexplain%3D2")
            #expect(page.status == 200)
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            #expect(page.headers["cache-control"] == "no-store")
            for piece in ["<!doctype html>", #"<html lang="en">"#, #"<meta name="viewport" content="width=device-width, initial-scale=1">"#,
                          #"<link rel="icon" href="data:,">"#, "<main>", "<h1>", #"<form class="score" method="post" action="/login">"#, #"<label for="token">"#,
                          #"<input type="password" id="token" name="token" autocomplete="current-password""#, #"<button class="primary" type="submit">"#,
                          #"<input type="hidden" name="next" value="/leads/C1?explain=2">"#] {
                #expect(page.text.contains(piece), "\(piece)")
            }
            let evil = try await Blocking.request(port: port, "GET", "/login?next=%2F%2Fevil.com")
            #expect(evil.text.contains(#"name="next" value="/">"#))
        }
    }

    @Test func theRightTokenLogsInWithASessionCookieAndTheWrongOneDoesNot() async throws {
        let form = Self.form
        try await Self.withTokenServer { port in
            let (wrong, right, secure, missing) = try await Blocking.run {
                let connection = try HTTPConnection(port: port)
                let wrong = try connection.request("POST", "/login", body: Array("token=nope&next=%2Fleads".utf8), contentType: form)
                let right = try connection.request("POST", "/login", body: Array("token=\(Self.token)&next=%2Fleads%3Fband%3Dhot".utf8), contentType: form)
                let secure = try connection.request("POST", "/login", body: Array("token=\(Self.token)".utf8),
                                                    headers: [("X-Forwarded-Proto", "https")], contentType: form)
                let missing = try connection.request("POST", "/login", body: Array("next=%2F".utf8), contentType: form)
                return (wrong, right, secure, missing)
            }
            #expect(wrong.status == 401)
            #expect(wrong.headers["set-cookie"] == nil)
            #expect(wrong.headers["www-authenticate"] == #"Bearer realm="leadscore""#)
            #expect(wrong.headers["content-type"] == "text/html; charset=utf-8")
            #expect(wrong.text.contains(#"<p class="error" role="alert">"#))
            #expect(wrong.text.contains(#"name="next" value="/leads""#), "the form keeps where to go back to")
            #expect(missing.status == 401)

            #expect(right.status == 303)
            #expect(right.headers["location"] == "/leads?band=hot")
            let cookie = try #require(right.headers["set-cookie"])
            let attributes = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(attributes.contains("HttpOnly") && attributes.contains("SameSite=Strict") && attributes.contains("Path=/"))
            #expect(!attributes.contains("Secure"))
            let value = try #require(attributes.first?.split(separator: "=", maxSplits: 1).last)
            #expect(value.count == 64 && value.allSatisfy(\.isHexDigit))
            #expect(!cookie.contains(Self.token), "the cookie is not the token")

            #expect(secure.status == 303)
            #expect(secure.headers["location"] == "/")
            #expect(secure.headers["set-cookie"]?.hasSuffix("; Secure") == true)
            #expect(Self.cookie(secure.headers["set-cookie"]) != Self.cookie(cookie), "every login gets a session of its own")
            #expect(attributes.contains("Max-Age=43200"), "a working day")
        }
    }

    @Test(arguments: ["//evil.com", "https://evil.com", "/\\evil", "http:/x", "evil", "/\r\nSet-Cookie:x", "", "/\t/evil.com"])
    func aLoginNeverSendsTheBrowserElsewhere(_ next: String) async throws {
        let form = Self.form
        try await Self.withTokenServer { port in
            let body = "token=\(Self.token)&next=\(Access.percentEncoded(next))"
            let answer = try await Blocking.run {
                try HTTPConnection(port: port).request("POST", "/login", body: Array(body.utf8), contentType: form)
            }
            #expect(answer.status == 303)
            #expect(answer.headers["location"] == "/", "\(next)")
        }
    }

    /// The cookie of a login is what the page check takes: `/login` with it goes straight on, and so does a client
    /// with the bearer header; the API routes still want the bearer header; logging out clears the cookie and ends the
    /// session, so that a copy of the cookie is no good either.
    @Test func theSessionCookiePassesThePageCheckAndLoggingOutClearsIt() async throws {
        let form = Self.form
        try await Self.withTokenServer { port in
            let answers = try await Blocking.run {
                let connection = try HTTPConnection(port: port)
                let login = try connection.request("POST", "/login", body: Array("token=\(Self.token)".utf8), contentType: form)
                let cookie = [("Cookie", "theme=dark; " + Self.cookie(login.headers["set-cookie"]))]
                return try [
                    connection.request("GET", "/login?next=%2Fleads", headers: cookie),
                    connection.request("GET", "/login?next=%2Fleads", headers: Self.right),
                    connection.request("GET", "/login?next=%2Fleads", headers: [("Cookie", "leadscore_session=" + String(repeating: "0", count: 64))]),
                    connection.request("GET", "/v1/model", headers: cookie),
                    connection.request("POST", "/logout", body: [], headers: cookie, contentType: nil),
                    connection.request("GET", "/logout"),
                    // The session ended on the server: the copied cookie no longer opens a page.
                    connection.request("GET", "/login?next=%2Fleads", headers: cookie),
                ]
            }
            #expect(answers.map(\.status) == [303, 303, 200, 401, 303, 405, 200])
            #expect(answers[0].headers["location"] == "/leads")
            #expect(answers[1].headers["location"] == "/leads")
            #expect(answers[4].headers["location"] == "/login")
            let cleared = try #require(answers[4].headers["set-cookie"])
            #expect(cleared.hasPrefix("leadscore_session=;") && cleared.contains("Max-Age=0") && cleared.contains("HttpOnly"))
            #expect(answers[5].headers["allow"] == "POST")
        }
    }

    @Test func aLoginFormIsSmallAndAForm() async throws {
        let token = Self.token
        try await Self.withTokenServer { port in
            let (json, large) = try await Blocking.run {
                let json = try HTTPConnection(port: port).request("POST", "/login", body: Array(#"{"token":"\#(token)"}"#.utf8))
                let large = try HTTPConnection(port: port).request("POST", "/login", body: Array("token=".utf8) + [UInt8](repeating: 0x61, count: 5000),
                                                                   contentType: "application/x-www-form-urlencoded")
                return (json, large)
            }
            #expect(json.status == 415)
            #expect(large.status == 413)
        }
    }
}

/// The pieces of ``Access`` and the login page, on their own.
@Suite struct AccessTests {
    static let token = Array("correct-horse-battery-staple-42".utf8)

    func fields(_ pairs: [(HTTPField.Name, String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields.append(HTTPField(name: name, value: value)) }
        return fields
    }

    @Test func theComparisonIsExact() {
        let secret = Array("abcdefghijklmnop".utf8)
        #expect(Access.equal(secret, secret))
        #expect(Access.equal(secret[...], secret))
        #expect(!Access.equal(Array("abcdefghijklmnoq".utf8), secret))
        #expect(!Access.equal(Array("abcdefghijklmno".utf8), secret), "a prefix")
        #expect(!Access.equal(secret + [0], secret), "the secret and a 0")
        #expect(!Access.equal([], secret))
        #expect(!Access.equal(secret, []))
        #expect(Access.equal([], []))
    }

    @Test func theBearerTokenIsReadFromItsHeader() {
        #expect(Access.bearer("Bearer abc").map(Array.init) == Array("abc".utf8))
        #expect(Access.bearer("bEaReR \t abc  ").map(Array.init) == Array("abc".utf8))
        #expect(Access.bearer("Bearerabc") == nil)
        #expect(Access.bearer("Basic abc") == nil)
        #expect(Access.bearer("Bearer") == nil)
    }

    @Test func openAccessLetsEverythingThrough() {
        #expect(Access.open.allowsAPI(HTTPFields()))
        #expect(Access.open.allowsPage(HTTPFields()))
        #expect(Access.open.loginLocation(HTTPFields(), path: "/leads", query: nil) == nil)
    }

    /// A login with the right token: its `Set-Cookie` value.
    static func login(_ access: Access, secure: Bool = false) -> String {
        access.logIn(token: token, secure: secure) ?? "no login"
    }

    /// The session value of a `Set-Cookie` value.
    static func value(_ setCookie: String) -> String {
        String(setCookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)[1])
    }

    @Test func thePageCheckTakesTheCookieOfASessionOrTheBearerHeader() {
        let access = Access(tokenPath: nil, token: Self.token)
        let cookie = Self.login(access)
        let session = Self.value(cookie)
        #expect(session.count == 64 && session.allSatisfy(\.isHexDigit))
        #expect(cookie == "leadscore_session=\(session); Max-Age=43200; HttpOnly; SameSite=Strict; Path=/")
        #expect(Self.login(access, secure: true).hasSuffix("; Path=/; Secure"))
        #expect(access.allowsPage(fields([(.cookie, "a=b; leadscore_session=\(session); c=d")])))
        #expect(access.allowsPage(fields([(.cookie, "a=b"), (.cookie, "leadscore_session=\(session)")])))
        #expect(access.allowsPage(fields([(.cookie, "leadscore_session=x; leadscore_session=\(session)")])))
        #expect(access.allowsPage(fields([(.authorization, "Bearer correct-horse-battery-staple-42")])))
        #expect(!access.allowsPage(HTTPFields()))
        #expect(!access.allowsPage(fields([(.cookie, "leadscore_session=\(session.dropLast())")])))
        #expect(!access.allowsPage(fields([(.cookie, "leadscore_session=" + String(repeating: "0", count: 64))])), "a value no login got")
        #expect(!access.allowsPage(fields([(.cookie, "other_session=\(session)")])))
        #expect(!access.allowsAPI(fields([(.cookie, "leadscore_session=\(session)")])), "the API takes the bearer header only")
        #expect(access.loginLocation(HTTPFields(), path: "/leads/C 1", query: "band=hot&x=1") == "/login?next=/leads/C%201%3Fband%3Dhot%26x%3D1")
        #expect(access.loginLocation(fields([(.cookie, "leadscore_session=\(session)")]), path: "/leads", query: nil) == nil)
    }

    @Test func eachLoginHasASessionOfItsOwnThatALogoutOrTheClockEnds() {
        let access = Access(tokenPath: nil, token: Self.token)
        let (first, second) = (Self.value(Self.login(access)), Self.value(Self.login(access)))
        #expect(first != second)
        access.endSessions(fields([(.cookie, "leadscore_session=\(first)")]))
        #expect(!access.allowsPage(fields([(.cookie, "leadscore_session=\(first)")])), "logged out")
        #expect(access.allowsPage(fields([(.cookie, "leadscore_session=\(second)")])), "the other login stays")

        #expect(access.logIn(token: Array("correct-horse-battery-staple-4".utf8), secure: false) == nil, "a wrong token")
        #expect(Access.open.logIn(token: Self.token, secure: false) == "", "nothing to log in to")

        // On a clock of the test's: a session ends 12 hours after its login, to the second.
        let clock = TestClock()
        let timed = Access(tokenPath: nil, token: Self.token, clock: { clock.now })
        let cookie = Self.login(timed)
        let sent = fields([(.cookie, "leadscore_session=\(Self.value(cookie))")])
        clock.advance(by: .seconds(12 * 3600 - 1))
        #expect(timed.allowsPage(sent))
        clock.advance(by: .seconds(1))
        #expect(!timed.allowsPage(sent), "past its lifetime")
        _ = Self.login(timed)
        #expect(timed.sessionCount == 1, "the next login drops the ended one")
    }

    /// A clock that moves when told to.
    final class TestClock: @unchecked Sendable {
        private let lock = NSLock()
        private var instant = ContinuousClock.now
        var now: ContinuousClock.Instant { lock.withLock { instant } }
        func advance(by duration: Duration) { lock.withLock { instant += duration } }
    }

    @Test func theSessionsKeptAreBoundedAndTheOldestGoesFirst() {
        let access = Access(tokenPath: nil, token: Self.token)
        let first = Self.value(Self.login(access))
        let later = (1..<Access.maximumSessions).map { _ in Self.value(Self.login(access)) }
        #expect(access.sessionCount == Access.maximumSessions)
        #expect(access.allowsPage(fields([(.cookie, "leadscore_session=\(first)")])))
        let newest = Self.value(Self.login(access))
        #expect(access.sessionCount == Access.maximumSessions)
        #expect(!access.allowsPage(fields([(.cookie, "leadscore_session=\(first)")])), "the oldest made room")
        #expect(access.allowsPage(fields([(.cookie, "leadscore_session=\(later[0])")])))
        #expect(access.allowsPage(fields([(.cookie, "leadscore_session=\(newest)")])))
    }

    @Test func aNewTokenFileReplacesTheTokenAndEndsEverySessionAndABrokenOneIsIgnored() throws {
        let file = try AuthenticationTests.tokenFile()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let log = ServerLog(logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let access = try Access.load(tokenPath: file.path)
        let old = [(HTTPField.Name.authorization, "Bearer correct-horse-battery-staple-42")]
        let session = [(HTTPField.Name.cookie, "leadscore_session=\(Self.value(Self.login(access)))")]

        access.reload(log: log)  // the same token: nothing changes
        #expect(access.allowsAPI(fields(old)) && access.allowsPage(fields(session)))

        try Data("another-token-of-enough-length\n".utf8).write(to: file)
        access.reload(log: log)
        #expect(!access.allowsAPI(fields(old)))
        #expect(access.allowsAPI(fields([(.authorization, "Bearer another-token-of-enough-length")])))
        #expect(!access.allowsPage(fields(session)), "every session ended")

        for (text, mode) in [("short\n", 0o600), ("yet-another-token-long-enough\n", 0o644)] {
            try Data(text.utf8).write(to: file)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
            access.reload(log: log)
            #expect(access.allowsAPI(fields([(.authorization, "Bearer another-token-of-enough-length")])), "\(text) \(mode)")
        }
        #expect(Access.open.isOpen)
        Access.open.reload(log: log)
        #expect(Access.open.allowsAPI(HTTPFields()))
    }

    @Test(arguments: [("/", "/"), ("/leads?band=hot", "/leads?band=hot"), ("//evil.com", "/"), ("/\\evil.com", "/"),
                      ("https://evil.com", "/"), ("evil.com", "/"), ("", "/"), ("/a\r\nSet-Cookie: x", "/"), ("/é", "/"),
                      ("/a/\\b", "/")])
    func onlyLocalPathsAreTargets(_ next: String, _ target: String) {
        #expect(Access.localPath(next) == target)
    }

    @Test func forwardedHTTPSMakesTheCookieSecure() {
        #expect(Access.isSecure(fields([(Access.forwardedProto, "https")])))
        #expect(Access.isSecure(fields([(Access.forwardedProto, "HTTPS, http")])))
        #expect(!Access.isSecure(fields([(Access.forwardedProto, "http")])))
        #expect(!Access.isSecure(HTTPFields()))
    }

    @Test func theLoginPageEscapesWhatItShows() {
        let page = LoginPage.html(error: "<script>", next: #""><script>"#).text
        #expect(!page.contains("<script>"))
        #expect(page.contains("&lt;script&gt;"))
        #expect(!LoginPage.html(error: nil, next: nil).text.contains("name=\"next\""))
    }

    // MARK: The token file

    func refusal(_ text: String, mode: Int = 0o600) throws -> String? {
        let file = try AuthenticationTests.tokenFile(text, mode: mode)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        do {
            _ = try TokenFile.token(at: file.path)
            return nil
        } catch {
            return error.description.replacingOccurrences(of: file.path, with: "FILE")
        }
    }

    @Test func aGoodTokenFileIsRead() throws {
        let file = try AuthenticationTests.tokenFile("  correct-horse-battery-staple-42\r\n\n")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        #expect(try TokenFile.token(at: file.path) == Self.token)
        #expect(try Access.load(tokenPath: nil).isOpen)
        #expect(try !Access.load(tokenPath: file.path).isOpen)
    }

    @Test func aTokenFileThatWillNotDoSaysWhy() throws {
        #expect(try refusal("correct-horse-battery-staple-42", mode: 0o644)
                == "FILE: other users may read or change the token file (mode 644): chmod 600 FILE")
        #expect(try refusal("correct-horse-battery-staple-42", mode: 0o640)?.contains("chmod 600") == true)
        #expect(try refusal(" \n") == "FILE: the token file is empty: put one token in it, such as the output of `openssl rand -hex 32`")
        #expect(try refusal("short\n") == "FILE: the token is 5 characters long: use at least 16, such as the output of `openssl rand -hex 32`")
        #expect(try refusal("correct horse battery staple") == "FILE: the token has whitespace or a character that is not printable ASCII inside (byte 8): a token is one word, such as the output of `openssl rand -hex 32`")
        #expect(try refusal("correct-horse-battery-staple-\u{7}") != nil)
        #expect(try refusal("correct-horse-battery-staple-é") != nil)
        #expect(try refusal(String(repeating: "a", count: 5000))?.contains("larger than 4096 bytes") == true)
        let missing = "/nonexistent-\(UUID().uuidString)/token"
        #expect(throws: ServeError.unusableToken(path: missing, message: "cannot read the token file: there is no such file")) {
            try TokenFile.token(at: missing)
        }
        let folder = FileManager.default.temporaryDirectory.path
        #expect(throws: ServeError.unusableToken(path: folder, message: "cannot read the token file: this is a folder")) {
            try TokenFile.token(at: folder)
        }
    }
}
