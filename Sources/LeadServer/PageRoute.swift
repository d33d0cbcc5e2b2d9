import Foundation
import HTTPTypes
import Hummingbird
import LeadData
import NIOCore
import Scoring
import WebPages
import Workflows

/// The web page: server-rendered HTML for people, over the same model, scorer and leads as the API.
///
/// - `GET /`: the model card (``ModelCard``), made when the model is loaded, so a request only frames it.
/// - `GET /score`: the "score a lead" form; `POST /score` (a form post) scores it through ``ScoreRoute`` exactly as
///   `POST /v1/score` would score the same JSON, and shows the answer beside the `curl` command that asks the same.
/// - `GET /leads`: the open leads ranked (``LeadsPage``), with `?order=`, `?band=`, `?page=`, `?q=`; `GET
///   /leads/{id}`: one lead (``LeadPage``). Both need a history source (``OpenLeads``); without one they are 404.
///
/// Every page is answered with a strict Content-Security-Policy (no script, no outside resource: the style and the
/// charts are inline) and `Cache-Control: no-store`, since a lead's page holds personal data.
struct PageRoute: Sendable {
    let store: ModelStore
    let scoring: ScoreRoute
    let leads: OpenLeads?
    let signsIn: Bool

    /// The largest form post taken (500 rows of events fit in a fraction of it).
    static let maxFormBytes = 256 * 1024
    static let leadsPrefix = "/leads/"

    /// Whether `path` is a page.
    static func matches(_ path: String) -> Bool {
        path == "/" || path == "/score" || path == "/leads" || (path.hasPrefix(leadsPrefix) && path.count > leadsPrefix.count)
    }

    /// The methods `path` takes.
    static func allowed(_ path: String) -> String { path == "/score" ? "GET, HEAD, POST" : "GET, HEAD" }

    func respond(to request: Request) async throws(PageError) -> Response {
        let path = request.uri.path
        let method = request.method
        guard method == .get || method == .head || (method == .post && path == "/score") else {
            throw PageError(.methodNotAllowed, "\(path) takes \(Self.allowed(path)), not \(Echo.text(method.rawValue, limit: 16))")
        }
        let model = store.current
        var page: (title: String, section: PageFrame.Section, content: HTML)
        switch path {
        case "/":
            page = ("Model \(model.fileName)", .model, model.card + WatchPanel(drift: leads?.drift(for: model), records: model.records).html)
        case "/score":
            page = ("Score a lead", .score, try await scorePage(request, model: model).html)
        case "/leads":
            let ranking = try openLeads().ranking(for: model)
            let query = LeadsPage.Query(FormData(urlEncoded: Array((request.uri.query ?? "").utf8)))
            page = ("Open leads", .leads, LeadsPage(ranking: ranking.ranking, query: query, stale: ranking.stale).html)
        default:
            page = try leadPage(path: path, model: model)
        }
        let frame = PageFrame(modelName: model.fileName, modelHash: model.hash, rulesName: model.rulesName, hasLeads: leads != nil,
                              signsIn: signsIn)
        return Self.html(.ok, frame.document(title: page.title, section: page.section, content: page.content), model: model.hash,
                         head: method == .head)
    }

    private func openLeads() throws(PageError) -> OpenLeads {
        guard let leads else {
            throw PageError(.notFound, "This server has no leads to list: start it with --contacts and --events, or --source, to rank the open leads.")
        }
        return leads
    }

    private func scorePage(_ request: Request, model: ServingModel) async throws(PageError) -> ScorePage {
        let fields = model.scorer.profileFields
        guard request.method == .post else {
            return ScorePage(profileFields: fields, levels: model.levels, eventTypes: model.eventTypes, form: LeadForm())
        }
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == "application/x-www-form-urlencoded" else {
            throw PageError(.unsupportedMediaType, "The form is posted as application/x-www-form-urlencoded; to send JSON, use POST /v1/score.")
        }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: Self.maxFormBytes) } catch {
            throw PageError(.contentTooLarge, "The form is larger than the \(Self.maxFormBytes / 1024) KB this page takes; send large leads to POST /v1/score.")
        }
        let form = LeadForm(FormData(urlEncoded: body.readableBytesView))
        let json = form.requestBody(profileFields: fields)
        let curl = form.curl(baseURL: Self.baseURL(request), profileFields: fields, token: signsIn)
        let outcome: ScorePage.Outcome
        do throws(RequestError) {
            let ask = ScoreRoute.Ask(reasons: form.reasons, explicit: true)
            let answer = try scoring.score(scoring.parse(ByteBuffer(bytes: json), ask: ask, now: ScoreRoute.now), ask: ask)
            outcome = .scored(answer.leads[0], answer: String(decoding: answer.whole, as: UTF8.self))
        } catch {
            outcome = .refused(field: error.field, message: error.message)
        }
        return ScorePage(profileFields: fields, levels: model.levels, eventTypes: model.eventTypes, form: form, outcome: outcome, curl: curl)
    }

    private func leadPage(path: String, model: ServingModel) throws(PageError) -> (title: String, section: PageFrame.Section, content: HTML) {
        let leads = try openLeads()
        let encoded = path.dropFirst(Self.leadsPrefix.count)
        guard let id = encoded.removingPercentEncoding else {
            throw PageError(.badRequest, "\(Echo.quoted(String(encoded))) is not a percent-encoded contact id.")
        }
        let ranking = try leads.ranking(for: model).ranking
        guard let lead = ranking.lead(id) else {
            throw PageError(.notFound, "No contact has the id \(Echo.quoted(id)).")
        }
        guard ranking.find(id: id) != nil else {
            throw PageError(.notFound, "Contact \(Echo.quoted(id)) is not an open lead as of \(ranking.asOf.iso8601): it was won or lost before, or created after.")
        }
        let scored: ScoredLead
        do { scored = try model.scorer.score(lead, asOf: ranking.asOf, reasons: 5, keepingEarlyEvents: true) } catch {
            throw PageError(.unprocessableContent, "Contact \(Echo.quoted(id)) cannot be scored: \(error.field) \(error.message)")
        }
        let ranked = ranking.find(id: id)
        let page = LeadPage(lead: lead, scored: scored, asOf: ranking.asOf, modelRank: ranked?.modelRank, rulesRank: ranked?.rulesRank,
                            openLeads: ranking.count)
        return ("Lead \(id)", .leads, page.html)
    }

    /// A refused page, as a page: its status, and the sentence under a heading that names it; `Allow` for a 405.
    func refusal(_ error: PageError, path: String) -> Response {
        let model = store.current
        let frame = PageFrame(modelName: model.fileName, modelHash: model.hash, rulesName: model.rulesName, hasLeads: leads != nil,
                              signsIn: signsIn)
        let title = error.status.reasonPhrase
        let content: HTML = "<h1>\(title)</h1>\n<p class=\"error\" role=\"alert\">\(error.message)</p>\n<p><a href=\"/\">The model</a></p>\n"
        var response = Self.html(error.status, frame.document(title: title, section: .none, content: content), model: model.hash)
        if error.status == .methodNotAllowed { response.headers[.allow] = Self.allowed(path) }
        return response
    }

    /// Where the client reached this server, for the `curl` command: the Host it named (checked by ``HostPolicy``),
    /// over https when a proxy says so in `X-Forwarded-Proto`.
    static func baseURL(_ request: Request) -> String {
        let host = request.head.authority ?? "127.0.0.1"
        return (Access.isSecure(request.headers) ? "https://" : "http://") + host
    }

    /// The headers of every page: HTML in UTF-8, a policy that allows nothing but the page's own inline style and
    /// `data:` images, no sniffing, no referrer, no caching, no framing.
    static func html(_ status: HTTPResponse.Status, _ page: HTML, model: String?, head: Bool = false) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            HTTPField.Name("x-content-type-options")!: "nosniff",
            HTTPField.Name("referrer-policy")!: "no-referrer",
            .cacheControl: "no-store",
        ]
        if let model { headers[LeadResponder.modelHeader] = model }
        let bytes = ByteBuffer(string: page.text)
        headers[.contentLength] = String(bytes.readableBytes)
        return Response(status: status, headers: headers, body: head ? ResponseBody() : ResponseBody(byteBuffer: bytes))
    }
}

/// A page refused: its status and a sentence for the person reading it, shown in the page frame.
struct PageError: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }
}
