import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// Serves `POST /v1/score` from inside Hummingbird's HTTP/1 channel pipeline (installed with `HTTP1Channel`'s
/// `additionalChannelHandlers`, after HTTP decoding): a score request is read, answered and written on the
/// connection's event loop in the same pass, with the same ``ScoreRoute`` as ``LeadResponder``.
///
/// Why: scoring is synchronous and takes microseconds, while Hummingbird's request path (an async channel per
/// connection, a task resumed per request part, an async body and response writer) costs about as much again
/// as the scoring, parsing and formatting together; on two cores shared with the load generator that is the
/// difference between 8,500 to 9,900 and 12,000 to 14,500 requests per second (README, Serving over HTTP).
///
/// Everything else goes on to Hummingbird untouched: other routes and methods, malformed HTTP, and a score request
/// that arrives while an earlier request of the same connection is still with Hummingbird, so that answers always
/// leave in the order the requests came.
final class ScoreChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum State {
        /// Between requests.
        case idle
        /// The request being read goes on to Hummingbird.
        case passing
        /// A score request this handler answers once its body is in; `body` is nil until the first part.
        case reading(reasons: Int, body: ByteBuffer?, close: Bool)
        /// A request refused before its body is in (a bad query, too large a body): the error goes out at its end.
        case refusing(RequestError, close: Bool)
        /// A request already refused (before its body was sent, on `Expect: 100-continue`): whatever still comes of
        /// it is dropped.
        case discarding
    }

    private let route: ScoreRoute
    private let serverName: String
    private var state = State.idle
    /// Requests passed on to Hummingbird whose answers have not yet been written out.
    private var passedOn = 0
    private var date = HTTPDate()

    init(route: ScoreRoute, serverName: String) {
        self.route = route
        self.serverName = serverName
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch (state, part) {
        case (.idle, .head(let head)):
            guard passedOn == 0, head.method == .post, let path = head.path, case let uri = URI(path), uri.path == "/v1/score" else {
                passedOn += 1
                state = .passing
                context.fireChannelRead(data)
                return
            }
            let close = head.headerFields[.connection] == "close"
            // A client that asks before sending its body (curl does for large ones) hears at once whether to send it,
            // rather than waiting out its timeout: 100 Continue, or the refusal, after which the connection closes.
            let asks = head.headerFields[.expect]?.lowercased() == "100-continue"
            do throws(RequestError) {
                state = .reading(reasons: try route.reasons(uri: uri, contentLength: head.headerFields[.contentLength]), body: nil, close: close)
                if asks { context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil) }
            } catch {
                if asks {
                    state = .discarding
                    respond(context, error.status, error.body, model: nil, close: true)
                } else {
                    state = .refusing(error, close: close)
                }
            }
        case (.passing, _):
            if case .end = part { state = .idle }
            context.fireChannelRead(data)
        case (.reading(let reasons, var body, let close), .body(var chunk)):
            state = .idle  // let go of the buffer, so that appending to it does not copy it
            if (body?.readableBytes ?? 0) + chunk.readableBytes > route.maxBodyBytes {
                state = .refusing(route.tooLarge, close: close)
            } else if body == nil {
                state = .reading(reasons: reasons, body: chunk, close: close)
            } else {
                body!.writeBuffer(&chunk)
                state = .reading(reasons: reasons, body: body, close: close)
            }
        case (.reading(let reasons, let body, let close), .end):
            state = .idle
            do throws(RequestError) {
                let (answer, model) = try route.answer(body ?? ByteBuffer(), reasons: reasons)
                respond(context, .ok, answer, model: model, close: close)
            } catch {
                respond(context, error.status, error.body, model: nil, close: close)
            }
        case (.refusing(let error, let close), .end):
            state = .idle
            respond(context, error.status, error.body, model: nil, close: close)
        case (.refusing, .body), (.discarding, .body):
            break
        case (.discarding, .end):
            state = .idle
        case (.idle, _), (.reading, .head), (.refusing, .head), (.discarding, .head):
            // The HTTP decoder never sends these; should it, drop the connection rather than guess.
            context.close(promise: nil)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { passedOn = max(0, passedOn - 1) }
        context.write(data, promise: promise)
    }

    /// Writes a whole answer with the headers Hummingbird gives its own: the JSON type, the model's hash on a
    /// score, the length, the date and the server's name.
    private func respond(_ context: ChannelHandlerContext, _ status: HTTPResponse.Status, _ body: [UInt8], model: String?, close: Bool) {
        var fields: HTTPFields = [.contentType: LeadResponder.jsonType]
        if let model { fields[LeadResponder.modelHeader] = model }
        fields[.contentLength] = String(body.count)
        fields[.date] = date.now()
        fields[.server] = serverName
        var buffer = context.channel.allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(buffer)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        if close { context.close(promise: nil) }
    }
}
