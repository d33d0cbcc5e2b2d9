import Foundation
import LeadData
@testable import LeadServer
import Logging
import Scoring
import Testing
import _TestSupport
import Training

/// Replacing the model while serving: requests in flight finish on the model they started with, none fails, and
/// once the new file is in, new requests use it.
@Suite struct ModelReloadTests {
    /// A temporary folder with the sample model as `model.json` and a second, different model (the same with its
    /// intercept moved by one in log-odds, so every probability changes) as `other.json`.
    struct Files {
        let folder: URL
        var model: String { folder.appendingPathComponent("model.json").path }
        var original: String { folder.appendingPathComponent("original.json").path }
        var other: String { folder.appendingPathComponent("other.json").path }

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-reload-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var model = try LeadModel.load(path: TestServer.sampleModel)
            try FileManager.default.copyItem(atPath: TestServer.sampleModel, toPath: folder.appendingPathComponent("original.json").path)
            try FileManager.default.copyItem(atPath: TestServer.sampleModel, toPath: folder.appendingPathComponent("model.json").path)
            model.fit.intercept += 1
            model.rawIntercept += 1
            try model.write(to: folder.appendingPathComponent("other.json").path)
        }

        /// Puts `source`'s bytes at the served path atomically: a new file, then a rename over the old.
        func install(_ source: String) throws {
            let temporary = folder.appendingPathComponent("incoming-\(UUID().uuidString).json").path
            try FileManager.default.copyItem(atPath: source, toPath: temporary)
            guard rename(temporary, model) == 0 else { throw HTTPConnection.Failure(description: "rename failed: \(errno)") }
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    /// Set from the test, read by the load threads.
    final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var stopped = false
        var isSet: Bool { lock.withLock { stopped } }
        func set() { lock.withLock { stopped = true } }
    }

    static func hash(_ path: String) throws -> String {
        ContentHash.fnv1a(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Polls /healthz until it names `hash` (the watcher looks every few milliseconds); bounded, no timing assert.
    static func waitForModel(_ hash: String, port: Int) async throws -> Bool {
        for _ in 0..<3000 {
            let health = try await Blocking.request(port: port, "GET", "/healthz")
            if health.headers["leadscore-model"] == hash { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test func requestsUnderConcurrentLoadNeverFailWhileTheModelFileIsReplaced() async throws {
        let files = try Files()
        defer { files.remove() }
        let (originalHash, otherHash) = (try Self.hash(files.original), try Self.hash(files.other))
        let body = SampleHistory.body(SampleHistory.shared.leadJSON(SampleHistory.shared.spread(7)[4]))
        let stop = StopFlag()
        try await TestServer.with(TestServer.options(model: files.model, poll: .milliseconds(5))) { port in
            // Four connections keep scoring the same lead until told to stop (at most 20,000 requests each).
            let load = Task {
                try await withThrowingTaskGroup(of: [HTTPResult].self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            try await Blocking.run {
                                let connection = try HTTPConnection(port: port)
                                var results: [HTTPResult] = []
                                while !stop.isSet, results.count < 20_000 {
                                    results.append(try connection.request("POST", "/v1/score", body: body))
                                }
                                return results
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
            }
            var swapsSeen = 0
            for round in 0..<6 {
                let (source, hash) = round.isMultiple(of: 2) ? (files.other, otherHash) : (files.original, originalHash)
                try files.install(source)
                if try await Self.waitForModel(hash, port: port) { swapsSeen += 1 }
            }
            stop.set()
            let results = try await load.value
            #expect(swapsSeen == 6)
            #expect(!results.isEmpty)
            #expect(results.allSatisfy { $0.status == 200 })
            // Each response came whole from one of the two models: one body per model, and the two differ.
            var bodies: [String: Set<[UInt8]>] = [:]
            for result in results { bodies[result.headers["leadscore-model"] ?? "none", default: []].insert(result.body) }
            #expect(Set(bodies.keys).isSubset(of: [originalHash, otherHash]))
            // The load ran across the swaps: both models answered it.
            #expect(bodies.keys.count == 2)
            #expect(bodies.values.allSatisfy { $0.count == 1 })
            #expect(bodies[originalHash] != bodies[otherHash])
            // After the last swap (back to the original), new requests use it.
            let after = try await Blocking.request(port: port, "POST", "/v1/score", body: body)
            #expect(after.headers["leadscore-model"] == originalHash)
        }
    }

    @Test func aModelThatFailsToLoadIsNotServedAndTheOldOneGoesOn() async throws {
        let files = try Files()
        defer { files.remove() }
        let originalHash = try Self.hash(files.original)
        let store = ModelStore(try ServingModel.load(modelPath: files.model, rulesPath: nil))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let watcher = ModelWatcher(store: store, modelPath: files.model, registry: nil, rulesPath: nil, interval: nil, hangups: nil, log: ServerLog(logger: logger))
        for damage in ["{", #"{"format_version": 1}"#, ""] {
            let bad = files.folder.appendingPathComponent("bad.json").path
            try Data(damage.utf8).write(to: URL(fileURLWithPath: bad))
            try files.install(bad)
            #expect(!watcher.reload(because: "test"))
            #expect(store.current.hash == originalHash)
        }
        try files.install(files.other)
        #expect(watcher.reload(because: "test"))
        #expect(store.current.hash == (try Self.hash(files.other)))
    }

    @Test func aServerWatchingABrokenFileKeepsServingTheOldModel() async throws {
        let files = try Files()
        defer { files.remove() }
        let originalHash = try Self.hash(files.original)
        let body = Array(#"{"contact_id":"C1","created_at":"2026-05-01","as_of":"2026-07-01"}"#.utf8)
        try await TestServer.with(TestServer.options(model: files.model, poll: .milliseconds(5))) { port in
            let bad = files.folder.appendingPathComponent("bad.json").path
            try Data("{ not a model".utf8).write(to: URL(fileURLWithPath: bad))
            try files.install(bad)
            for _ in 0..<20 {
                let response = try await Blocking.request(port: port, "POST", "/v1/score", body: body)
                #expect(response.status == 200)
                #expect(response.headers["leadscore-model"] == originalHash)
                try await Task.sleep(for: .milliseconds(5))
            }
            // Mending the file brings the reload.
            try files.install(files.other)
            #expect(try await Self.waitForModel(try Self.hash(files.other), port: port))
        }
    }
}
