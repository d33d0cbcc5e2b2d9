import Foundation
import Testing
import _TestSupport

/// Refusals: 400 naming the field, 404, 405, 413, all in the documented JSON error shape; and no body, however
/// broken, takes the server down.
@Suite struct BadRequestTests {
    let openapi = try! OpenAPIDocument.load()

    struct Case: Sendable, CustomTestStringConvertible {
        var body: String
        var field: String?
        var testDescription: String { field ?? "no field: \(body.prefix(30))" }
    }

    static let lead = #""contact_id":"C1","created_at":"2026-05-01","as_of":"2026-07-01""#

    static let cases: [Case] = [
        Case(body: "", field: nil),
        Case(body: "{", field: nil),
        Case(body: "[1,2]", field: nil),
        Case(body: #"{"contact_id":"C1","created_at":"2026-05-01","as_of":"2026-07-01","evnts":[]}"#, field: "evnts"),
        Case(body: #"{"created_at":"2026-05-01"}"#, field: "contact_id"),
        Case(body: #"{"contact_id":7,"created_at":"2026-05-01"}"#, field: "contact_id"),
        Case(body: #"{"contact_id":"","created_at":"2026-05-01"}"#, field: "contact_id"),
        Case(body: #"{"contact_id":"C1"}"#, field: "created_at"),
        Case(body: #"{"contact_id":"C1","created_at":"yesterday"}"#, field: "created_at"),
        Case(body: #"{"contact_id":"C1","created_at":"2026-05-01","as_of":"2026-04-01"}"#, field: "created_at"),
        Case(body: #"{"contact_id":"C1","created_at":"2026-05-01","as_of":"soon"}"#, field: "as_of"),
        Case(body: "{\(lead),\"profile\":[1]}", field: "profile"),
        Case(body: "{\(lead),\"profile\":{\"company_size\":\"three hundred\"}}", field: "profile.company_size"),
        Case(body: "{\(lead),\"profile\":{\"job_title\":{\"a\":1}}}", field: "profile.job_title"),
        Case(body: "{\(lead),\"events\":{}}", field: "events"),
        Case(body: "{\(lead),\"events\":[\"demo_request\"]}", field: "events[0]"),
        Case(body: "{\(lead),\"events\":[{\"event\":\"demo_request\"}]}", field: "events[0].timestamp"),
        Case(body: "{\(lead),\"events\":[{\"timestamp\":\"2026-06-01\"}]}", field: "events[0].event"),
        Case(body: "{\(lead),\"events\":[{\"timestamp\":\"2026-06-01\",\"event\":\"\"}]}", field: "events[0].event"),
        Case(body: "{\(lead),\"events\":[{\"timestamp\":\"2026-06-01\",\"event\":\"x\"},{\"timestamp\":\"2026-13-01\",\"event\":\"x\"}]}", field: "events[1].timestamp"),
        Case(body: "{\(lead),\"events\":[{\"timestamp\":\"2026-04-01\",\"event\":\"demo_request\"}]}", field: "events[0].timestamp"),
        Case(body: #"{"leads":{}}"#, field: "leads"),
        Case(body: #"{"leads":[]}"#, field: "leads"),
        Case(body: #"{"leads":[],"extra":1}"#, field: "extra"),
        Case(body: "{\"leads\":[{\(lead)},{\(lead)},{\(lead),\"events\":[{\"timestamp\":\"bad\",\"event\":\"x\"}]}]}", field: "leads[2].events[0].timestamp"),
        Case(body: "{\"leads\":[{\(lead)},7]}", field: "leads[1]"),
        Case(body: #"{"contact_id":"C1","contact_id":"C2","created_at":"2026-05-01"}"#, field: nil),
    ]

    @Test(arguments: cases)
    func aBadFieldGets400NamingIt(_ bad: Case) async throws {
        try await TestServer.with { port in
            let response = try await Blocking.request(port: port, "POST", "/v1/score", body: Array(bad.body.utf8))
            #expect(response.status == 400, "\(response.text)")
            let error = try response.object()["error"] as? [String: Any]
            #expect((error?["field"] as? String) == bad.field, "\(response.text)")
            let message = error?["message"] as? String ?? ""
            #expect(!message.isEmpty)
            #expect(openapi.problems("POST", "/v1/score", response) == [])
        }
    }

    @Test func anExplainOutOfRangeIsRefused() async throws {
        try await TestServer.with { port in
            let body = Array("{\(Self.lead)}".utf8)
            for query in ["explain=-1", "explain=x", "explain=101"] {
                let response = try await Blocking.request(port: port, "POST", "/v1/score?\(query)", body: body)
                #expect(response.status == 400)
                #expect((try response.object()["error"] as? [String: Any])?["field"] as? String == "explain")
            }
        }
    }

    @Test func aBodyOverTheLimitGets413() async throws {
        try await TestServer.with(TestServer.options(maxBody: 4096)) { port in
            let events = (0..<200).map { _ in #"{"timestamp":"2026-06-01","event":"page_view"}"# }.joined(separator: ",")
            let body = Array("{\(Self.lead),\"events\":[\(events)]}".utf8)
            #expect(body.count > 4096)
            let response = try await Blocking.request(port: port, "POST", "/v1/score", body: body)
            #expect(response.status == 413)
            #expect(openapi.problems("POST", "/v1/score", response) == [])
            // Chunked, with no length announced: refused while reading.
            let chunked = try await Blocking.run {
                let connection = try HTTPConnection(port: port)
                var request = Array("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
                for start in stride(from: 0, to: body.count, by: 1000) {
                    let piece = body[start..<min(body.count, start + 1000)]
                    request += Array("\(String(piece.count, radix: 16))\r\n".utf8) + piece + Array("\r\n".utf8)
                }
                request += Array("0\r\n\r\n".utf8)
                try connection.send(request)
                return try connection.readResponse()
            }
            #expect(chunked.status == 413)
            // A small body still goes through.
            let small = try await Blocking.request(port: port, "POST", "/v1/score", body: Array("{\(Self.lead)}".utf8))
            #expect(small.status == 200)
        }
    }

    @Test func anUnknownRouteGets404AndAWrongMethod405() async throws {
        try await TestServer.with { port in
            let missing = try await Blocking.request(port: port, "GET", "/v2/score")
            #expect(missing.status == 404)
            #expect(try missing.object()["error"] != nil)
            let wrong = try await Blocking.request(port: port, "GET", "/v1/score")
            #expect(wrong.status == 405)
            #expect(wrong.headers["allow"] == "POST")
            #expect(openapi.problems("POST", "/v1/score", wrong) == [])
            let post = try await Blocking.request(port: port, "POST", "/healthz", body: [])
            #expect(post.status == 405)
            #expect(post.headers["allow"] == "GET, HEAD")
        }
    }

    /// Random bytes, truncations of a good body and byte flips of it: each gets an answer (400 or 200), and the server
    /// answers a good request afterwards.
    @Test func noBodyCrashesTheServer() async throws {
        let good = SampleHistory.body(SampleHistory.shared.leadJSON("C000001"))
        var generator = SplitMix(seed: 42)
        var bodies: [[UInt8]] = []
        for length in stride(from: 0, to: good.count, by: max(1, good.count / 40)) { bodies.append(Array(good[..<length])) }
        for _ in 0..<60 {
            var flipped = good
            for _ in 0..<3 { flipped[Int(generator.next() % UInt64(flipped.count))] = UInt8(truncatingIfNeeded: generator.next()) }
            bodies.append(flipped)
        }
        for _ in 0..<40 { bodies.append((0..<Int(generator.next() % 300)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }) }
        bodies.append(Array(String(repeating: "[", count: 100_000).utf8))
        bodies.append(Array(("{\"leads\":[" + String(repeating: "{},", count: 5000) + "{}]}").utf8))
        let toSend = bodies
        try await TestServer.with { port in
            let statuses = try await Blocking.run {
                let connection = try HTTPConnection(port: port)
                return try toSend.map { try connection.request("POST", "/v1/score", body: $0).status }
            }
            #expect(statuses.allSatisfy { $0 == 400 || $0 == 200 }, "\(statuses)")
            #expect(statuses.filter { $0 == 400 }.count > bodies.count / 2)
            // Malformed HTTP itself: the connection is refused or closed, and the server goes on.
            try await Blocking.run {
                let connection = try HTTPConnection(port: port)
                try connection.send(Array("GARBAGE \u{1} / HTTP/9\r\n\r\n\r\n".utf8) + (0..<200).map { UInt8($0) })
                _ = try? connection.readResponse()
            }
            let after = try await Blocking.request(port: port, "POST", "/v1/score", body: good)
            #expect(after.status == 200)
        }
    }
}

/// A small seeded generator for the fuzz cases (SplitMix64), so a failure can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
