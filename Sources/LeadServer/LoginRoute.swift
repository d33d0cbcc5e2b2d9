import HTTPTypes
import Hummingbird
import NIOCore
import WebPages

/// The login of the web pages with the token of `serve --token-file` (see ``Access`` for the session cookie):
///
/// - `GET /login[?next=/path]`: the login form (``LoginPage``); a browser already logged in goes on to `next`.
/// - `POST /login`, a form (`application/x-www-form-urlencoded`, at most 4 KB) with `token` and `next`: the right
///   token gets 303 to `next` with the cookie of a new session; a wrong one 401 with the form again and a line saying so
///   (logged like every refusal).
/// - `POST /logout`: the session ended and its cookie cleared, and 303 to `/login`.
///
/// `next` is only ever a path on this server (``Access/localPath(_:)``): a login link cannot send the browser
/// elsewhere. Without a token there is nothing to log in to: `/login` sends the browser straight on to `next`.
///
/// **Web pages.** A page route calls ``gate(_:)`` before anything else and returns its answer when there is one:
///
/// ```swift
/// case "/leads":
///     if let login = login.gate(request) { return login }
///     ...
/// ```
///
/// The page is then seen by a browser holding the session cookie, or a client sending `Authorization: Bearer`; any
/// other request gets 303 to `/login?next=<its path and query>`, and comes back to it once logged in. A page form
/// that posts (`/score`) needs nothing more against other sites: the cookie is `SameSite=Strict`, so a post from
/// another site's page arrives without it and is sent to log in. The API routes (`/v1/...`, `/metrics`) take the
/// bearer token only, never the cookie.
struct LoginRoute: Sendable {
    let access: Access
    let log: ServerLog

    /// The largest login form taken (the token and a path).
    static let maxBodyBytes = 4096
    static let htmlType = "text/html; charset=utf-8"

    /// For a web page: nil when the request may see it; else the 303 to the login form, which comes back here.
    func gate(_ request: Request) -> Response? {
        access.loginLocation(request.headers, path: request.uri.path, query: request.uri.query).map(redirect)
    }

    /// `GET /login`.
    func page(_ request: Request) -> Response {
        let next = request.uri.queryParameters["next"].map { Access.localPath(String($0)) }
        if access.allowsPage(request.headers) { return redirect(next ?? "/") }
        return html(.ok, LoginPage.html(error: nil, next: next))
    }

    /// `POST /login`.
    func logIn(_ request: Request) async throws(RequestError) -> Response {
        try Self.checkContentType(request.headers[.contentType])
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: Self.maxBodyBytes) } catch is NIOTooManyBytesError {
            throw RequestError(.contentTooLarge, "a login form is at most \(Self.maxBodyBytes) bytes: the token and the page to go back to")
        } catch {
            throw RequestError(.badRequest, "the body could not be read (\(error))")
        }
        let form = FormData(urlEncoded: buffer.readableBytesView)
        let next = form["next"].map(Access.localPath)
        guard let token = form["token"], let cookie = access.logIn(token: Array(token.utf8), secure: Access.isSecure(request.headers)) else {
            log.refused(status: 401, method: "POST", path: "/login", peer: nil, message: "the token is wrong; the login form is shown again")
            var response = html(.unauthorized, LoginPage.html(error: "That is not the server's token. Try again.", next: next))
            response.headers[.wwwAuthenticate] = Access.challenge
            return response
        }
        var response = redirect(next ?? "/")
        if !cookie.isEmpty { response.headers[.setCookie] = cookie }
        return response
    }

    /// `POST /logout`.
    func logOut(_ request: Request) -> Response {
        access.endSessions(request.headers)
        var response = redirect("/login")
        response.headers[.setCookie] = Access.clearedCookie(secure: Access.isSecure(request.headers))
        return response
    }

    /// Refuses anything but a form (`application/x-www-form-urlencoded`, parameters allowed).
    static func checkContentType(_ value: String?) throws(RequestError) {
        let type = value?.split(separator: ";", maxSplits: 1).first.map { $0.filter { $0 != " " && $0 != "\t" }.lowercased() }
        guard type == "application/x-www-form-urlencoded" else {
            throw RequestError(.unsupportedMediaType, "post the login form as application/x-www-form-urlencoded: token=...&next=/path")
        }
    }

    private func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    private func html(_ status: HTTPResponse.Status, _ page: HTML) -> Response {
        PageRoute.html(status, page, model: nil)
    }
}
