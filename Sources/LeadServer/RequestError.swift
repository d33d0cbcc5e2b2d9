import HTTPTypes
import Scoring

/// A request the server refuses: the HTTP status, the field at fault as a path into the body
/// (`leads[2].events[0].timestamp`; nil when no one field is), and what to change.
///
/// Its body is `{"error":{"field":...,"message":...}}`, the same shape for every refusal (400, 404, 405, 413, 500).
struct RequestError: Error, Sendable, Equatable {
    var status: HTTPResponse.Status
    var field: String?
    var message: String

    init(_ status: HTTPResponse.Status, field: String? = nil, _ message: String) {
        self.status = status
        self.field = field
        self.message = message
    }

    /// A 400 for a field.
    static func badField(_ field: String, _ message: String) -> RequestError {
        RequestError(.badRequest, field: field, message)
    }

    /// The JSON body, keys in a fixed order.
    var body: [UInt8] {
        var bytes = Array(#"{"error":{"field":"#.utf8)
        if let field { ScoredLeadFormatter.appendJSONString(field, to: &bytes) } else { bytes += Array("null".utf8) }
        bytes += Array(#","message":"#.utf8)
        ScoredLeadFormatter.appendJSONString(message, to: &bytes)
        bytes += Array("}}\n".utf8)
        return bytes
    }
}
