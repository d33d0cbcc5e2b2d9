import HTTPTypes

/// Who may use the server: with `serve --token-file`, the API routes take requests that carry the token
/// (`Authorization: Bearer <token>`), and the web pages take them too, or a browser that logged in at `/login` with the
/// token and holds the session cookie; ``open`` (no token) lets every request through, as before authentication.
///
/// `GET /healthz` is never checked: load balancers probe it without credentials, and it says only that the server is
/// up and which model file it serves.
///
/// **The session.** A login gets the cookie `leadscore_session`, whose value is a random 32-byte secret (hex) made when
/// the server starts: every login gets the same value, it is never stored, and a restart logs everyone out. It is
/// `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's page sends it, so a form on another site cannot
/// post as the logged-in user) and `Path=/`; `Secure` is added when the request came through a TLS proxy that says so
/// with `X-Forwarded-Proto: https`. Logging out clears the cookie in that browser; the value itself stays good until
/// the server restarts.
///
/// The token and the session value are compared in constant time (``equal(_:_:)``), so that how long a refusal takes
/// does not tell how much of a guess was right.
struct Access: Sendable {
    /// The token's bytes; nil when the server has none.
    let token: [UInt8]?
    /// The session cookie's value (64 hex digits); nil when the server has no token.
    let session: [UInt8]?

    /// No token: every request is let through.
    static let open = Access(token: nil, session: nil)

    /// The name of the session cookie.
    static let cookieName = "leadscore_session"
    /// The `WWW-Authenticate` value of every 401.
    static let challenge = #"Bearer realm="leadscore""#
    static let forwardedProto = HTTPField.Name("x-forwarded-proto")!

    private init(token: [UInt8]?, session: [UInt8]?) {
        self.token = token
        self.session = session
    }

    /// Access with `token`, and a new session value from the system's random number generator.
    init(token: [UInt8]) {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        self.init(token: token, session: Array(Self.hex(secret).utf8))
    }

    /// Whether the server has no token.
    var isOpen: Bool { token == nil }

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

    /// Whether a web page may be served: no token, the session cookie, or `Authorization: Bearer <token>`.
    func allowsPage(_ fields: HTTPFields) -> Bool {
        guard let session else { return true }
        var found = false
        for header in fields[values: .cookie] {
            for pair in header.utf8.split(separator: UInt8(ascii: ";")) {
                let pair = pair.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                guard let equals = pair.firstIndex(of: UInt8(ascii: "=")), pair[..<equals].elementsEqual(Self.cookieName.utf8) else { continue }
                // Every cookie of the name is compared, without stopping at the first that matches.
                found = Self.equal(pair[pair.index(after: equals)...], session) || found
            }
        }
        return found || (!fields[values: .authorization].isEmpty && allowsAPI(fields))
    }

    /// Whether `given` (the token field of the login form) is the token.
    func accepts(token given: some Collection<UInt8>) -> Bool {
        guard let token else { return true }
        return Self.equal(given, token)
    }

    /// For a web page: nil when the request may see it, else where to send the browser to log in first,
    /// `/login?next=<target>` with the request's path and query percent-encoded, so that the login comes back to it.
    func loginLocation(_ fields: HTTPFields, path: String, query: String?) -> String? {
        if allowsPage(fields) { return nil }
        return "/login?next=" + Self.percentEncoded(path + (query.map { "?" + $0 } ?? ""))
    }

    // MARK: The cookie

    /// The `Set-Cookie` value of a login; `Secure` when `secure` (the request came over TLS through a proxy).
    func sessionCookie(secure: Bool) -> String {
        "\(Self.cookieName)=\(String(decoding: session ?? [], as: UTF8.self)); HttpOnly; SameSite=Strict; Path=/" + (secure ? "; Secure" : "")
    }

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
    /// Access as `serve` gives it: ``open`` without a token file; with one, its token (see ``TokenFile``), and a new
    /// session value.
    static func load(tokenPath path: String?) throws(ServeError) -> Access {
        guard let path else { return .open }
        return Access(token: try TokenFile.token(at: path))
    }
}
