import Features
import Foundation
import Rules
import Scoring
import Testing
import _TestSupport

/// `GET /v1/model` and `GET /healthz`: the summary, the weights-versus-points table of `explain --versus-rules`, and
/// both as the OpenAPI document says.
@Suite struct ModelEndpointTests {
    let openapi = try! OpenAPIDocument.load()

    @Test func theModelSummaryCarriesTheWeightsVersusPointsTable() async throws {
        let model = try LeadModel.load(path: TestServer.sampleModel)
        let rules = try RuleSetFile.load(path: TestServer.seedRules)
        let agreement = try RulesAgreement.make(model: model, rules: rules, rulesPath: TestServer.seedRules)
        try await TestServer.with { port in
            let response = try await Blocking.request(port: port, "GET", "/v1/model")
            #expect(response.status == 200)
            #expect(openapi.problems("GET", "/v1/model", response) == [])
            let body = try response.object()
            let summary = body["model"] as? [String: Any]
            #expect(summary?["input_kind"] as? String == "history")
            #expect(summary?["features"] as? Int == model.encoding.features.count)
            #expect(summary?["training_rows"] as? Int == model.trainingData.rows)
            #expect(summary?["hash"] as? String == response.headers["leadscore-model"])
            #expect((body["rules"] as? [String: Any])?["fingerprint"] as? String == rules.fingerprint)
            let rows = (body["versus_rules"] as? [String: Any])?["rows"] as? [[String: Any]]
            #expect(rows?.count == agreement.rows.count)
            #expect(rows?.map { $0["signal"] as? String } == agreement.rows.map(\.signal))
        }
    }

    @Test func withoutRulesInTheModelTheTableIsNullWithANote() async throws {
        // models/leads.json is a table model; make a history model without rules by dropping them from the sample.
        var model = try LeadModel.load(path: TestServer.sampleModel)
        model.rules = nil
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("norules.json").path
        try model.write(to: path)
        try await TestServer.with(TestServer.options(model: path, rules: nil)) { port in
            let response = try await Blocking.request(port: port, "GET", "/v1/model")
            #expect(openapi.problems("GET", "/v1/model", response) == [])
            let body = try response.object()
            #expect(body["versus_rules"] is NSNull)
            #expect(body["rules"] is NSNull)
            #expect(((body["notes"] as? [String]) ?? []).count == 1)
        }
    }

    @Test func healthNamesTheModel() async throws {
        try await TestServer.with { port in
            let response = try await Blocking.request(port: port, "GET", "/healthz")
            #expect(response.status == 200)
            #expect(openapi.problems("GET", "/healthz", response) == [])
            let model = try response.object()["model"] as? [String: Any]
            #expect(model?["hash"] as? String == response.headers["leadscore-model"])
        }
    }
}
