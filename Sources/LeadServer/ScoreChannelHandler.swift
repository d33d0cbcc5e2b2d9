import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// Serves `POST /v1/score` from inside the HTTP/1 channel pipeline, after HTTP decoding: a score request is read,
/// answered and written on the connection's event loop in the same pass, with the same ``ScoreRoute`` as
/// ``LeadResponder``; a large one is scored on the ``ScoringPool`` and written in pieces as the client reads them.
/// What to do with each part is decided by ``ScoreExchange``.
///
/// Why: scoring is synchronous and takes microseconds, while Hummingbird's request path (an async channel per
/// connection, a task resumed per request part, an async body and response writer) costs about as much again
/// as the scoring, parsing and formatting together; on two cores shared with the load generator that is the
/// difference between 8,500 to 9,900 and 12,000 to 14,500 requests per second (README, Serving over HTTP).
///
/// With a token (`serve --token-file`), a score request without `Authorization: Bearer <token>` is refused by its
/// head (401, before its body is looked at), as ``LeadResponder`` refuses it: see ``Access``.
///
/// Everything else goes on to Hummingbird untouched: other routes and methods, and a score request that arrives while
/// an earlier request of the same connection is still with Hummingbird, so that answers always leave in the order
/// the requests came.
final class ScoreChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let route: ScoreRoute
    private let access: Access
    private let pool: ScoringPool
    private let connection: ConnectionGuard
    private let log: ServerLog
    private let serverName: String
    private var exchange: ScoreExchange
    /// Parts that arrived while an answer was on its way, taken up once it is out.
    private var held: [HTTPRequestPart] = []
    /// An answer being written in pieces.
    private var streaming: ScoreAnswer?
    /// A `read` held back while an answer is on its way: the client's next requests wait in its socket, not here.
    private var readHeld = false
    /// A graceful-shutdown request held back until the answer on its way is out (Hummingbird's handler behind would
    /// close the connection at once, knowing nothing of it).
    private var quiesceHeld: Any?
    private var date = HTTPDate()
    /// The score request being answered, for the log.
    private var path = ""

    init(route: ScoreRoute, access: Access, pool: ScoringPool, connection: ConnectionGuard, log: ServerLog, serverName: String) {
        self.route = route
        self.access = access
        self.pool = pool
        self.connection = connection
        self.log = log
        self.serverName = serverName
        exchange = ScoreExchange(maxBodyBytes: route.maxBodyBytes)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        take(context, unwrapInboundIn(data))
    }

    private func take(_ context: ChannelHandlerContext, _ part: HTTPRequestPart) {
        let action: ScoreExchange.Action
        switch part {
        case .head(let head):
            var score: Result<ScoreRoute.Ask, RequestError>?
            if head.method == .post, let target = head.path, case let uri = URI(target), uri.path == "/v1/score" {
                score = Result { () throws(RequestError) in
                    if let refusal = access.apiRefusal(head.headerFields) { throw refusal }
                    return try route.ask(uri: uri, fields: head.headerFields)
                }
                path = target
            }
            action = exchange.head(score: score, expectsContinue: head.headerFields[.expect]?.lowercased() == "100-continue")
        case .body(let chunk):
            action = exchange.body(chunk)
        case .end:
            action = exchange.end()
        }
        switch action {
        case .forward: context.fireChannelRead(wrapInboundOut(part))
        case .sendContinue: context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        case .none: break
        case .refuse(let error, let close): refuse(context, error, close: close)
        case .answer(let body, let ask): answer(context, body, ask)
        case .hold: held.append(part)
        case .closeConnection: context.close(promise: nil)
        }
    }

    // MARK: Answering

    private func answer(_ context: ChannelHandlerContext, _ body: ByteBuffer, _ ask: ScoreRoute.Ask) {
        switch route.plan(body, ask: ask, now: ScoreRoute.now) {
        case .done(.success(let answer)):
            respond(context, .ok, answer.whole, model: answer.model)
            finished(context)
        case .done(.failure(let error)):
            refuse(context, error, close: false)
        case .heavy(let work):
            offload(context, work)
        }
    }

    /// Runs `work` on the pool; its answer is streamed, its error answered, back on this connection's loop.
    private func offload(_ context: ChannelHandlerContext, _ work: @escaping @Sendable () -> Result<ScoreAnswer, RequestError>) {
        pool.run(on: context.eventLoop, work).assumeIsolated().whenComplete { [self] result in
            guard context.channel.isActive else { return }
            switch result {
            case .success(.success(let answer)): stream(context, answer)
            case .success(.failure(let error)): refuse(context, error, close: false)
            case .failure: refuse(context, RequestError(.serviceUnavailable, "the server is shutting down"), close: true)
            }
        }
    }

    /// Writes the head of a streamed answer, then its pieces while the connection takes them (see
    /// `channelWritabilityChanged`), so that a client that reads slowly holds one piece of server memory, not the
    /// whole answer.
    private func stream(_ context: ChannelHandlerContext, _ answer: ScoreAnswer) {
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .ok, headerFields: headers(model: answer.model, length: nil)))), promise: nil)
        streaming = answer
        pump(context)
    }

    private func pump(_ context: ChannelHandlerContext) {
        while streaming != nil, context.channel.isWritable {
            guard let piece = streaming!.nextPiece() else {
                streaming = nil
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                finished(context)
                return
            }
            var buffer = context.channel.allocator.buffer(capacity: piece.count)
            buffer.writeBytes(piece)
            context.writeAndFlush(wrapOutboundOut(.body(buffer)), promise: nil)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if streaming != nil { pump(context) }
        context.fireChannelWritabilityChanged()
    }

    /// The answer is out: take up what arrived meanwhile, and read on.
    private func finished(_ context: ChannelHandlerContext) {
        exchange.answered()
        while !exchange.isAnswering, !held.isEmpty {
            take(context, held.removeFirst())
        }
        guard !exchange.isAnswering else { return }
        if let event = quiesceHeld {
            quiesceHeld = nil
            context.fireUserInboundEventTriggered(event)
        }
        if readHeld {
            readHeld = false
            context.read()
        }
    }

    private func refuse(_ context: ChannelHandlerContext, _ error: RequestError, close: Bool) {
        log.refused(status: Int(error.status.code), method: "POST", path: path, peer: context.channel, message: error.message)
        let end = respond(context, error.status, error.body, model: nil)
        if close {
            end.assumeIsolated().whenComplete { [connection] _ in connection.closeWhenAnswered() }
        } else {
            finished(context)
        }
    }

    /// Writes a whole answer; the future completes when its end is written.
    @discardableResult
    private func respond(_ context: ChannelHandlerContext, _ status: HTTPResponse.Status, _ body: [UInt8], model: String?) -> EventLoopFuture<Void> {
        var buffer = context.channel.allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        var fields = headers(model: model, length: body.count)
        if status == .unauthorized { fields[.wwwAuthenticate] = Access.challenge }
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(buffer)), promise: nil)
        let end = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: end)
        return end.futureResult
    }

    /// The headers Hummingbird gives its own answers: the JSON type, the model's hash on a score, the length (none
    /// for a streamed answer), the date and the server's name.
    private func headers(model: String?, length: Int?) -> HTTPFields {
        var fields: HTTPFields = [.contentType: LeadResponder.jsonType]
        if let model { fields[LeadResponder.modelHeader] = model }
        if let length { fields[.contentLength] = String(length) }
        fields[.date] = date.now()
        fields[.server] = serverName
        return fields
    }

    // MARK: Around the answer

    func read(context: ChannelHandlerContext) {
        if exchange.isAnswering {
            readHeld = true
        } else {
            context.read()
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { exchange.passedOnAnswered() }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, exchange.isAnswering {
            quiesceHeld = event
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
