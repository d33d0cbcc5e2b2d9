import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Each connection's pipeline: Hummingbird's HTTP/1 channel (`HTTP1Channel`), with leadscore's handlers around its
/// decoding, front to back:
///
/// 1. ``ConnectionGuard``: timeouts and write backpressure, on the bytes, before decoding.
/// 2. NIO's HTTP/1 encoder and decoder.
/// 3. ``HTTPExchangeHandler``: keep-alive, refusals before any route, protocol errors, and every answer counted.
/// 4. The conversion to swift-http-types parts.
/// 5. ``ScoreChannelHandler``: `POST /v1/score` answered in the pipeline.
/// 6. Hummingbird's connection state (graceful shutdown) and its async channel, which runs ``LeadResponder``.
///
/// The setup is `HTTP1Channel.setup` with those handlers added; handling is Hummingbird's own (`handleHTTP`).
struct LeadHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let route: ScoreRoute
    let access: Access
    let pool: ScoringPool
    let hosts: HostPolicy
    let limits: ServerLimits
    let log: ServerLog
    let metrics: ServerMetrics
    let serverName: String

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let connection = ConnectionGuard(limits: limits, log: log, metrics: metrics)
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(connection)
            try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false,
                                                     withOutboundHeaderValidation: false, withEncoderConfiguration: .init(),
                                                     withDecoderLimitConfiguration: .init())
            try pipeline.addHandler(HTTPExchangeHandler(connection: connection, hosts: hosts, maxBodyBytes: route.maxBodyBytes, log: log, metrics: metrics))
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(ScoreChannelHandler(route: route, access: access, pool: pool, connection: connection, log: log, serverName: serverName))
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}
