import Foundation
import LeadData
@testable import LeadServer
import Logging
import Testing
import Workflows

/// ``OpenLeads`` on its own: SIGHUPs that come while a reading is under way are not lost (the reading under way may
/// have opened the files before the new export was in place), and a reading that fails keeps the last one.
@Suite struct OpenLeadsTests {
    static let model = try! ServingModel.load(modelPath: TestServer.sampleModel, rulesPath: TestServer.seedRules)
    static let source = HistorySource(contacts: TestServer.path("datasets/sample/contacts.csv"),
                                      events: TestServer.path("datasets/sample/events.csv"),
                                      outcomes: TestServer.path("datasets/sample/outcomes.csv"))
    static let log = ServerLog(logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))

    /// The readings of a source: how many began, and a gate that holds each one until the test opens it.
    final class Readings: @unchecked Sendable {
        private let lock = NSLock()
        private var begun = 0
        private var failing = false
        private let gate = DispatchSemaphore(value: 0)
        var count: Int { lock.withLock { begun } }
        func fail(_ on: Bool) { lock.withLock { failing = on } }
        func open() { gate.signal() }

        /// A reading: counted, held until opened (but the first, at start), then the sample or a failure.
        func read() throws(InputError) -> LeadHistory {
            let (number, fails) = lock.withLock { begun += 1; return (begun, failing) }
            if number > 1 { gate.wait() }
            if fails { throw InputError(file: "contacts.csv", line: 402, message: "not a time") }
            return try LeadHistory(source: OpenLeadsTests.source)
        }

        /// Waits until `n` readings have begun (at most about 30 s).
        func waitFor(_ n: Int) async throws {
            for _ in 0..<3000 where count < n { try await Task.sleep(for: .milliseconds(10)) }
        }
    }

    @Test func sighupsDuringAReadingMakeOneMoreReadingAfterIt() async throws {
        let readings = Readings()
        let leads = try OpenLeads(model: Self.model, asOf: Timestamp.parse("2026-06-24")!, read: { () throws(InputError) in try readings.read() })
        #expect(readings.count == 1)
        leads.reread(model: { Self.model }, log: Self.log)
        try await readings.waitFor(2)
        #expect(leads.ranking(for: Self.model).stale?.contains("being read again") == true)
        // Two more while the second reading is held: they make one reading after it, not two, and none is lost.
        leads.reread(model: { Self.model }, log: Self.log)
        leads.reread(model: { Self.model }, log: Self.log)
        readings.open()
        try await readings.waitFor(3)
        #expect(readings.count == 3)
        readings.open()
        for _ in 0..<3000 where leads.ranking(for: Self.model).stale != nil { try await Task.sleep(for: .milliseconds(10)) }
        #expect(leads.ranking(for: Self.model).stale == nil)
        #expect(readings.count == 3)
    }

    @Test func aReadingThatFailsKeepsTheLastAndSaysWhy() async throws {
        let readings = Readings()
        let leads = try OpenLeads(model: Self.model, asOf: Timestamp.parse("2026-06-24")!, read: { () throws(InputError) in try readings.read() })
        let before = leads.ranking(for: Self.model).ranking
        readings.fail(true)
        leads.reread(model: { Self.model }, log: Self.log)
        readings.open()
        var shown = leads.ranking(for: Self.model)
        for _ in 0..<3000 where shown.stale?.contains("could not be read again") != true {
            try await Task.sleep(for: .milliseconds(10))
            shown = leads.ranking(for: Self.model)
        }
        #expect(shown.stale == "The leads could not be read again (contacts.csv:402: not a time): this list is of the last reading that succeeded.")
        #expect(shown.ranking === before)
    }
}
