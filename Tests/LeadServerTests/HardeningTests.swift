import Foundation
import LeadServer
import Testing
import _TestSupport

/// What no client may do to the server: hold connections with nothing or half a request, leave answers unread, send
/// malformed HTTP, oversized or mislabelled requests, or ask for answers far larger than its request.
@Suite struct HardeningTests {
    let openapi = try! OpenAPIDocument.load()

    static let body = SampleHistory.body(SampleHistory.shared.leadJSON("C000002"))

    /// Short limits, so that each timeout shows within a second or two.
    static let quick = ServerLimits(headerTimeout: .milliseconds(800), bodyTimeout: .milliseconds(800), idleTimeout: .milliseconds(800),
                                    writeTimeout: .milliseconds(800))

    // MARK: Timeouts

    @Test func connectionsThatSendNothingOrGoIdleOrStopMidRequestAreClosed() async throws {
        try await TestServer.with(TestServer.options(limits: Self.quick)) { port in
            let body = Self.body
            let (silent, idle, midHead, midBody, answers) = try await Blocking.run {
                let silent = try HTTPConnection(port: port)
                let idle = try HTTPConnection(port: port)
                let answered = try idle.request("GET", "/healthz")
                let midHead = try HTTPConnection(port: port)
                try midHead.send(Array("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-".utf8))
                let midBody = try HTTPConnection(port: port)
                try midBody.send(Array("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
                                 + body.prefix(10))
                // Each must be closed, long before a connection that is never timed out would be (the bound is generous:
                // with the whole suite running in parallel on two cores, a timer may fire late); the two cut
                // mid-request get 408 first.
                let closed = [silent, idle, midHead, midBody].map { $0.waitForClose(within: 10) }
                return (closed[0], closed[1], closed[2], closed[3], [answered.status])
            }
            #expect(answers == [200])
            #expect(silent, "a connection that never sends a byte is closed after the header timeout")
            #expect(idle, "a kept-alive connection is closed after the idle timeout")
            #expect(midHead, "half a head is cut at the header timeout")
            #expect(midBody, "half a body is cut at the body timeout")
        }
    }

    @Test func aRequestCutOffGets408InTheErrorShape() async throws {
        try await TestServer.with(TestServer.options(limits: Self.quick)) { port in
            let body = Self.body
            let (head, half) = try await Blocking.run {
                let connection = try HTTPConnection(port: port)
                try connection.send(Array("GET /healthz HTTP/1.1\r\nHost: 127".utf8))
                let midBody = try HTTPConnection(port: port)
                try midBody.send(Array("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
                                 + body.prefix(10))
                return (try connection.readResponse(), try midBody.readResponse())
            }
            #expect(head.status == 408)
            #expect(openapi.problems("GET", "/healthz", head).isEmpty)
            #expect(head.text.contains("the request's head did not arrive within"))
            // Half a body: the head was read, so the request is the connection's one unanswered, and 408 is its answer.
            #expect(half.status == 408)
            #expect(openapi.problems("POST", "/v1/score", half).isEmpty)
            #expect(half.text.contains("the request's body did not arrive within"), "\(half.text)")
        }
    }

    /// A slowloris: 200 connections each trickling a head byte by byte. All are cut within the header timeout (and a
    /// tick) while a normal client is answered every time.
    @Test func aSlowlorisIsCutWhileANormalClientIsAnswered() async throws {
        // A header timeout of 2 s, not 1: with Chromium and the trainers running beside this test on two cores, the event
        // loop was once starved for over a second and cut the normal client's connection before reading its head.
        let limits = ServerLimits(headerTimeout: .seconds(2), bodyTimeout: .seconds(2), idleTimeout: .seconds(5), writeTimeout: .seconds(5))
        try await TestServer.with(TestServer.options(limits: limits)) { port in
            let (answered, cut) = try await Blocking.run {
                let slow = try (0..<200).map { _ in try HTTPConnection(port: port) }
                for connection in slow { try connection.send(Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".utf8)) }
                var statuses: [Int] = []
                for _ in 0..<6 {
                    for connection in slow { connection.trySend(Array("X-a: b\r\n".utf8)) }
                    // Answered, not necessarily fast: the suite runs CPU-heavy tests (training, rules learn) beside this
                    // one on two cores, where 10 s was once not enough; a server that never answers still fails.
                    statuses.append(try HTTPConnection(port: port, timeout: 30).request("GET", "/healthz").status)
                    Thread.sleep(forTimeInterval: 0.25)
                }
                let cut = slow.filter { $0.waitForClose(within: 8) }.count
                return (statuses, cut)
            }
            #expect(answered == [Int](repeating: 200, count: 6))
            #expect(cut == 200)
        }
    }

    /// A client that pipelines requests and never reads the answers: the server stops reading from it once the answers
    /// back up, and closes it after the write timeout.
    @Test func aClientThatNeverReadsIsClosedAfterTheWriteTimeout() async throws {
        try await TestServer.with(TestServer.options(limits: Self.quick)) { port in
            let body = Self.body
            let closed = try await Blocking.run {
                let connection = try HTTPConnection(port: port)
                var request = Array("POST /v1/score?explain=20 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
                request += body
                // Until the server stops reading (our sends fail with a full buffer), or 20,000 requests.
                var sent = 0
                while sent < 20_000, connection.trySend(request) { sent += 1 }
                Thread.sleep(forTimeInterval: 3)
                // Closed by now: reading shows the end after the answers that did get through.
                return connection.waitForClose(within: 30)
            }
            #expect(closed)
        }
    }

    // MARK: Protocol errors

    /// Malformed HTTP followed by more than the decoder buffers: answered 400 in the error shape, and the connection
    /// closed by the server (the descriptor count is checked in ServeHardeningCommandTests).
    @Test(arguments: [0, 64 << 10, 256 << 10])
    func malformedHTTPIsAnsweredAndTheConnectionClosed(trailing: Int) async throws {
        try await TestServer.with { port in
            let (answer, closed) = try await Blocking.run {
                let connection = try HTTPConnection(port: port)
                connection.trySend(Array("GARBAGE\r\n\r\n".utf8) + [UInt8](repeating: 0x61, count: trailing))
                let answer = try connection.readResponse()
                return (answer, connection.waitForClose(within: 5))
            }
            #expect(answer.status == 400)
            #expect(answer.headers["connection"] == "close")
            #expect(try answer.object()["error"] != nil)
            #expect(closed)
        }
    }

    @Test func aHeadTooLargeGets431() async throws {
        try await TestServer.with { port in
            let answer = try await Blocking.run {
                let connection = try HTTPConnection(port: port)
                connection.trySend(Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-big: \(String(repeating: "a", count: 200_000))\r\n\r\n".utf8))
                return try connection.readResponse()
            }
            #expect(answer.status == 431)
            #expect(try answer.object()["error"] != nil)
        }
    }

    @Test func connectIsRefusedWithABodyAndALength() async throws {
        try await TestServer.with { port in
            let answer = try await Blocking.run {
                try HTTPConnection(port: port).request("CONNECT", "example.com:443")
            }
            #expect(answer.status == 405)
            #expect(answer.headers["content-length"] == String(answer.body.count))
            #expect(try answer.object()["error"] != nil)
        }
    }

    /// A declared body over the limit is refused on its head alone: the client never sends the body and still gets
    /// the answer, and the connection is closed.
    @Test func aHugeDeclaredBodyIsRefusedBeforeItIsSent() async throws {
        try await TestServer.with { port in
            let (answer, closed) = try await Blocking.run {
                let connection = try HTTPConnection(port: port)
                try connection.send(Array("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 99999999\r\n\r\n".utf8))
                let answer = try connection.readResponse()
                return (answer, connection.waitForClose(within: 5))
            }
            #expect(answer.status == 413)
            #expect(openapi.problems("POST", "/v1/score", answer).isEmpty)
            #expect(closed)
        }
    }

    // MARK: Keep-alive

    @Test(arguments: ["HTTP/1.0", "HTTP/1.1 close", "HTTP/1.1 Close", "HTTP/1.1 CLOSE"])
    func http10AndConnectionCloseInAnyCaseCloseTheConnection(kind: String) async throws {
        try await TestServer.with { port in
            let body = Self.body
            for path in ["/healthz", "/v1/score"] {
                let (answer, closed) = try await Blocking.run {
                    let connection = try HTTPConnection(port: port)
                    let version = kind.hasPrefix("HTTP/1.0") ? "HTTP/1.0" : "HTTP/1.1"
                    var head = "\(path == "/healthz" ? "GET" : "POST") \(path) \(version)\r\nHost: 127.0.0.1\r\n"
                    if let token = kind.split(separator: " ").dropFirst().first { head += "Connection: \(token)\r\n" }
                    if path != "/healthz" { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
                    try connection.send(Array((head + "\r\n").utf8) + (path == "/healthz" ? [] : body))
                    let answer = try connection.readResponse()
                    return (answer, connection.waitForClose(within: 5))
                }
                #expect(answer.status == 200, "\(kind) \(path)")
                #expect(closed, "\(kind) \(path)")
            }
        }
    }

    @Test func http10WithKeepAliveStaysOpen() async throws {
        try await TestServer.with { port in
            let statuses = try await Blocking.run {
                let connection = try HTTPConnection(port: port)
                var statuses: [Int] = []
                for _ in 0..<2 {
                    try connection.send(Array("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".utf8))
                    statuses.append(try connection.readResponse().status)
                }
                return statuses
            }
            #expect(statuses == [200, 200])
        }
    }

    // MARK: Who may ask

    @Test func aHostOfAnotherServerIsRefused() async throws {
        try await TestServer.with(TestServer.options(allowedHosts: ["scoring.internal"])) { port in
            for (host, status) in [("evil.example", 421), ("evil.example:\(port)", 421), ("127.0.0.1:\(port)", 200), ("localhost", 200),
                                   ("[::1]:\(port)", 200), ("10.1.2.3", 200), ("Scoring.Internal", 200), ("scoring.internal.", 200)] {
                let answer = try await Blocking.run {
                    let connection = try HTTPConnection(port: port)
                    try connection.send(Array("GET /v1/model HTTP/1.1\r\nHost: \(host)\r\n\r\n".utf8))
                    return try connection.readResponse()
                }
                #expect(answer.status == status, "\(host)")
                if status == 421 { #expect(openapi.problems("GET", "/v1/model", answer).isEmpty) }
            }
        }
    }

    @Test(arguments: [nil, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
    func aScoreThatIsNotJSONIsRefused(contentType: String?) async throws {
        try await TestServer.with { port in
            let body = Self.body
            let answer = try await Blocking.run {
                try HTTPConnection(port: port).request("POST", "/v1/score", body: body, contentType: contentType)
            }
            #expect(answer.status == 415, "\(contentType ?? "none")")
            #expect(openapi.problems("POST", "/v1/score", answer).isEmpty)
        }
    }

    @Test func jsonWithACharsetIsTaken() async throws {
        try await TestServer.with { port in
            let body = Self.body
            let answer = try await Blocking.run {
                try HTTPConnection(port: port).request("POST", "/v1/score", body: body, contentType: "Application/JSON; charset=utf-8")
            }
            #expect(answer.status == 200)
        }
    }

    @Test func pathsOnTheServerAreNotShown() async throws {
        try await TestServer.with { port in
            for path in ["/healthz", "/v1/model"] {
                let answer = try await Blocking.request(port: port, "GET", path)
                #expect(answer.status == 200)
                #expect(!answer.text.contains(TestServer.root.path), "\(path)")
                #expect(answer.text.contains("\"sample.json\""), "\(path)")
            }
        }
    }

    // MARK: Batches

    /// A batch of `count` copies of the sample lead, with distinct ids.
    static func batch(_ count: Int) -> [UInt8] {
        let leads = (0..<count).map { i -> [String: Any] in
            var lead = SampleHistory.shared.leadJSON("C000002")
            lead["contact_id"] = "L\(i)"
            return lead
        }
        return Array(try! JSONSerialization.data(withJSONObject: ["leads": leads]))
    }

    @Test func batchesAreCapped() async throws {
        let limits = ServerLimits(maxBatchLeads: 50, maxBatchReasons: 4)
        try await TestServer.with(TestServer.options(maxBody: 8 << 20, limits: limits)) { port in
            let tooMany = try await Blocking.request(port: port, "POST", "/v1/score", body: Self.batch(51))
            #expect(tooMany.status == 400)
            #expect(try (tooMany.object()["error"] as? [String: Any])?["field"] as? String == "leads")
            let tooManyReasons = try await Blocking.request(port: port, "POST", "/v1/score?explain=5", body: Self.batch(2))
            #expect(tooManyReasons.status == 400)
            #expect(try (tooManyReasons.object()["error"] as? [String: Any])?["field"] as? String == "explain")
            // The default number of reasons is cut to the cap; a single lead may have more.
            let capped = try await Blocking.request(port: port, "POST", "/v1/score", body: Self.batch(50))
            #expect(capped.status == 200)
            let first = try #require((try capped.object()["results"] as? [[String: Any]])?.first)
            #expect((first["reasons_up"] as? [Any])?.count == 3)
            let single = try await Blocking.request(port: port, "POST", "/v1/score?explain=20", body: Self.body)
            #expect(single.status == 200)
            let reasons = try single.object()
            #expect(max((reasons["reasons_up"] as? [Any])?.count ?? 0, (reasons["reasons_down"] as? [Any])?.count ?? 0) > 4)
        }
    }

    /// A large batch is scored off the event loops and streamed in chunks: the same results, lead for lead, as a
    /// small batch answered whole.
    @Test func aLargeBatchIsStreamedWithTheSameResults() async throws {
        try await TestServer.with(TestServer.options(maxBody: 8 << 20)) { port in
            let large = try await Blocking.request(port: port, "POST", "/v1/score?explain=2", body: Self.batch(400))
            #expect(large.status == 200)
            #expect(large.headers["transfer-encoding"] == "chunked")
            #expect(large.headers["leadscore-model"] != nil)
            #expect(openapi.problems("POST", "/v1/score", large).isEmpty)
            let small = try await Blocking.request(port: port, "POST", "/v1/score?explain=2", body: Self.batch(3))
            #expect(small.headers["content-length"] != nil)
            let results = try #require(try large.object()["results"] as? [[String: Any]])
            let few = try #require(try small.object()["results"] as? [[String: Any]])
            #expect(results.count == 400)
            #expect(results.map { $0["contact_id"] as? String } == (0..<400).map { "L\($0)" })
            for i in 0..<3 {
                #expect(NSDictionary(dictionary: results[i]).isEqual(to: few[i]))
            }
        }
    }

    // MARK: Numbers

    /// A number far beyond anything seen in training is scored at the edge of the training range, with a warning;
    /// nothing in the answer is NaN or infinite, and the reason shows the value short.
    @Test func anExtremeNumberIsClampedAndWarnedAbout() async throws {
        try await TestServer.with { port in
            var lead = SampleHistory.shared.leadJSON("C000002", numeric: ["company_size"])
            var profile = lead["profile"] as! [String: Any]
            profile["company_size"] = 1e308
            lead["profile"] = profile
            let body = Array(try JSONSerialization.data(withJSONObject: lead))
            let answer = try await Blocking.request(port: port, "POST", "/v1/score?explain=100", body: body)
            #expect(answer.status == 200)
            #expect(openapi.problems("POST", "/v1/score", answer).isEmpty)
            let object = try answer.object()
            let probability = try #require(object["probability"] as? Double)
            #expect(probability > 0 && probability < 1)
            let warnings = try #require(object["warnings"] as? [String])
            #expect(warnings.count == 1)
            #expect(warnings.first?.hasPrefix("company_size: 1e+308 is far outside the training range") == true)
            #expect(!answer.text.contains("nan") && !answer.text.contains("inf"))
            #expect(!answer.text.contains("0000000000"), "no 300-digit numbers")
        }
    }
}
