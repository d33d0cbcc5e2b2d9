/// Why a request body is not JSON: what was expected, at which byte offset (0-based), so the caller can find it.
struct JSONSyntaxError: Error, Sendable, Equatable {
    var offset: Int
    var message: String
}
