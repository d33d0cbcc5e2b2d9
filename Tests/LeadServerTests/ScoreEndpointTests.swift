import Foundation
import LeadData
import Rules
import Scoring
import Testing
import _TestSupport
import Workflows

/// `POST /v1/score` against the real server on loopback: results equal the scoring workflow's, byte for byte, and
/// match the OpenAPI document.
@Suite struct ScoreEndpointTests {
    let openapi = try! OpenAPIDocument.load()

    /// What `leadscore score --format json --explain K [--rules seed.json] --as-of 2026-06-24` writes for each of
    /// `ids`: the same workflow (HistoryScoring) and formatter the command uses, on those contacts' rows of the
    /// sample, by contact id.
    static func workflowLines(_ ids: [String], explain: Int, rules: Bool) throws -> [String: String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (contacts, events) = try SampleHistory.writeSubset(ids, to: folder)
        let model = try LeadModel.load(path: TestServer.sampleModel)
        let ruleSet = rules ? try RuleSetFile.load(path: TestServer.seedRules) : nil
        let scoring = HistoryScoring(model: model, contacts: contacts, events: events,
                                     asOf: Timestamp.parse(SampleHistory.asOf)!, scale: model.scoreScale, bands: model.bands,
                                     reasons: explain, rules: ruleSet)
        var formatter = ScoredLeadFormatter(format: .json, idColumn: HistoryLeadScorer.idColumn, reasons: explain, rules: rules)
        var bytes: [UInt8] = []
        _ = try scoring.run { try formatter.append($0, to: &bytes) }
        var lines: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let id = line.split(separator: "\"")[3]
            lines[String(id)] = String(line)
        }
        #expect(lines.count == ids.count)
        return lines
    }

    @Test func aLeadScoresAsTheScoreCommandScoresItByteForByte() async throws {
        let ids = SampleHistory.shared.spread(12) + ["C000019", "C000064"]  // no company_size; a quoted job title
        let expected = try Self.workflowLines(ids, explain: 3, rules: true)
        try await TestServer.with { port in
            for id in ids {
                let response = try await Blocking.request(port: port, "POST", "/v1/score", body: SampleHistory.body(SampleHistory.shared.leadJSON(id)))
                #expect(response.status == 200, "\(id): \(response.text)")
                #expect(response.text == expected[id]! + "\n", "\(id)")
                #expect(openapi.problems("POST", "/v1/score", response) == [])
            }
        }
    }

    @Test func numbersAsJSONNumbersScoreAsTheSameDigitsInCSV() async throws {
        let id = SampleHistory.shared.spread(3)[1]
        try await TestServer.with { port in
            let asText = try await Blocking.request(port: port, "POST", "/v1/score", body: SampleHistory.body(SampleHistory.shared.leadJSON(id)))
            let asNumber = try await Blocking.request(port: port, "POST", "/v1/score",
                                                      body: SampleHistory.body(SampleHistory.shared.leadJSON(id, numeric: ["company_size"])))
            #expect(asText.status == 200)
            #expect(asText.body == asNumber.body)
        }
    }

    @Test func aBatchAnswersResultsInRequestOrderAsSingleLeadsDo() async throws {
        let ids = Array(SampleHistory.shared.spread(6).reversed())
        try await TestServer.with { port in
            var singles: [String] = []
            for id in ids {
                let one = try await Blocking.request(port: port, "POST", "/v1/score?explain=1", body: SampleHistory.body(SampleHistory.shared.leadJSON(id)))
                singles.append(String(one.text.dropLast()))
            }
            let batch = try await Blocking.request(port: port, "POST", "/v1/score?explain=1",
                                                   body: SampleHistory.body(["leads": ids.map { SampleHistory.shared.leadJSON($0) }]))
            #expect(batch.status == 200)
            #expect(batch.text == #"{"results":["# + singles.joined(separator: ",") + "]}\n")
            #expect(openapi.problems("POST", "/v1/score", batch) == [])
        }
    }

    @Test func explainZeroLeavesOutReasonsAndWithoutRulesNoRuleFields() async throws {
        let id = SampleHistory.shared.spread(4)[2]
        let expected = try Self.workflowLines([id], explain: 0, rules: false)
        try await TestServer.with(TestServer.options(rules: nil)) { port in
            let response = try await Blocking.request(port: port, "POST", "/v1/score?explain=0", body: SampleHistory.body(SampleHistory.shared.leadJSON(id)))
            #expect(response.text == expected[id]! + "\n")
            let object = try response.object()
            #expect(Set(object.keys) == ["contact_id", "probability", "score", "band"])
            #expect(openapi.problems("POST", "/v1/score", response) == [])
        }
    }

    @Test func theSameRequestGivesTheSameBytes() async throws {
        let body = SampleHistory.body(SampleHistory.shared.leadJSON(SampleHistory.shared.spread(5)[3]))
        try await TestServer.with { port in
            let first = try await Blocking.request(port: port, "POST", "/v1/score", body: body)
            let second = try await Blocking.request(port: port, "POST", "/v1/score", body: body)
            #expect(first.body == second.body)
            #expect(first.headers["leadscore-model"] == second.headers["leadscore-model"])
        }
    }

    @Test func asOfDefaultsToNowSoEveryPastEventCounts() async throws {
        // With no as_of, the lead is scored now: long after its events, which all count (and have aged).
        var lead = SampleHistory.shared.leadJSON("C000001", asOf: nil)
        lead["contact_id"] = "now"
        try await TestServer.with { port in
            let response = try await Blocking.request(port: port, "POST", "/v1/score", body: SampleHistory.body(lead))
            #expect(response.status == 200, "\(response.text)")
            let reasons = (try response.object()["reasons_down"] as? [[String: Any]]) ?? []
            #expect(!reasons.isEmpty)
        }
    }

    @Test func aMinimalLeadScores() async throws {
        let body = Array(#"{"contact_id":"new-1","created_at":"2026-06-01","as_of":"2026-06-02"}"#.utf8)
        try await TestServer.with { port in
            let response = try await Blocking.request(port: port, "POST", "/v1/score", body: body)
            #expect(response.status == 200, "\(response.text)")
            #expect(openapi.problems("POST", "/v1/score", response) == [])
        }
    }
}
