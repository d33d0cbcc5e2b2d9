import Foundation
@testable import LeadServer
import Testing
import _TestSupport

/// The schema check can fail: wrong responses are caught, so the passing checks elsewhere mean something.
@Suite struct OpenAPIValidatorTests {
    let openapi = try! OpenAPIDocument.load()

    func problems(_ json: String, _ schema: String) throws -> [String] {
        openapi.problems(try JSONParser.parse(Array(json.utf8)), openapi.schema(schema))
    }

    @Test func aGoodLeadPasses() throws {
        #expect(try problems(#"{"contact_id":"C1","probability":0.5,"score":50,"band":"MQL","rule_points":null,"rule_band":null}"#, "ScoredLead") == [])
    }

    @Test(arguments: [
        #"{"contact_id":"C1","probability":0.5,"score":50}"#,                       // band missing
        #"{"contact_id":"C1","probability":"0.5","score":50,"band":"MQL"}"#,        // a string for a number
        #"{"contact_id":"C1","probability":0.5,"score":50.5,"band":"MQL"}"#,        // not an integer
        #"{"contact_id":"C1","probability":1.5,"score":50,"band":"MQL"}"#,          // above the maximum
        #"{"contact_id":"C1","probability":0.5,"score":50,"band":"MQL","x":1}"#,    // an unknown key
        #"{"contact_id":null,"probability":0.5,"score":50,"band":"MQL"}"#,          // null, not nullable
        #"{"contact_id":"C1","probability":0.5,"score":50,"band":"MQL","reasons_up":[{"column":"a"}]}"#,  // a bad reason
        #"[]"#,
    ])
    func aWrongLeadIsCaught(_ json: String) throws {
        #expect(try !problems(json, "ScoredLead").isEmpty)
    }

    @Test func oneOfWantsExactlyOneMatchAndEnumsAreChecked() throws {
        let score = openapi.responseSchema("POST", "/v1/score", status: 200)!
        #expect(openapi.problems(try JSONParser.parse(Array(#"{"results":[]}"#.utf8)), score) == [])
        #expect(!openapi.problems(try JSONParser.parse(Array(#"{"results":[],"contact_id":"x"}"#.utf8)), score).isEmpty)
        #expect(try !problems(#"{"status":"down","model":{"path":"m","hash":"h","rules":null}}"#, "Health").isEmpty)
        #expect(try problems(#"{"status":"ok","model":{"path":"m","hash":"h","rules":null}}"#, "Health") == [])
    }

    @Test func theLeadByIDRouteIsDocumentedWithItsAnswers() throws {
        let route = "/v1/leads/{contact_id}"
        for status in [200, 400, 404, 405, 422, 500, 503] {
            #expect(openapi.responseSchema("GET", route, status: status) != nil, "\(status)")
        }
        let lead = Array(#"{"contact_id":"C/1","probability":0.5,"score":50,"band":"MQL","rule_points":null,"rule_band":null}"#.utf8)
        let error = Array(#"{"error":{"field":"contact_id","message":"no contact has the id \"x\" in table contacts"}}"#.utf8)
        let json = ["content-type": "application/json"]
        #expect(openapi.problems("GET", route, HTTPResult(status: 200, headers: json, body: lead)).isEmpty)
        #expect(openapi.problems("GET", route, HTTPResult(status: 404, headers: json, body: error)).isEmpty)
        #expect(openapi.problems("GET", route, HTTPResult(status: 503, headers: json, body: error)).isEmpty)
        // A batch is no answer of this route, nor is an error for a 200 or a lead for a 503.
        #expect(!openapi.problems("GET", route, HTTPResult(status: 200, headers: json, body: Array(#"{"results":[]}"#.utf8))).isEmpty)
        #expect(!openapi.problems("GET", route, HTTPResult(status: 200, headers: json, body: error)).isEmpty)
        #expect(!openapi.problems("GET", route, HTTPResult(status: 503, headers: json, body: lead)).isEmpty)
        #expect(!openapi.problems("GET", route, HTTPResult(status: 201, headers: json, body: lead)).isEmpty)
        let operation = ((openapi.root["paths"] as? [String: Any])?[route] as? [String: Any])?["get"] as? [String: Any]
        let parameters = (operation?["parameters"] as? [[String: Any]] ?? []).map { "\($0["in"] ?? "") \($0["name"] ?? "")" }
        #expect(parameters == ["path contact_id", "query explain", "query as_of"])
    }

    @Test func aResponseWithTheWrongContentTypeOrStatusIsCaught() {
        let body = Array(#"{"status":"ok","model":{"path":"m","hash":"h","rules":null}}"#.utf8)
        #expect(!openapi.problems("GET", "/healthz", HTTPResult(status: 200, headers: ["content-type": "text/plain"], body: body)).isEmpty)
        #expect(!openapi.problems("GET", "/healthz", HTTPResult(status: 201, headers: ["content-type": "application/json"], body: body)).isEmpty)
        #expect(openapi.problems("GET", "/healthz", HTTPResult(status: 200, headers: ["content-type": "application/json"], body: body)).isEmpty)
    }
}
