import HTTPTypes
import Hummingbird
import LeadData
import NIOCore

/// The server's routes, dispatched by path then method, so that a known path with the wrong method gets 405 (with
/// `Allow`) and anything else 404, both in the JSON error shape of ``RequestError``:
///
/// - `POST /v1/score`: one lead or `{"leads": [...]}`; `?explain=K` for K reasons each way.
/// - `GET /v1/leads/{contact_id}`: a lead read from the database of `--source`, answered as `POST /v1/score` answers
///   it (``LeadRoute``).
/// - `GET /v1/model`: the model summary and the weights-versus-points table.
/// - `GET /healthz`: `{"status":"ok","model":{...}}`.
/// - `GET /metrics`: the server's counters in the Prometheus text format (``ServerMetrics``).
/// - `GET /login`, `POST /login`, `POST /logout`: the web pages' login with the token (``LoginRoute``).
///
/// With a token (`serve --token-file`), the API routes (``needsToken(_:)``: the score, the lead, the model and the
/// metrics) need `Authorization: Bearer <token>`; the check comes first, before the method's, and a request without
/// the token gets 401 with `WWW-Authenticate` (see ``Access``). ``ScoreChannelHandler`` checks the score requests it
/// answers itself alike. `/healthz` and the login stay open; web pages check with ``LoginRoute/gate(_:)``.
/// - `GET /`, `/score` (and `POST`), `/leads`, `/leads/{id}`: the web page (``PageRoute``), whose refusals are pages
///   too.
///
/// Each request reads the served model once, at its start (see ``ModelStore``).
struct LeadResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let store: ModelStore
    let route: ScoreRoute
    let leads: LeadRoute
    let pages: PageRoute
    let pool: ScoringPool
    let log: ServerLog
    let metrics: ServerMetrics
    let access: Access
    let login: LoginRoute

    static let modelHeader = HTTPField.Name("leadscore-model")!
    static let jsonType = "application/json"

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            if Self.needsToken(request.uri.path), let refusal = access.apiRefusal(request.headers) { throw refusal }
            switch request.uri.path {
            case "/v1/score":
                guard request.method == .post else { throw methodNotAllowed(request, allow: "POST") }
                return try await score(request)
            case "/v1/model":
                guard request.method == .get || request.method == .head else { throw methodNotAllowed(request, allow: "GET, HEAD") }
                let model = store.current
                return json(.ok, model.summaryBody, model: model.hash)
            case "/healthz":
                guard request.method == .get || request.method == .head else { throw methodNotAllowed(request, allow: "GET, HEAD") }
                let model = store.current
                return json(.ok, model.healthBody, model: model.hash)
            case "/metrics":
                guard request.method == .get || request.method == .head else { throw methodNotAllowed(request, allow: "GET, HEAD") }
                let body = ByteBuffer(bytes: metrics.exposition(model: store.current))
                return Response(status: .ok, headers: [.contentType: ServerMetrics.contentType], body: ResponseBody(byteBuffer: body))
            case "/login":
                switch request.method {
                case .get, .head: return login.page(request)
                case .post: return try await login.logIn(request)
                default: throw methodNotAllowed(request, allow: "GET, HEAD, POST")
                }
            case "/logout":
                guard request.method == .post else { throw methodNotAllowed(request, allow: "POST") }
                return login.logOut(request)
            case let path where PageRoute.matches(path):
                if let login = login.gate(request) { return login }
                do { return try await pages.respond(to: request) } catch {
                    log.refused(status: Int(error.status.code), method: "\(request.method)", path: request.uri.description, peer: nil, message: error.message)
                    return pages.refusal(error, path: path)
                }
            case let path where LeadRoute.matches(path.utf8[...]):
                guard request.method == .get else { throw methodNotAllowed(request, allow: "GET") }
                let answer = try await leads.answer(path: path, uri: request.uri)
                return json(.ok, answer.whole, model: answer.model)
            default:
                throw RequestError(.notFound, "no route \(Echo.text(request.method.rawValue, limit: 16)) \(Echo.text(request.uri.path)): the routes are POST /v1/score, GET \(LeadRoute.template) (a / in an id written %2F), GET /v1/model, GET /healthz and GET /metrics; the web page is at /")
            }
        } catch let error as RequestError {
            log.refused(status: Int(error.status.code), method: "\(request.method)", path: request.uri.description, peer: nil, message: error.message)
            var response = json(error.status, error.body, model: nil)
            if error.status == .unauthorized { response.headers[.wwwAuthenticate] = Access.challenge }
            if error.status == .methodNotAllowed, let allow = Self.allowed[request.uri.path] ?? (LeadRoute.matches(request.uri.path.utf8[...]) ? "GET" : nil) {
                response.headers[.allow] = allow
            }
            return response
        }
    }

    private static let allowed = ["/v1/score": "POST", "/v1/model": "GET, HEAD", "/healthz": "GET, HEAD", "/metrics": "GET, HEAD",
                                  "/login": "GET, HEAD, POST", "/logout": "POST"]

    /// Whether `path` is an API route, which takes requests with the token only (when the server has one).
    static func needsToken(_ path: String) -> Bool {
        switch path {
        case "/v1/score", "/v1/model", "/metrics": true
        default: LeadRoute.matches(path.utf8[...])
        }
    }

    private func methodNotAllowed(_ request: Request, allow: String) -> RequestError {
        RequestError(.methodNotAllowed, "\(request.uri.path) takes \(allow), not \(Echo.text(request.method.rawValue, limit: 16))")
    }

    private func json(_ status: HTTPResponse.Status, _ body: [UInt8], model: String?) -> Response {
        var headers: HTTPFields = [.contentType: Self.jsonType]
        if let model { headers[Self.modelHeader] = model }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    private func score(_ request: Request) async throws(RequestError) -> Response {
        let ask = try route.ask(uri: request.uri, fields: request.headers)
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: route.maxBodyBytes) } catch is NIOTooManyBytesError {
            throw route.tooLarge
        } catch {
            throw RequestError(.badRequest, "the body could not be read (\(error))")
        }
        switch route.plan(buffer, ask: ask, now: ScoreRoute.now) {
        case .done(let result):
            let answer = try result.get()
            return json(.ok, answer.whole, model: answer.model)
        case .heavy(let work):
            let result: Result<ScoreAnswer, RequestError>
            do { result = try await pool.run(work) } catch {
                throw RequestError(.serviceUnavailable, "the server is shutting down")
            }
            let answer = try result.get()
            // Streamed, as the pipeline handler streams it: one piece at a time as the client reads.
            let body = ResponseBody { writer in
                var rest = answer
                while let piece = rest.nextPiece() { try await writer.write(ByteBuffer(bytes: piece)) }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: Self.jsonType, Self.modelHeader: answer.model], body: body)
        }
    }
}
