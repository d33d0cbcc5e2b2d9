import HTTPTypes
import NIOCore

/// What ``ScoreChannelHandler`` does with each part of each request on its connection, as a value with no I/O, so that
/// every path through it can be tested on its own.
///
/// A score request (`POST /v1/score`) is read here, body and all, and answered by the handler; anything else, and a
/// score request that arrives while an earlier request of the same connection is still with Hummingbird, is passed on,
/// so that answers always leave in request order. While an answer of the handler's own is on its way (scored off the
/// event loop, or written in pieces), whatever else arrives is held and taken up once it is out.
struct ScoreExchange {
    /// Where the connection is.
    enum Phase: Equatable {
        /// Between requests.
        case idle
        /// The request being read goes on to Hummingbird.
        case passing
        /// A score request this handler answers once its body is in; `body` is nil until the first part.
        case reading(ScoreRoute.Ask, body: ByteBuffer?)
        /// A request refused by its head: the error goes out at its end.
        case refusing(RequestError)
        /// A request already answered with a refusal that closes the connection: what still comes of it is dropped.
        case discarding
        /// The handler's answer is on its way.
        case answering
    }

    /// What the handler does with a part.
    enum Action: Equatable {
        /// Passes it on to Hummingbird.
        case forward
        /// Tells the client to send its body (`100 Continue`).
        case sendContinue
        /// Nothing now.
        case none
        /// Answers `error` now; `close`: then closes the connection (the rest of the request is not read).
        case refuse(RequestError, close: Bool)
        /// The body is in: answer it.
        case answer(body: ByteBuffer, ScoreRoute.Ask)
        /// Keeps the part until the answer on its way is out.
        case hold
        /// The decoder sent something it never sends: drop the connection rather than guess.
        case closeConnection
    }

    private(set) var phase = Phase.idle
    /// Requests passed on to Hummingbird whose answers have not yet been written out.
    private(set) var passedOn = 0
    let maxBodyBytes: Int

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// A request's head. `route` is what the handler's route makes of a score request's head (nil: not a score
    /// request); `expectsContinue`: the client waits for `100 Continue` before its body.
    mutating func head(score route: Result<ScoreRoute.Ask, RequestError>?, expectsContinue: Bool) -> Action {
        switch phase {
        case .answering: return .hold
        case .idle: break
        case .passing, .reading, .refusing, .discarding: return .closeConnection
        }
        guard let route, passedOn == 0 else {
            passedOn += 1
            phase = .passing
            return .forward
        }
        switch route {
        case .success(let ask):
            phase = .reading(ask, body: nil)
            return expectsContinue ? .sendContinue : .none
        case .failure(let error) where expectsContinue:
            // The client has not sent its body and waits to hear whether to: the refusal, at once, and the connection
            // closed, since the client may send the body anyway.
            phase = .discarding
            return .refuse(error, close: true)
        case .failure(let error):
            phase = .refusing(error)
            return .none
        }
    }

    /// A piece of a request's body.
    mutating func body(_ chunk: ByteBuffer) -> Action {
        switch phase {
        case .passing: return .forward
        case .answering: return .hold
        case .refusing, .discarding: return .none
        case .idle: return .closeConnection
        case .reading(let ask, var body):
            phase = .idle  // let go of the buffer, so that appending to it does not copy it
            if (body?.readableBytes ?? 0) + chunk.readableBytes > maxBodyBytes {
                phase = .discarding
                return .refuse(RequestError(.contentTooLarge, "the body is larger than the \(maxBodyBytes) bytes this server takes: send fewer leads per request"), close: true)
            }
            if body == nil {
                body = chunk
            } else {
                var chunk = chunk
                body!.writeBuffer(&chunk)
            }
            phase = .reading(ask, body: body)
            return .none
        }
    }

    /// A request's end.
    mutating func end() -> Action {
        switch phase {
        case .passing:
            phase = .idle
            return .forward
        case .reading(let ask, let body):
            phase = .answering
            return .answer(body: body ?? ByteBuffer(), ask)
        case .refusing(let error):
            phase = .idle
            return .refuse(error, close: false)
        case .discarding:
            phase = .idle
            return .none
        case .answering: return .hold
        case .idle: return .closeConnection
        }
    }

    /// The handler's answer is out.
    mutating func answered() {
        if phase == .answering { phase = .idle }
    }

    /// An answer from Hummingbird has been written out.
    mutating func passedOnAnswered() {
        passedOn = max(0, passedOn - 1)
    }

    /// Whether an answer of the handler's own is on its way.
    var isAnswering: Bool { phase == .answering }
}
