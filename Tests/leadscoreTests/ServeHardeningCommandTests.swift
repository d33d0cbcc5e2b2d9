import Foundation
import Testing
import _TestSupport

/// `leadscore serve` in its own process, under hostile and careless clients, with its descriptor limit lowered so that
/// a leak would show within the test: every probe leaves the descriptor count where it was, and normal clients are
/// answered throughout.
@Suite struct ServeHardeningCommandTests {
    static let lead = try! ServeCommandTests.lead("C000002", asOf: "2026-06-24")

    static func scoreRequest(_ body: Data, extra: String = "") -> [UInt8] {
        Array("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\(extra)\r\n".utf8) + body
    }

    /// The reported outage: malformed HTTP followed by more than the decoder buffers, the answer read, the connection
    /// closed by the client. 150 of them under a limit of 128 descriptors once left the server unable to answer
    /// anyone; now the count returns to its baseline and the server answers.
    @Test func protocolErrorsLeaveNoDescriptorBehind() async throws {
        let server = try ServeProcess(["--model", "models/sample.json"], descriptorLimit: 128)
        let port = server.port
        let first = try await Blocking.request(port: port, "GET", "/healthz")
        #expect(first.status == 200)
        let baseline = server.descriptors
        let statuses = try await Blocking.run {
            var statuses: [Int] = []
            for i in 0..<160 {
                let connection = try HTTPConnection(port: port, timeout: 10)
                if i % 16 == 15 {
                    // A head of 1 MB.
                    connection.trySend(Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX: ".utf8) + [UInt8](repeating: 0x61, count: 1 << 20))
                } else {
                    connection.trySend(Array("GARBAGE\r\n\r\n".utf8) + [UInt8](repeating: 0x61, count: 256 << 10))
                }
                statuses.append(try connection.readResponse().status)
            }
            return statuses
        }
        #expect(Set(statuses) == [400, 431])
        #expect(server.waitForDescriptors(atMost: baseline, within: 10) <= baseline)
        let after = try await Blocking.request(port: port, "GET", "/healthz")
        #expect(after.status == 200)
        #expect(server.log.contains("400 from 127.0.0.1:"), "protocol errors are logged")
        #expect(server.stop() == 0)
    }

    /// Mixed good, bad, slow and idle clients for `LEADSCORE_SOAK_SECONDS` (default 8), under a limit of 256
    /// descriptors: every good request is answered, and afterwards the descriptors are back at their baseline and the
    /// resident memory has not grown by more than 64 MB. The figures are printed for the record.
    @Test func aSoakOfMixedClientsLeavesNothingBehind() async throws {
        let seconds = Double(ProcessInfo.processInfo.environment["LEADSCORE_SOAK_SECONDS"] ?? "") ?? 8
        let server = try ServeProcess(["--model", "models/sample.json", "--rules", "datasets/rules/seed.json", "--header-timeout", "1",
                                       "--body-timeout", "1", "--idle-timeout", "2", "--write-timeout", "2"], descriptorLimit: 256)
        let port = server.port
        _ = try await Blocking.request(port: port, "GET", "/healthz")
        let baseline = server.descriptors
        let memoryBefore = server.residentBytes
        let good = Self.scoreRequest(Self.lead)
        let deadline = Date().addingTimeInterval(seconds)

        // Good clients: keep-alive single leads, answered every time.
        async let answered: [Int] = Blocking.run {
            var statuses: [Int] = []
            var connection = try HTTPConnection(port: port, timeout: 10)
            while Date() < deadline {
                try connection.send(good)
                statuses.append(try connection.readResponse().status)
                if statuses.count % 50 == 0 { connection = try HTTPConnection(port: port, timeout: 10) }
            }
            return statuses
        }
        // Bad clients: malformed HTTP, bodies that are not JSON, wrong hosts, oversized declarations, cut-off requests.
        async let bad: Int = Blocking.run {
            var sent = 0
            let probes: [[UInt8]] = [
                Array("GARBAGE\r\n\r\n".utf8) + [UInt8](repeating: 0x62, count: 100_000),
                Self.scoreRequest(Data("{\"leads\": [".utf8)),
                Array("GET /v1/model HTTP/1.1\r\nHost: evil.example\r\n\r\n".utf8),
                Array("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 99999999\r\n\r\n".utf8),
                Array(good.prefix(good.count / 2)),
                Array("CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\n".utf8),
            ]
            while Date() < deadline {
                let connection = try HTTPConnection(port: port, timeout: 5)
                connection.trySend(probes[sent % probes.count])
                if sent % probes.count != 4 { _ = try? connection.readResponse() }
                sent += 1
            }
            return sent
        }
        // Slow and idle clients: 40 connections trickling heads, 40 that never send, renewed as they are cut.
        async let slow: Int = Blocking.run {
            var opened = 0
            var connections: [HTTPConnection] = []
            while Date() < deadline {
                while connections.count < 80, let connection = try? HTTPConnection(port: port, timeout: 1) {
                    if connections.count % 2 == 0 { connection.trySend(Array("GET /healthz HTTP/1.1\r\n".utf8)) }
                    connections.append(connection)
                    opened += 1
                }
                for connection in connections { connection.trySend(Array("X: y\r\n".utf8)) }
                Thread.sleep(forTimeInterval: 0.2)
                connections.removeAll { !$0.trySend([]) }
                if connections.count >= 80 { connections.removeFirst(20) }
            }
            return opened
        }
        let (statuses, badSent, slowOpened) = try await (answered, bad, slow)
        let descriptors = server.waitForDescriptors(atMost: baseline, within: 10)
        let memoryAfter = server.residentBytes
        print("soak: \(seconds) s, \(statuses.count) good requests (\(statuses.filter { $0 == 200 }.count) answered 200), \(badSent) bad, \(slowOpened) slow or idle connections; descriptors \(baseline) -> \(descriptors); resident memory \(memoryBefore >> 20) -> \(memoryAfter >> 20) MB")
        #expect(!statuses.isEmpty)
        #expect(statuses.allSatisfy { $0 == 200 })
        #expect(descriptors <= baseline)
        #expect(memoryAfter - memoryBefore < 64 << 20)
        #expect(server.stop() == 0)
    }

    /// With one event loop, a large batch (scored on the pool) does not hold up `/healthz`: the health answer comes
    /// while the batch is still being scored, before the first byte of the batch's answer.
    @Test func theHealthCheckIsAnsweredWhileALargeBatchIsScored() async throws {
        let server = try ServeProcess(["--model", "models/sample.json", "--threads", "1", "--max-body", "32MB"])
        let port = server.port
        var lead = try #require(try JSONSerialization.jsonObject(with: Self.lead) as? [String: Any])
        let events = (0..<150).map { i in ["timestamp": "2026-0\(1 + i % 5)-1\(i % 9)T10:00:00Z", "event": ["page_view", "email_open", "pricing_page_view"][i % 3]] }
        lead["events"] = events
        lead["created_at"] = "2025-12-01"
        let batch = try JSONSerialization.data(withJSONObject: ["leads": [[String: Any]](repeating: lead, count: 1000)])
        let (health, batchStillRunning, batchStatus) = try await Blocking.run {
            let heavy = try HTTPConnection(port: port, timeout: 120)
            try heavy.send(Self.scoreRequest(batch))
            let health = try HTTPConnection(port: port, timeout: 30).request("GET", "/healthz")
            // Nothing of the batch's answer yet: it is still being scored.
            let running = !heavy.hasDataWaiting
            let answer = try heavy.readResponse()
            return (health.status, running, answer.status)
        }
        #expect(health == 200)
        #expect(batchStillRunning)
        #expect(batchStatus == 200)
        #expect(server.stop() == 0)
    }

    @Test func aDeletedModelFileIsLoggedAndTheModelKeepsServing() async throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("model.json")
        try FileManager.default.copyItem(at: CLI.root.appendingPathComponent("models/sample.json"), to: model)
        let server = try ServeProcess(["--model", model.path, "--poll-interval", "0.1"])
        try FileManager.default.removeItem(at: model)
        var logged = false
        for _ in 0..<100 where !logged {
            try await Task.sleep(for: .milliseconds(50))
            logged = server.log.contains("\(model.path) cannot be read any more")
        }
        #expect(logged)
        let answer = try await server.send("POST", "/v1/score", body: Self.lead)
        #expect(answer.status == 200)
        #expect(server.stop() == 0)
    }

    /// A second server on a busy port says which port and which flag, in one line, and exits 1.
    @Test func aBusyPortSaysSo() throws {
        let server = try ServeProcess(["--model", "models/sample.json"])
        let second = try CLI.run(["serve", "--model", "models/sample.json", "--port", "\(server.port)"])
        #expect(second.status == 1)
        #expect(second.stderr == "leadscore: error: port \(server.port) is in use; pick another with --port\n", "\(second.stderr)")
        #expect(server.stop() == 0)
    }

    /// Without a rules file only the model file is watched: polls of a file that is there log nothing.
    @Test func pollingAModelThatIsThereLogsNoWarning() async throws {
        let server = try ServeProcess(["--model", "models/sample.json", "--poll-interval", "0.1"])
        try await Task.sleep(for: .milliseconds(600))
        #expect(!server.log.contains("warning"), "\(server.log)")
        #expect(server.stop() == 0)
    }

    @Test func listeningBeyondLoopbackWarns() async throws {
        let server = try ServeProcess(["--model", "models/sample.json", "--host", "0.0.0.0"])
        #expect(server.log.contains("warning: listening on 0.0.0.0, beyond this machine, with no authentication"))
        #expect(server.stop() == 0)
        let local = try ServeProcess(["--model", "models/sample.json"])
        #expect(!local.log.contains("warning"))
        #expect(local.stop() == 0)
    }

    @Test(arguments: [["--poll-interval", "1e-9"], ["--header-timeout", "0"], ["--max-batch", "0"], ["--max-connections", "-1"]])
    func limitsOutOfRangeAreUsageErrors(flags: [String]) throws {
        let run = try CLI.run(["serve", "--model", "models/sample.json", "--port", "0"] + flags)
        #expect(run.status == 64, "\(flags)")
        #expect(run.stderr.contains(flags[0]))
    }

    @Test func aModelPathThatIsAFolderSaysSo() throws {
        let run = try CLI.run(["serve", "--model", "models", "--port", "0"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("models: cannot read the model file: this is a folder"))
    }

    /// Weights of +1e308 and -1e308 on two features: the loader refuses them (a lead using both would score NaN),
    /// for `score`, `serve` and `explain` alike.
    @Test func aModelWithHugeWeightsIsRefusedEverywhere() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var json = try CLI.json(Data(contentsOf: CLI.root.appendingPathComponent("models/sample.json")))
        var fit = try #require(json["fit"] as? [String: Any])
        var weights = try #require(fit["coefficients"] as? [Double])
        weights[0] = 1e308
        weights[1] = -1e308
        fit["coefficients"] = weights
        json["fit"] = fit
        let model = folder.appendingPathComponent("huge.json")
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(to: model)
        for args in [["serve", "--model", model.path, "--port", "0"], ["explain", "--model", model.path],
                     ["score", "--model", model.path, "--contacts", "datasets/sample/contacts.csv", "--events", "datasets/sample/events.csv"]] {
            let run = try CLI.run(args)
            #expect(run.status == 1, "\(args[0])")
            #expect(run.stderr.contains("the weights are too large"), "\(args[0]): \(run.stderr)")
            #expect(run.stdout.isEmpty, "\(args[0]) prints nothing of a damaged model")
        }
    }
}
