import HTTPTypes
import Logging
import NIOConcurrencyHelpers

/// Who may use the server: with `serve --token-file`, the API routes take requests that carry the token
/// (`Authorization: Bearer <token>`), and the web pages take them too, or a browser that logged in at `/login` with the
/// token and holds a session cookie; ``open`` (no token) lets every request through, as before authentication.
///
/// `GET /healthz` is never checked: load balancers probe it without credentials, and it says only that the server is
/// up and which model file it serves.
///
/// **Sessions.** Each login gets a session of its own: the cookie `leadscore_session`, whose value is 32 random bytes
/// (hex) from the system's generator, kept in memory only (a restart logs everyone out). A session lasts
/// ``sessionLifetime`` (12 hours) from its login (the cookie's `Max-Age` says the same), and logging out ends it on
/// the server too, so a copied cookie is no good after either; at most ``maximumSessions`` are kept, the oldest
/// dropped first.
/// The cookie is `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's page sends it, so a form on
/// another site cannot post as the logged-in user) and `Path=/`; `Secure` is added when the request came through a TLS
/// proxy that says so with `X-Forwarded-Proto: https`. A session is found by its value: 256 random bits, so the
/// lookup's time tells nothing worth knowing.
///
/// **A new token.** ``reload(log:)`` (SIGHUP) reads the token file again: a changed token replaces the old one at once
/// and ends every session; a file that no longer passes the checks of ``TokenFile`` is logged and the old token kept.
///
/// The token is compared in constant time (``equal(_:_:)``), so that how long a refusal takes does not tell how much of
/// a guess was right.
final class Access: Sendable {
    /// The token file; nil when the server has none.
    let tokenPath: String?
    private let state: NIOLockedValueBox<State>

    private struct State {
        /// The token's bytes; nil when the server has none.
        var token: [UInt8]?
        /// The sessions of the logins, by value, with when each ends.
        var sessions: [[UInt8]: ContinuousClock.Instant] = [:]
    }

    /// How long a login lasts: a working day.
    static let sessionLifetime: Duration = .seconds(12 * 3600)
    /// The most sessions kept at once; a login past it ends the session that would end first.
    static let maximumSessions = 1000

    /// No token: every request is let through.
    static let open = Access(tokenPath: nil, token: nil)

    /// The name of the session cookie.
    static let cookieName = "leadscore_session"
    /// The `WWW-Authenticate` value of every 401.
    static let challenge = #"Bearer realm="leadscore""#
    static let forwardedProto = HTTPField.Name("x-forwarded-proto")!

    /// The clock sessions are timed by: the system's but in tests.
    private let now: @Sendable () -> ContinuousClock.Instant

    /// Access with `token`, read from `tokenPath` (nil for neither); sessions are timed by `clock`.
    init(tokenPath: String?, token: [UInt8]?, clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.tokenPath = tokenPath
        self.now = clock
        state = NIOLockedValueBox(State(token: token))
    }

    /// Whether the server has no token.
    var isOpen: Bool { state.withLockedValue { $0.token == nil } }

    private var token: [UInt8]? { state.withLockedValue { $0.token } }

    // MARK: The checks

    /// Whether an API request may be served: no token, or `Authorization: Bearer <token>`.
    func allowsAPI(_ fields: HTTPFields) -> Bool { apiRefusal(fields) == nil }

    /// The 401 for an API request without the token (saying what to send), or nil when it may be served.
    func apiRefusal(_ fields: HTTPFields) -> RequestError? {
        guard let token else { return nil }
        let values = fields[values: .authorization]
        let what = "send the token of the server's --token-file as Authorization: Bearer <token>"
        guard values.count == 1 else {
            return RequestError(.unauthorized, values.isEmpty ? "this server needs its token: \(what)" : "more than one Authorization header: \(what)")
        }
        guard let given = Self.bearer(values[0]) else {
            return RequestError(.unauthorized, "the Authorization header is not a bearer token: \(what)")
        }
        return Self.equal(given, token) ? nil : RequestError(.unauthorized, "the bearer token is wrong: \(what)")
    }

    /// The values of the session cookies a request carries (a browser may send more than one of the name).
    private static func sessionValues(_ fields: HTTPFields) -> [[UInt8]] {
        var values: [[UInt8]] = []
        for header in fields[values: .cookie] {
            for pair in header.utf8.split(separator: UInt8(ascii: ";")) {
                let pair = pair.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                guard let equals = pair.firstIndex(of: UInt8(ascii: "=")), pair[..<equals].elementsEqual(Self.cookieName.utf8) else { continue }
                values.append(Array(pair[pair.index(after: equals)...]))
            }
        }
        return values
    }

    /// Whether a web page may be served: no token, the cookie of a session that has not ended, or
    /// `Authorization: Bearer <token>`.
    func allowsPage(_ fields: HTTPFields) -> Bool {
        let now = now()
        let values = Self.sessionValues(fields)
        let (open, session) = state.withLockedValue { s -> (Bool, Bool) in
            guard s.token != nil else { return (true, false) }
            return (false, values.contains { value in s.sessions[value].map { now < $0 } ?? false })
        }
        if open || session { return true }
        return !fields[values: .authorization].isEmpty && allowsAPI(fields)
    }

    /// A login with `given` (the token field of the login form): nil when it is not the token; else the `Set-Cookie`
    /// value of a new session, `Secure` when `secure` (the request came over TLS through a proxy). The token is
    /// compared and the session started under one lock, so that no session of an old token outlives a new one.
    /// Sessions that have ended are dropped, and the one that ends first when there are ``maximumSessions``. Without a
    /// token, an empty string: nothing to log in to, and no cookie.
    func logIn(token given: some Collection<UInt8>, secure: Bool) -> String? {
        var generator = SystemRandomNumberGenerator()
        let value = Array(Self.hex((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).utf8)
        let now = now()
        let given = Array(given)
        let outcome = state.withLockedValue { s -> Bool? in
            guard let token = s.token else { return false }
            guard Self.equal(given, token) else { return nil }
            s.sessions = s.sessions.filter { now < $0.value }
            if s.sessions.count >= Self.maximumSessions, let first = s.sessions.min(by: { $0.value < $1.value }) {
                s.sessions[first.key] = nil
            }
            s.sessions[value] = now + Self.sessionLifetime
            return true
        }
        switch outcome {
        case nil: return nil
        case false?: return ""
        case true?:
            let seconds = Self.sessionLifetime.components.seconds
            return "\(Self.cookieName)=\(String(decoding: value, as: UTF8.self)); Max-Age=\(seconds); HttpOnly; SameSite=Strict; Path=/" + (secure ? "; Secure" : "")
        }
    }

    /// Ends the sessions whose cookies the request carries (a logout).
    func endSessions(_ fields: HTTPFields) {
        let values = Self.sessionValues(fields)
        state.withLockedValue { s in for value in values { s.sessions[value] = nil } }
    }

    /// How many sessions are kept now (ended ones included until the next login drops them).
    var sessionCount: Int { state.withLockedValue { $0.sessions.count } }

    /// Reads the token file again: a new token replaces the old one and ends every session; the same token changes
    /// nothing; a file that cannot be used is logged, and the old token kept. Without a token file, nothing.
    func reload(log: ServerLog) {
        guard let tokenPath else { return }
        let token: [UInt8]
        do { token = try TokenFile.token(at: tokenPath) } catch {
            log.logger.error("the token file could not be read again, the old token still holds: \(error.description)")
            return
        }
        let changed = state.withLockedValue { s -> Bool in
            guard let old = s.token, !Self.equal(token, old) else { return false }
            s.token = token
            s.sessions = [:]
            return true
        }
        if changed { log.logger.notice("a new token from \(tokenPath): the old one is refused from now on, and every login must log in again") }
    }

    /// For a web page: nil when the request may see it, else where to send the browser to log in first,
    /// `/login?next=<target>` with the request's path and query percent-encoded, so that the login comes back to it.
    func loginLocation(_ fields: HTTPFields, path: String, query: String?) -> String? {
        if allowsPage(fields) { return nil }
        return "/login?next=" + Self.percentEncoded(path + (query.map { "?" + $0 } ?? ""))
    }

    // MARK: The cookie

    /// The `Set-Cookie` value of a logout: the cookie emptied and expired at once.
    static func clearedCookie(secure: Bool) -> String {
        "\(cookieName)=; Max-Age=0; HttpOnly; SameSite=Strict; Path=/" + (secure ? "; Secure" : "")
    }

    /// Whether the request came over HTTPS through a proxy that says so (`X-Forwarded-Proto: https`, its first value
    /// when the proxies listed several).
    static func isSecure(_ fields: HTTPFields) -> Bool {
        guard let value = fields[forwardedProto] else { return false }
        let first = value.split(separator: ",", maxSplits: 1).first ?? ""
        return first.filter { $0 != " " && $0 != "\t" }.lowercased() == "https"
    }

    // MARK: Pieces

    /// `next` when it is a path on this server, else `/`: it must start with one `/` (not `//` or `/\`, which browsers
    /// read as another host) and hold only visible ASCII without `\`, so that a login link cannot send the browser to
    /// another site (an open redirect) nor put a line break into the `Location` header.
    static func localPath(_ next: String?) -> String {
        guard let next, next.utf8.count <= 2048 else { return "/" }
        let bytes = Array(next.utf8)
        guard bytes.first == UInt8(ascii: "/"),
              bytes.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\\") }),
              bytes.count == 1 || bytes[1] != UInt8(ascii: "/") else { return "/" }
        return next
    }

    /// The token of an `Authorization` value `Bearer <token>` (the scheme in any case, then spaces), or nil.
    static func bearer(_ value: String) -> ArraySlice<UInt8>? {
        let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let bytes = Array(value.utf8)[...]
        let scheme = "bearer".utf8
        guard bytes.count > scheme.count, bytes.prefix(scheme.count).elementsEqual(scheme, by: { $0 | 0x20 == $1 }),
              isBlank(bytes[scheme.count]) else { return nil }
        var token = bytes.dropFirst(scheme.count)
        while let first = token.first, isBlank(first) { token.removeFirst() }
        while let last = token.last, isBlank(last) { token.removeLast() }
        return token
    }

    /// Whether `given` equals `secret`, in a time that depends only on the secret's length: every byte of the secret is
    /// compared with the byte of `given` at its place (or 0 past its end), the differences and the difference of the
    /// lengths are ORed together, and nothing stops early.
    static func equal(_ given: some Collection<UInt8>, _ secret: [UInt8]) -> Bool {
        let given = Array(given)
        var difference = UInt(bitPattern: given.count ^ secret.count)
        for i in secret.indices {
            let byte = i < given.count ? given[i] : 0
            difference |= UInt(byte ^ secret[i])
        }
        return difference == 0
    }

    /// `text` with every byte but letters, digits, `-._~` and `/` written `%XX`.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + hex([byte]).uppercased()
            }
        }
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

// MARK: - The token file

extension Access {
    /// Access as `serve` gives it: ``open`` without a token file; with one, its token (see ``TokenFile``).
    static func load(tokenPath path: String?) throws(ServeError) -> Access {
        guard let path else { return .open }
        return Access(tokenPath: path, token: try TokenFile.token(at: path))
    }
}
