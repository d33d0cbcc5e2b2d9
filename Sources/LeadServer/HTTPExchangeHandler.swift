import HTTPTypes
import NIOCore
import NIOHTTP1

/// The HTTP/1 rules every request meets before any route sees it, right after decoding (where the protocol version
/// is still known):
///
/// - Keep-alive as HTTP/1 has it: an HTTP/1.0 request without `Connection: keep-alive`, and `Connection: close` in
///   any case, close the connection once answered. Such a request is given the header `Connection: close`, spelled
///   so, for the handlers behind, and its answer goes out in the request's HTTP version with `Connection: close`.
/// - Refused here, with the JSON error shape and then the connection closed (see ``ConnectionGuard``): malformed HTTP
///   (400, or 431 for a head over the decoder's limit), `CONNECT` (405: after it the decoder reads no more), a
///   declared body over `--max-body` (413, before any of it is read), and a `Host` this server does not answer for
///   (421; see ``HostPolicy``).
/// - The request phases and answers, reported to ``ConnectionGuard`` for its timeouts.
/// - Every answer, whichever handler made it (``ScoreChannelHandler`` or Hummingbird's responder), counted in
///   ``ServerMetrics`` by route and status, and timed from the request's head to the answer's end. The refusals here
///   go out past the encoder, through ``ConnectionGuard``, which counts them.
final class HTTPExchangeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let connection: ConnectionGuard
    private let hosts: HostPolicy
    private let maxBodyBytes: Int
    private let log: ServerLog
    private let metrics: ServerMetrics
    /// A request read and not yet answered.
    private struct Exchange {
        var version: HTTPVersion
        /// Whether the connection stays open after the answer.
        var keepAlive: Bool
        var route: ServerMetrics.Route
        /// When its head was read.
        var since: NIODeadline
        /// The answer's status, once its head is written.
        var status = 0
    }
    /// The requests read and not yet answered, in order.
    private var exchanges = CircularBuffer<Exchange>()
    /// Set once the connection is being closed by a refusal here, or has read a request after which it closes:
    /// nothing more is read from it.
    private var refused = false
    private var lastRequestRead = false
    /// The last `Host` value let through: a connection's requests name the same host, so the check runs once.
    private var acceptedHost: String?

    init(connection: ConnectionGuard, hosts: HostPolicy, maxBodyBytes: Int, log: ServerLog, metrics: ServerMetrics) {
        self.connection = connection
        self.hosts = hosts
        self.maxBodyBytes = maxBodyBytes
        self.log = log
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused, !lastRequestRead else { return }
        switch unwrapInboundIn(data) {
        case .head(var head):
            let route = ServerMetrics.Route(target: head.uri)
            if let error = refusal(head) {
                refuse(context, error, method: "\(head.method)", path: head.uri, route: route)
                return
            }
            let keepAlive = head.isKeepAlive
            if !keepAlive { head.headers.replaceOrAdd(name: "connection", value: "close") }
            exchanges.append(Exchange(version: head.version, keepAlive: keepAlive, route: route, since: .now()))
            connection.headRead()
            context.fireChannelRead(wrapInboundOut(.head(head)))
        case .body:
            context.fireChannelRead(data)
        case .end:
            connection.requestRead()
            lastRequestRead = exchanges.last.map { !$0.keepAlive } ?? false
            context.fireChannelRead(data)
        }
    }

    /// Why `head` is refused before any route sees it, or nil.
    private func refusal(_ head: HTTPRequestHead) -> RequestError? {
        if head.method == .CONNECT {
            return RequestError(.methodNotAllowed, "CONNECT is not served: this is a lead-scoring API, not a proxy")
        }
        if let length = head.headers.first(name: "content-length").flatMap({ Int($0) }), length > maxBodyBytes {
            return RequestError(.contentTooLarge, "the body is \(length) bytes, more than the \(maxBodyBytes) this server takes: send fewer leads per request")
        }
        let host = head.headers.first(name: "host")
        if let host, host == acceptedHost { return nil }
        do { try hosts.check(host) } catch { return error }
        acceptedHost = host
        return nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parse = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard !refused else { return }
        // The client went away in the middle of a request: nobody to answer, nothing to report.
        if parse == .invalidEOFState {
            refused = true
            connection.answerAndClose(RequestError(.badRequest, "the request ended early"), canAnswer: false)
            return
        }
        let refusal = parse == .headerOverflow
            ? RequestError(.requestHeaderFieldsTooLarge, "the request's head is too large: at most 80 KB of headers")
            : RequestError(.badRequest, "the request is not valid HTTP/1.1 (\(parse)): the connection is closed")
        refuse(context, refusal, method: nil, path: nil, route: .other)
    }

    /// Answers `error` (when no other answer is on its way) and closes the connection, reading nothing more of it.
    private func refuse(_ context: ChannelHandlerContext, _ error: RequestError, method: String?, path: String?, route: ServerMetrics.Route) {
        refused = true
        log.refused(status: Int(error.status.code), method: method, path: path, peer: context.channel, message: error.message)
        connection.answerAndClose(error, canAnswer: exchanges.isEmpty, route: route)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response):
            // Informational answers (100 Continue) are not the answer.
            guard response.status.code >= 200, let exchange = exchanges.first else {
                context.write(data, promise: promise)
                return
            }
            exchanges[exchanges.startIndex].status = Int(response.status.code)
            connection.answerBegun()
            response.version = exchange.version
            if !exchange.keepAlive { response.headers.replaceOrAdd(name: "connection", value: "close") }
            context.write(wrapOutboundOut(.head(response)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            let exchange = exchanges.popFirst()
            if let exchange {
                // Counted before the end goes out, so that a client holding its answer finds it counted.
                let elapsed = (NIODeadline.now() - exchange.since).nanoseconds
                metrics.answered(exchange.route, status: exchange.status, nanoseconds: UInt64(max(0, elapsed)))
            }
            connection.answerWritten()
            guard let exchange, !exchange.keepAlive else {
                context.write(data, promise: promise)
                return
            }
            let written = context.eventLoop.makePromise(of: Void.self)
            if let promise { written.futureResult.cascade(to: promise) }
            context.write(data, promise: written)
            written.futureResult.assumeIsolated().whenComplete { [connection] _ in connection.closeWhenAnswered() }
        }
    }
}
