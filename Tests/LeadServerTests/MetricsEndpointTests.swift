import Foundation
@testable import LeadServer
import Testing
import _TestSupport

/// `GET /metrics`: the Prometheus text exposition of what the server answered, read back with a strict parser of the
/// format (``PrometheusExposition``). Counts are exact, whichever path answered (the pipeline handler, Hummingbird's
/// responder, or a refusal before any route); nothing here depends on timing.
@Suite struct MetricsEndpointTests {
    static let duration = "leadscore_http_request_duration_seconds"
    static let probability = "leadscore_score_probability"

    static func scrape(_ port: Int) async throws -> (HTTPResult, PrometheusExposition) {
        let response = try await Blocking.request(port: port, "GET", "/metrics")
        return (response, try PrometheusExposition(response.text))
    }

    static func raw(_ method: String, _ path: String, body: [UInt8]? = nil, contentType: String = "application/json") -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if let body { head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n" }
        return Array((head + "\r\n").utf8) + (body ?? [])
    }

    // MARK: Counting

    @Test func everyAnswerIsCountedByRouteAndStatusOnBothPaths() async throws {
        let ids = SampleHistory.shared.spread(6)
        try #require(ids.count == 6)
        let good = ids.map { SampleHistory.body(SampleHistory.shared.leadJSON($0)) }
        let batch = SampleHistory.body(["leads": [SampleHistory.shared.leadJSON(ids[3]), SampleHistory.shared.leadJSON(ids[4])]])
        let maxBody = 16 * 1024
        try #require((good + [batch]).allSatisfy { $0.count < maxBody })
        try await TestServer.with(TestServer.options(maxBody: maxBody)) { port in
            let answers = try await Blocking.run {
                var answers: [HTTPResult] = []
                // One keep-alive connection: scores answered in the pipeline handler, and routes Hummingbird answers.
                let connection = try HTTPConnection(port: port)
                for body in good.prefix(3) { answers.append(try connection.request("POST", "/v1/score", body: body)) }
                answers.append(try connection.request("POST", "/v1/score", body: Array("{".utf8)))                      // 400
                answers.append(try connection.request("POST", "/v1/score", body: good[0], contentType: "text/plain"))     // 415
                answers.append(try connection.request("POST", "/v1/score", body: batch))                                 // 200, 2 leads
                answers.append(try connection.request("GET", "/v1/score"))                                               // 405
                answers.append(try connection.request("GET", "/v2/score"))                                               // 404, other
                answers.append(try connection.request("GET", "/healthz"))
                // Pipelined behind a GET: these scores go to Hummingbird's responder.
                let pipelined = try HTTPConnection(port: port)
                try pipelined.send(Self.raw("GET", "/healthz") + Self.raw("POST", "/v1/score", body: good[5]) + Self.raw("POST", "/v1/score", body: Array("[1,2]".utf8)))
                for _ in 0..<3 { answers.append(try pipelined.readResponse()) }
                // Refused on its declared length before any route (the connection guard answers), and while reading a
                // chunked body (the pipeline handler answers).
                let declared = try HTTPConnection(port: port)
                try declared.send(Array("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(maxBody + 1)\r\n\r\n".utf8))
                answers.append(try declared.readResponse())
                let chunked = try HTTPConnection(port: port)
                let piece = [UInt8](repeating: 0x20, count: 4096)
                var request = Array("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
                for _ in 0..<5 { request += Array("1000\r\n".utf8) + piece + Array("\r\n".utf8) }
                try chunked.send(request + Array("0\r\n\r\n".utf8))
                answers.append(try chunked.readResponse())
                // Malformed HTTP: no head, so no route.
                let garbage = try HTTPConnection(port: port)
                try garbage.send(Array("GARBAGE \u{1} / HTTP/9\r\n\r\n".utf8))
                answers.append(try garbage.readResponse())
                answers.append(try HTTPConnection(port: port).request("GET", "/v1/model"))
                return answers
            }
            #expect(answers.map(\.status) == [200, 200, 200, 400, 415, 200, 405, 404, 200, 200, 200, 400, 413, 413, 400, 200])

            let (response, metrics) = try await Self.scrape(port)
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            let requests: [String: [String: Double]] = [
                "/healthz": ["200": 2],
                "/v1/model": ["200": 1],
                "/v1/score": ["200": 5, "400": 2, "405": 1, "413": 2, "415": 1],
                "other": ["400": 1, "404": 1],
            ]
            let found = metrics.samples("leadscore_http_requests_total")
            #expect(found.count == requests.values.map(\.count).reduce(0, +), "\(found)")
            for (route, statuses) in requests {
                for (status, count) in statuses {
                    #expect(metrics.value("leadscore_http_requests_total", ["route": route, "status": status]) == count, "\(route) \(status)")
                }
            }
            // Errors by route: every route, zero included; this scrape is not counted in itself.
            let errors = ["/healthz": 0.0, "/metrics": 0, "/v1/leads/{contact_id}": 0, "/v1/model": 0, "/v1/score": 6, "other": 2, "page": 0]
            for (route, count) in errors {
                #expect(metrics.value("leadscore_http_request_errors_total", ["route": route]) == count, "\(route)")
            }
            // The duration histogram counts every answer of its route, in cumulative buckets.
            for route in errors.keys {
                let answered = requests[route]?.values.reduce(0, +) ?? 0
                Self.expectHistogram(metrics, Self.duration, ["route": route], count: answered, bounds: ServerMetrics.durationBounds)
            }
            #expect(Array(metrics.samples(Self.duration + "_count").map { $0.label("route") ?? "" })
                    == ["/healthz", "/metrics", "/v1/leads/{contact_id}", "/v1/model", "/v1/score", "other", "page"])

            // Six leads were scored: three alone, two in the batch, one on Hummingbird's path; the histogram holds
            // their probabilities as answered.
            var probabilities: [Double] = []
            for answer in answers where answer.status == 200 && answer.headers["leadscore-model"] != nil {
                let object = try answer.object()
                let leads = (object["results"] as? [[String: Any]]) ?? [object]
                probabilities += leads.compactMap { $0["probability"] as? Double }
            }
            #expect(probabilities.count == 6)
            Self.expectHistogram(metrics, Self.probability, [:], count: 6, bounds: ServerMetrics.probabilityBounds)
            for (le, count) in metrics.buckets(Self.probability) {
                #expect(count == Double(probabilities.filter { $0 <= le }.count), "le=\(le)")
            }
            #expect(abs((metrics.value(Self.probability + "_sum") ?? -1) - probabilities.reduce(0, +)) < 1e-5)

            // The next scrape counts the first.
            let (_, again) = try await Self.scrape(port)
            #expect(again.value("leadscore_http_requests_total", ["route": "/metrics", "status": "200"]) == 1)
            #expect(again.value(Self.duration + "_count", ["route": "/metrics"]) == 1)
            #expect(again.value("leadscore_http_requests_total", ["route": "/v1/score", "status": "200"]) == 5)
        }
    }

    /// Buckets cumulative and in increasing `le`, the last `+Inf` and equal to `_count`, which is `count`.
    static func expectHistogram(_ metrics: PrometheusExposition, _ family: String, _ labels: [String: String], count: Double, bounds: [Double],
                                sourceLocation: SourceLocation = #_sourceLocation) {
        let buckets = metrics.buckets(family, labels)
        #expect(buckets.map(\.le) == bounds + [.infinity], sourceLocation: sourceLocation)
        #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.count <= $1.count }, "\(buckets)", sourceLocation: sourceLocation)
        #expect(buckets.last?.count == count, "\(labels)", sourceLocation: sourceLocation)
        #expect(metrics.value(family + "_count", labels) == count, "\(labels)", sourceLocation: sourceLocation)
        let sum = metrics.value(family + "_sum", labels) ?? -1
        #expect(sum >= 0 && (count > 0 || sum == 0), sourceLocation: sourceLocation)
    }

    @Test func unknownPathsShareOneLabelAndQueriesKeepTheRoute() async throws {
        try await TestServer.with { port in
            let statuses = try await Blocking.run {
                let connection = try HTTPConnection(port: port)
                return try (0..<25).map { i in try connection.request("GET", "/probe-\(i)?x=\(i)").status }
                    + [try connection.request("GET", "/healthz?verbose=1").status, try connection.request("GET", "/metrics?format=text").status]
            }
            #expect(statuses == Array(repeating: 404, count: 25) + [200, 200])
            let (_, metrics) = try await Self.scrape(port)
            #expect(metrics.samples("leadscore_http_requests_total").map { $0.label("route") ?? "" } == ["/healthz", "/metrics", "other"])
            #expect(metrics.value("leadscore_http_requests_total", ["route": "other", "status": "404"]) == 25)
            #expect(metrics.value("leadscore_http_requests_total", ["route": "/healthz", "status": "200"]) == 1)
            #expect(metrics.value("leadscore_http_requests_total", ["route": "/metrics", "status": "200"]) == 1)
            let routes = Set(metrics.samples.compactMap { $0.label("route") })
            #expect(routes == ["/healthz", "/metrics", "/v1/leads/{contact_id}", "/v1/model", "/v1/score", "other", "page"])
        }
    }

    @Test(arguments: [
        ("/v1/score", ServerMetrics.Route.score), ("/v1/score?explain=2", .score), ("/v1/score#x", .score),
        ("http://127.0.0.1:8080/v1/score?explain=1", .score), ("/healthz", .healthz), ("/v1/model", .model), ("/metrics", .metrics),
        ("/v1/score/", .other), ("/v1/scores", .other), ("/V1/score", .other), ("//v1/score", .other), ("/", .page), ("*", .other),
        ("/score", .page), ("/leads?page=2", .page), ("/leads/C1", .page), ("/login?next=%2F", .page), ("/logout", .page), ("/leads/", .other),
        ("", .other), ("http://host", .other), ("v1/score", .other), ("/metrics/../v1/score", .other),
        ("/v1/leads/C000042", .lead), ("/v1/leads/a%2Fb?explain=2", .lead), ("http://127.0.0.1:8080/v1/leads/x", .lead),
        ("/v1/leads/", .other), ("/v1/leads", .other), ("/v1/leads/a/b", .other),
    ])
    func aTargetIsCountedUnderItsRouteTemplate(_ target: String, _ route: ServerMetrics.Route) {
        #expect(ServerMetrics.Route(target: target) == route)
    }

    @Test func aValueOnABucketBoundIsInThatBucket() {
        #expect(ServerMetrics.bucket(of: 0.05, in: ServerMetrics.probabilityBounds) == 0)
        #expect(ServerMetrics.bucket(of: 0.0500001, in: ServerMetrics.probabilityBounds) == 1)
        #expect(ServerMetrics.bucket(of: 0.0, in: ServerMetrics.probabilityBounds) == 0)
        #expect(ServerMetrics.bucket(of: 1.0, in: ServerMetrics.probabilityBounds) == 19)
        #expect(ServerMetrics.bucket(of: 2.0, in: ServerMetrics.probabilityBounds) == 20)
        #expect(ServerMetrics.bucket(of: UInt64(100_000), in: [100_000, 250_000]) == 0)
        #expect(ServerMetrics.bucket(of: UInt64(100_001), in: [100_000, 250_000]) == 1)
        #expect(ServerMetrics.bucket(of: UInt64(999_999_999), in: [100_000, 250_000]) == 2)
    }

    // MARK: The model

    @Test func theModelLabelIsTheHealthHashAndChangesOnReload() async throws {
        let files = try ModelReloadTests.Files()
        defer { files.remove() }
        let otherHash = try ModelReloadTests.hash(files.other)
        try await TestServer.with(TestServer.options(model: files.model, poll: .milliseconds(5))) { port in
            let health = try await Blocking.request(port: port, "GET", "/healthz")
            let hash = try #require((try health.object()["model"] as? [String: Any])?["hash"] as? String)
            let (_, before) = try await Self.scrape(port)
            let info = before.samples("leadscore_model_info")
            #expect(info.count == 1)
            #expect(info.first?.labels.map(\.0) == ["input", "model", "path"])
            #expect(info.first?.label("model") == hash)
            #expect(info.first?.label("input") == "history")
            #expect(info.first?.label("path") == "model.json")
            #expect(info.first?.value == 1)
            #expect(before.value("leadscore_model_reloads_total") == 0)
            #expect(before.value("leadscore_model_reload_failures_total") == 0)

            try files.install(files.other)
            #expect(try await ModelReloadTests.waitForModel(otherHash, port: port))
            let (_, after) = try await Self.scrape(port)
            #expect(after.samples("leadscore_model_info").map { $0.label("model") } == [otherHash])
            #expect(otherHash != hash)
            #expect(after.value("leadscore_model_reloads_total") == 1)
            #expect(after.value("leadscore_model_reload_failures_total") == 0)
        }
    }

    /// A model file named with a quote, a backslash and a line feed: its label is escaped, and reads back as the name
    /// `/healthz` gives.
    @Test func aModelFileNameIsEscapedInItsLabel() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let name = "odd \"model\" \\ v2\nnext line.json"
        let path = folder.appendingPathComponent(name).path
        try FileManager.default.copyItem(atPath: TestServer.sampleModel, toPath: path)
        try await TestServer.with(TestServer.options(model: path)) { port in
            let health = try await Blocking.request(port: port, "GET", "/healthz")
            #expect((try health.object()["model"] as? [String: Any])?["path"] as? String == name)
            let (response, metrics) = try await Self.scrape(port)
            #expect(response.text.contains(#"path="odd \"model\" \\ v2\nnext line.json""#))
            #expect(metrics.samples("leadscore_model_info").first?.label("path") == name)
        }
    }

    @Test func theDocumentListsMetricsAndAWrongMethodGets405() async throws {
        let openapi = try OpenAPIDocument.load()
        let operation = ((openapi.root["paths"] as? [String: Any])?["/metrics"] as? [String: Any])?["get"] as? [String: Any]
        let ok = (operation?["responses"] as? [String: Any])?["200"] as? [String: Any]
        #expect((ok?["content"] as? [String: Any])?["text/plain"] != nil)
        try await TestServer.with { port in
            let wrong = try await Blocking.request(port: port, "POST", "/metrics", body: [])
            #expect(wrong.status == 405)
            #expect(wrong.headers["allow"] == "GET, HEAD")
            #expect(openapi.problems("GET", "/metrics", wrong) == [])
            let (_, metrics) = try await Self.scrape(port)
            #expect(metrics.value("leadscore_http_requests_total", ["route": "/metrics", "status": "405"]) == 1)
            #expect(metrics.value("leadscore_http_request_errors_total", ["route": "/metrics"]) == 1)
        }
    }

    // MARK: The format

    @Test func theExpositionIsInOrderAndEveryLineFollowsTheFormat() async throws {
        try await TestServer.with { port in
            _ = try await Blocking.request(port: port, "POST", "/v1/score", body: SampleHistory.body(SampleHistory.shared.leadJSON("C000002")))
            _ = try await Blocking.request(port: port, "GET", "/nowhere")
            let (response, metrics) = try await Self.scrape(port)
            let names = metrics.families.map(\.name)
            #expect(names == [
                "leadscore_http_request_duration_seconds", "leadscore_http_request_errors_total", "leadscore_http_requests_total",
                "leadscore_model_info", "leadscore_model_reload_failures_total", "leadscore_model_reloads_total", "leadscore_score_probability",
            ])
            #expect(names == names.sorted())
            #expect(metrics.families.map(\.type) == ["histogram", "counter", "counter", "gauge", "counter", "counter", "histogram"])
            #expect(metrics.families.allSatisfy { !$0.help.isEmpty })
            // Within a family, label sets in order (a histogram's: by route, then buckets by le, _sum, _count).
            for family in metrics.families {
                let samples = metrics.samples.filter { $0.family == family.name }
                let keys = samples.map { $0.labels.filter { $0.0 != "le" }.map(\.1) }
                #expect(zip(keys, keys.dropFirst()).allSatisfy { !$1.lexicographicallyPrecedes($0) }, "\(family.name)")
            }
            // The same counts give the same bytes.
            let (again, _) = try await Self.scrape(port)
            let firstScrape = response.text.split(separator: "\n").filter { !$0.contains(#"route="/metrics""#) }
            let secondScrape = again.text.split(separator: "\n").filter { !$0.contains(#"route="/metrics""#) }
            #expect(firstScrape == secondScrape)
        }
    }

    @Test func labelValuesAndHelpTextsAreEscaped() throws {
        var text = PrometheusText()
        text.family("x_total", .counter, help: "a \\ and a\nline feed; \"quotes\" stay")
        text.sample("x_total", labels: [("a", #"back\slash"#), ("b", #"say "hi""#), ("c", "two\nlines"), ("d", "tab\tand é")], 3 as UInt64)
        text.sample("x_total", labels: [("a", "")], 0.25)
        text.sample("x_total", 1e-05)
        #expect(text.text == """
            # HELP x_total a \\\\ and a\\nline feed; "quotes" stay
            # TYPE x_total counter
            x_total{a="back\\\\slash",b="say \\"hi\\"",c="two\\nlines",d="tab\tand é"} 3
            x_total{a=""} 0.25
            x_total 1e-05

            """)
        let parsed = try PrometheusExposition(text.text)
        #expect(parsed.families == [.init(name: "x_total", type: "counter", help: "a \\ and a\nline feed; \"quotes\" stay")])
        #expect(parsed.samples.first?.labels.map(\.1) == [#"back\slash"#, #"say "hi""#, "two\nlines", "tab\tand é"])
        #expect(parsed.samples.map(\.value) == [3, 0.25, 1e-05])
        #expect(PrometheusText.number(1) == "1")
        #expect(PrometheusText.number(.infinity) == "+Inf")
        #expect(PrometheusText.number(0.00025) == "0.00025")
    }

    /// The reader can fail: a line off the format is caught, so its passing on the server's output means something.
    @Test(arguments: [
        "x_total 1\n",                                                   // no TYPE line
        "# TYPE x_total counter\nx_total{a=\"b\"} 1",                    // no final line feed
        "# TYPE x_total counter\nx_total{a=\"b\\\"} 1\n",                // the value's quote escaped away
        "# TYPE x_total counter\nx_total{a=\"b\\t\"} 1\n",               // an escape the format does not have
        "# TYPE x_total counter\nx_total{a=\"b\"c\"} 1\n",               // a bare quote in a value
        "# TYPE x_total counter\nx_total{a=\"b\",a=\"c\"} 1\n",          // a label twice
        "# TYPE x_total counter\nx_total{1a=\"b\"} 1\n",                 // a bad label name
        "# TYPE x_total counter\nx-total 1\n",                           // a bad metric name
        "# TYPE x_total counter\nx_total one\n",                         // not a number
        "# TYPE x_total counter\ny_total 1\n",                           // another family's sample
        "# TYPE x_total counter\n# TYPE x_total counter\nx_total 1\n",   // TYPE twice
        "# TYPE x_total counter\n# HELP x_total late\nx_total 1\n",      // HELP after TYPE
        "# TYPE x histogram\nx_bucket 1\n",                              // a bucket without le
        "# TYPE x_total counter\nx_total 1\n# TYPE y gauge\ny 1\n# TYPE x_total counter\nx_total 2\n",  // a family split
        "# TYPE x_total counter\n\nx_total 1\n",                         // a blank line
    ])
    func aMalformedExpositionIsCaught(_ text: String) {
        #expect(throws: PrometheusExposition.Malformed.self) { try PrometheusExposition(text) }
    }
}
