import Foundation
@testable import LeadServer
import _TestSupport

/// The server's OpenAPI 3 document (`Sources/LeadServer/openapi.json`) and a validator for the subset of JSON Schema
/// it uses: `$ref` (local), `type`, `nullable`, `required`, `properties`, `additionalProperties` (a boolean or a
/// schema), `items`, `enum`, `oneOf` (exactly one must match), `minimum` and `maximum`.
///
/// Responses are read with the server's strict parser into ``JSONValue``, so a boolean never passes for a number
/// nor an integral double for an integer by accident of bridging.
struct OpenAPIDocument {
    let root: [String: Any]

    static let path = TestServer.path("Sources/LeadServer/openapi.json")

    static func load() throws -> OpenAPIDocument {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw HTTPConnection.Failure(description: "openapi.json is not a JSON object")
        }
        return OpenAPIDocument(root: root)
    }

    /// A named schema of `components.schemas`.
    func schema(_ name: String) -> [String: Any] {
        ["$ref": "#/components/schemas/\(name)"]
    }

    /// The JSON schema of the response for `status` to `method path`, or nil when the document has none.
    func responseSchema(_ method: String, _ path: String, status: Int) -> [String: Any]? {
        guard let paths = root["paths"] as? [String: Any], let item = paths[path] as? [String: Any],
              let operation = item[method.lowercased()] as? [String: Any],
              let responses = operation["responses"] as? [String: Any],
              var response = responses[String(status)] as? [String: Any] else { return nil }
        if let ref = response["$ref"] as? String { response = resolve(ref) }
        guard let content = response["content"] as? [String: Any], let json = content["application/json"] as? [String: Any] else { return nil }
        return json["schema"] as? [String: Any]
    }

    /// What is wrong with a response to `method path` (empty when it matches the document).
    func problems(_ method: String, _ path: String, _ response: HTTPResult) -> [String] {
        guard let schema = responseSchema(method, path, status: response.status) else {
            return ["openapi.json has no JSON response \(response.status) for \(method) \(path)"]
        }
        guard response.headers["content-type"] == "application/json" else {
            return ["content-type is \(response.headers["content-type"] ?? "missing"), not application/json"]
        }
        let value: JSONValue
        do { value = try JSONParser.parse(response.body) } catch {
            return ["the body is not JSON: \(error.message)"]
        }
        return problems(value, schema)
    }

    /// What is wrong with `value` against `schema`, each problem with the path of the value at fault.
    func problems(_ value: JSONValue, _ schema: [String: Any], at path: String = "$") -> [String] {
        if let ref = schema["$ref"] as? String { return problems(value, resolve(ref), at: path) }
        if value == .null {
            return schema["nullable"] as? Bool == true || schema.isEmpty ? [] : ["\(path): null, but the schema is not nullable"]
        }
        if let choices = schema["oneOf"] as? [[String: Any]] {
            let matching = choices.filter { problems(value, $0, at: path).isEmpty }.count
            if matching != 1 { return ["\(path): matches \(matching) of the oneOf schemas, not exactly 1"] }
        }
        if let allowed = schema["enum"] as? [Any] {
            let texts = allowed.map { "\($0)" }
            guard case .string(let s) = value, texts.contains(s) else { return ["\(path): \(value) is not one of \(texts)"] }
        }
        var found: [String] = []
        if let type = schema["type"] as? String {
            switch (type, value) {
            case ("string", .string), ("boolean", .bool), ("number", .number), ("object", .object), ("array", .array): break
            case ("integer", .number(let x)) where x == x.rounded(): break
            default: return ["\(path): \(value.kind), but the schema says \(type)"]
            }
        }
        if case .number(let x) = value {
            if let minimum = (schema["minimum"] as? NSNumber)?.doubleValue, x < minimum { found.append("\(path): \(x) is below \(minimum)") }
            if let maximum = (schema["maximum"] as? NSNumber)?.doubleValue, x > maximum { found.append("\(path): \(x) is above \(maximum)") }
        }
        if case .object(let members) = value {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in (schema["required"] as? [String] ?? []) where members[key] == nil {
                found.append("\(path): the required key \"\(key)\" is missing")
            }
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                if let property = properties[key] as? [String: Any] {
                    found += problems(member, property, at: "\(path).\(key)")
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    found += problems(member, extra, at: "\(path).\(key)")
                } else if (schema["additionalProperties"] as? Bool) == false {
                    found.append("\(path): the key \"\(key)\" is not in the schema")
                }
            }
        }
        if case .array(let elements) = value, let items = schema["items"] as? [String: Any] {
            for (i, element) in elements.enumerated() { found += problems(element, items, at: "\(path)[\(i)]") }
        }
        return found
    }

    private func resolve(_ ref: String) -> [String: Any] {
        var node: Any = root
        for part in ref.dropFirst(2).split(separator: "/") {
            node = (node as? [String: Any])?[String(part)] ?? [:]
        }
        return node as? [String: Any] ?? [:]
    }
}
