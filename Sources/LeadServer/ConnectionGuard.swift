import HTTPTypes
import Logging
import NIOCore

/// The first handler of every connection, in front of HTTP decoding, so that it sees every byte: it closes a
/// connection whose client is too slow or gone quiet, and stops reading from one whose client does not read its
/// answers.
///
/// - Header timeout: from the first byte of a request (or the opening of the connection, for its first) to the end of
///   its head. Half-sent headers never reach the decoder's output, so only a handler in front of it can time them.
/// - Body timeout: from the end of the head to the end of the body.
/// - Idle timeout: between an answer and the next request's first byte, on a kept-alive connection.
/// - Write timeout: how long the connection may stay unwritable (its send buffer full because the client does not
///   read). While it is, no more requests are read from it, so a client that pipelines requests without reading the
///   answers cannot make the server buffer them.
///
/// A request cut off by a timeout gets `408` with the JSON error shape when no answer is on its way; the connection is
/// closed either way. The phases come from ``HTTPExchangeHandler``, which sees the decoded requests and the answers.
/// One timer per connection ticks at a quarter of the shortest timeout (at most once a second) and compares deadlines,
/// so a request costs a few timestamps, not a scheduled task.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// What the connection is reading.
    enum Reading: Equatable {
        /// No request, or not yet its first byte.
        case nothing
        /// A request's head, since its first byte.
        case head(since: NIODeadline)
        /// A request's body, since the end of its head.
        case body(since: NIODeadline)
    }

    private let limits: ServerLimits
    private let log: ServerLog
    private let metrics: ServerMetrics
    private var context: ChannelHandlerContext?
    private(set) var reading = Reading.nothing
    /// Requests whose head has been read and whose answer has not yet been written out.
    private(set) var unanswered = 0
    /// Whether an answer has begun and not ended: nothing else may be written until it ends.
    private var answering = false
    /// Since when the connection has had nothing to do (no request being read, none unanswered).
    private var idleSince = NIODeadline.now()
    /// Whether a request has begun on this connection (the first waits under the header timeout, later ones under the
    /// idle timeout).
    private var begun = false
    private var unwritableSince: NIODeadline?
    /// A `read` held back while the connection is unwritable.
    private var readHeld = false
    private var timer: Scheduled<Void>?
    /// Set when the connection's last answer has gone: its output is closed, and what the client still sends is read
    /// and dropped until it closes or the deadline passes (closing with unread input would reset the connection,
    /// which can destroy the answer before the client reads it).
    private var drainingUntil: NIODeadline?
    private var closing: Bool { drainingUntil != nil }
    private let tick: TimeAmount

    /// How long a closing connection keeps reading what its client still sends.
    static let linger = TimeAmount.seconds(2)

    init(limits: ServerLimits, log: ServerLog, metrics: ServerMetrics) {
        self.limits = limits
        self.log = log
        self.metrics = metrics
        let shortest = [limits.headerTimeout, limits.bodyTimeout, limits.idleTimeout, limits.writeTimeout].min()!
        tick = .nanoseconds(max(10_000_000, min(1_000_000_000, Self.nanoseconds(shortest) / 4)))
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).overflow ? .max : seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    // MARK: Phases, from HTTPExchangeHandler

    /// A request's head has been decoded.
    func headRead() {
        reading = .body(since: .now())
        unanswered += 1
        begun = true
    }

    /// A request's end has been decoded.
    func requestRead() {
        reading = .nothing
    }

    /// An answer's head has been written (its end has not, yet).
    func answerBegun() {
        answering = true
    }

    /// An answer's end has been written.
    func answerWritten() {
        answering = false
        unanswered = max(0, unanswered - 1)
        if unanswered == 0, reading == .nothing { idleSince = .now() }
    }

    // MARK: Closing

    /// Writes a whole answer as bytes, past the HTTP encoder, then closes the connection: for requests the decoder
    /// cannot carry on from (a protocol error, `CONNECT`), refusals before any route, and timeouts. Only when
    /// `canAnswer` (no other answer on its way on this connection); otherwise the connection is just closed.
    ///
    /// An answer is counted in the metrics under `route` (`other` when no head was read), timed from the request's
    /// first byte.
    func answerAndClose(_ error: RequestError, canAnswer: Bool, route: ServerMetrics.Route = .other) {
        guard let context, !closing else { return }
        guard canAnswer, context.channel.isActive else {
            closeNow()
            return
        }
        let now = NIODeadline.now()
        let since: NIODeadline
        switch reading {
        case .head(let start), .body(let start): since = start
        case .nothing: since = now
        }
        metrics.answered(route, status: error.status.code, nanoseconds: UInt64(max(0, (now - since).nanoseconds)))
        let body = error.body
        var head = "HTTP/1.1 \(error.status.code) \(error.status.reasonPhrase)\r\n"
        head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\nServer: leadscore\r\n\r\n"
        var buffer = context.channel.allocator.buffer(capacity: head.utf8.count + body.count)
        buffer.writeString(head)
        buffer.writeBytes(body)
        drainingUntil = .now() + Self.linger
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(buffer))).assumeIsolated().whenComplete { [self] _ in closeOutput() }
    }

    /// The connection's last answer has been written: close it, reading what the client still sends for a moment.
    func closeWhenAnswered() {
        guard !closing else { return }
        drainingUntil = .now() + Self.linger
        closeOutput()
    }

    private func closeOutput() {
        guard let context, context.channel.isActive else { return }
        context.close(mode: .output).assumeIsolated().whenFailure { [self] _ in closeNow() }
        // Keep reading, to see the client's end (or drop what it still sends).
        context.read()
    }

    private func closeNow() {
        if drainingUntil == nil { drainingUntil = .now() }
        context?.close(promise: nil)
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        if reading == .nothing {
            reading = .head(since: .now())
            begun = true
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // A closing connection reads on by itself: the handlers behind may have stopped asking (their buffers full of
        // what came before), and without a read the client's end is never seen and the descriptor never freed.
        if closing { context.read() }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client closed its side: once the connection is closing, that is the end of it.
        if closing, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func read(context: ChannelHandlerContext) {
        guard context.channel.isWritable || closing else {
            readHeld = true
            return
        }
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            unwritableSince = nil
            if readHeld {
                readHeld = false
                context.read()
            }
        } else if unwritableSince == nil {
            unwritableSince = .now()
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: The timer

    private func start(_ context: ChannelHandlerContext) {
        guard timer == nil else { return }
        idleSince = .now()
        schedule(context)
    }

    private func schedule(_ context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: tick) { [self] in
            timer = nil
            check(context)
            if context.channel.isActive { schedule(context) }
        }
    }

    private func check(_ context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        if let until = drainingUntil {
            if now >= until { context.close(promise: nil) }
            return
        }
        func over(_ since: NIODeadline, _ limit: Duration) -> Bool {
            (now - since).nanoseconds > Self.nanoseconds(limit)
        }
        if let since = unwritableSince, over(since, limits.writeTimeout) {
            log.log(.info, "closed a connection\(ServerLog.from(context.channel)): its answer waited \(limits.writeTimeout) for the client to read it")
            closeNow()
            return
        }
        switch reading {
        case .head(let since) where over(since, limits.headerTimeout):
            timeOut(context, "the request's head did not arrive within \(limits.headerTimeout)", canAnswer: unanswered == 0)
        case .body(let since) where over(since, limits.bodyTimeout):
            // The request being cut is itself unanswered (its head was read); the 408 is its answer, unless an
            // earlier one is still on its way or its own answer has begun.
            timeOut(context, "the request's body did not arrive within \(limits.bodyTimeout)", canAnswer: unanswered == 1 && !answering)
        case .nothing where unanswered == 0 && over(idleSince, begun ? limits.idleTimeout : limits.headerTimeout):
            closeNow()
        default:
            break
        }
    }

    private func timeOut(_ context: ChannelHandlerContext, _ message: String, canAnswer: Bool) {
        log.log(.info, "408\(ServerLog.from(context.channel)): \(message)")
        answerAndClose(RequestError(.requestTimeout, "\(message): the connection is closed"), canAnswer: canAnswer)
    }
}
