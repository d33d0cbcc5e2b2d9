import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import LeadData
import Scoring

/// `POST /v1/score` without the HTTP around it: the head's query and headers, then the body, in; the scored leads out,
/// ready to be written whole or in pieces. Both ways a score request is served call it (``ScoreChannelHandler`` in
/// the channel pipeline, and ``LeadResponder`` for a request queued behind another on its connection), so they
/// answer alike.
///
/// Small requests (a single lead, a small batch) are answered on the connection's event loop, whole, with a length.
/// Large ones (a body of ``offloadBodyBytes`` or more, or more than ``offloadLeads`` leads) are parsed and scored on
/// the ``ScoringPool`` and written in pieces as the client reads them, so that neither the loop nor the memory of the
/// server is held by one request.
struct ScoreRoute: Sendable {
    let store: ModelStore
    /// Reasons each way unless the query says `?explain=K`.
    let explain: Int
    let maxBodyBytes: Int
    let limits: ServerLimits
    /// Takes the probability of every lead scored for an answer.
    let metrics: ServerMetrics

    static let offloadBodyBytes = 32 * 1024
    static let offloadLeads = 32
    /// The size a piece of a streamed answer grows to before it is written.
    static let pieceBytes = 32 * 1024

    /// What a request asks for, as far as its head tells.
    struct Ask: Sendable, Equatable {
        /// Reasons each way.
        var reasons: Int
        /// Whether `?explain=K` set them (a batch may not ask for more than its cap; the default is cut to it).
        var explicit: Bool
    }

    /// The request as far as its head goes: the reasons it asks for, and its content type (`application/json`, so
    /// that a browser cannot post a lead from another site without asking first).
    func ask(uri: URI, fields: HTTPFields) throws(RequestError) -> Ask {
        try Self.checkContentType(fields[.contentType])
        return try ask(uri: uri)
    }

    /// The reasons `?explain=K` asks for, or the server's default.
    func ask(uri: URI) throws(RequestError) -> Ask {
        guard let text = uri.queryParameters["explain"] else { return Ask(reasons: explain, explicit: false) }
        guard let k = Int(text), (0...ServerOptions.maxExplain).contains(k) else {
            throw RequestError.badField("explain", "the query parameter explain takes a number of reasons from 0 to \(ServerOptions.maxExplain), not \(Echo.quoted(text, limit: 20))")
        }
        return Ask(reasons: k, explicit: true)
    }

    /// Refuses anything but JSON (`application/json`, any case, parameters such as `charset=utf-8` allowed).
    static func checkContentType(_ value: String?) throws(RequestError) {
        if value == "application/json" { return }
        let type = value?.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == "application/json" else {
            let found = value.map { "Content-Type \(Echo.quoted($0, limit: 60))" } ?? "no Content-Type"
            throw RequestError(.unsupportedMediaType, "send the lead as JSON with Content-Type: application/json (found \(found))")
        }
    }

    /// The 413 for a body over ``maxBodyBytes``.
    var tooLarge: RequestError {
        RequestError(.contentTooLarge, "the body is larger than the \(maxBodyBytes) bytes this server takes: send fewer leads per request")
    }

    /// Reads a body (in place: it is not copied out of the buffer NIO read it into), and checks it against the batch
    /// caps. `now` is the default `as_of`.
    func parse(_ body: ByteBuffer, ask: Ask, now: Timestamp) throws(RequestError) -> ScoreRequest {
        let parsed = try body.withUnsafeReadableBytes { raw in
            Result { () throws(RequestError) in try ScoreRequest.decode(raw.assumingMemoryBound(to: UInt8.self), now: now) }
        }.get()
        if parsed.isBatch {
            guard parsed.items.count <= limits.maxBatchLeads else {
                throw RequestError.badField("leads", "holds \(parsed.items.count) leads; a batch takes at most \(limits.maxBatchLeads): split it")
            }
            guard !ask.explicit || ask.reasons <= limits.maxBatchReasons else {
                throw RequestError.badField("explain", "a batch takes at most \(limits.maxBatchReasons) reasons each way per lead; ask for more one lead at a time")
            }
        }
        return parsed
    }

    /// Scores every lead of `request` with the model serving now (taken once, so a reload never mixes models in one
    /// answer), and counts their probabilities in ``metrics``. A lead with a number that is not finite is a server
    /// error, never a `nan` in the answer.
    func score(_ request: ScoreRequest, ask: Ask) throws(RequestError) -> ScoreAnswer {
        let model = store.current
        let reasons = request.isBatch ? min(ask.reasons, limits.maxBatchReasons) : ask.reasons
        var leads: [ScoredLead] = []
        leads.reserveCapacity(request.items.count)
        for item in request.items {
            let lead: ScoredLead
            do throws(LeadInputError) {
                lead = try model.scorer.score(item.lead, asOf: item.asOf, reasons: reasons, keepingEarlyEvents: item.keepsEarlyEvents)
            } catch {
                throw RequestError.badField(item.path + error.field, error.message)
            }
            if let field = lead.nonFiniteField {
                throw RequestError(.internalServerError, field: item.path + field,
                                   "the model gave this lead a number that is not finite; nothing is answered for it: the model file is probably damaged")
            }
            leads.append(lead)
        }
        metrics.scored(leads)
        let formatter = ScoredLeadFormatter(format: .json, idColumn: HistoryLeadScorer.idColumn, reasons: reasons,
                                            rules: model.scorer.rules != nil)
        return ScoreAnswer(leads: leads, isBatch: request.isBatch, formatter: formatter, model: model.hash)
    }

    /// How a body is answered: here and now (a small request, or one refused), or by work for the ``ScoringPool``
    /// (a body of ``offloadBodyBytes`` or more is parsed there too; a smaller one with more than ``offloadLeads``
    /// leads is parsed here and scored there).
    enum Plan {
        case done(Result<ScoreAnswer, RequestError>)
        case heavy(@Sendable () -> Result<ScoreAnswer, RequestError>)
    }

    func plan(_ body: ByteBuffer, ask: Ask, now: Timestamp) -> Plan {
        if body.readableBytes >= Self.offloadBodyBytes {
            return .heavy { Result { () throws(RequestError) in try score(parse(body, ask: ask, now: now), ask: ask) } }
        }
        do throws(RequestError) {
            let request = try parse(body, ask: ask, now: now)
            if request.items.count > Self.offloadLeads {
                return .heavy { Result { () throws(RequestError) in try score(request, ask: ask) } }
            }
            return .done(.success(try score(request, ask: ask)))
        } catch {
            return .done(.failure(error))
        }
    }

    /// The moment a request arrives, to the second: the default `as_of`.
    static var now: Timestamp { Timestamp(seconds: Int64(Date.now.timeIntervalSince1970.rounded(.down))) }
}

/// Scored leads, written as the answer: one object for a single lead, `{"results": [...]}` for a batch, then a line
/// end; whole, or piece by piece (``nextPiece()``) as the connection takes them.
struct ScoreAnswer: Sendable {
    let leads: [ScoredLead]
    let isBatch: Bool
    let formatter: ScoredLeadFormatter
    /// The hash of the model that scored them (the `leadscore-model` header).
    let model: String
    /// The next lead to write, and whether the opening is out.
    private var next = 0
    private var opened = false

    init(leads: [ScoredLead], isBatch: Bool, formatter: ScoredLeadFormatter, model: String) {
        self.leads = leads
        self.isBatch = isBatch
        self.formatter = formatter
        self.model = model
    }

    /// The whole answer.
    var whole: [UInt8] {
        var copy = self
        var out: [UInt8] = []
        out.reserveCapacity(isBatch ? 1024 * leads.count : 2048)
        while let piece = copy.nextPiece(maxBytes: .max) { out += piece }
        return out
    }

    /// The next piece of the answer, about `maxBytes` long (a lead is never split), or nil when all is written.
    mutating func nextPiece(maxBytes: Int = ScoreRoute.pieceBytes) -> [UInt8]? {
        guard next < leads.count || !opened else { return nil }
        var out: [UInt8] = []
        if !opened {
            opened = true
            if isBatch { out += Self.resultsOpen }
        }
        while next < leads.count, out.count < maxBytes {
            if isBatch, next > 0 { out.append(UInt8(ascii: ",")) }
            // Checked when scored: nothing here is not finite.
            try? formatter.appendJSONObject(leads[next], to: &out)
            next += 1
        }
        if next == leads.count {
            if isBatch { out += Self.resultsClose }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    private static let resultsOpen = Array(#"{"results":["#.utf8)
    private static let resultsClose = Array("]}".utf8)
}
