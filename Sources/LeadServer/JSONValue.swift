/// A parsed JSON document, as ``JSONParser`` reads a request body: numbers as Doubles, objects as dictionaries (a
/// key given twice is a syntax error, so no value is silently dropped).
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The kind as a person names it, for "expected a string, found a number".
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
