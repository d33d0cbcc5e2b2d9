import HTTPTypes
@testable import LeadServer
import NIOCore
import Testing

/// ``ScoreExchange``, the score handler's decisions, on its own: every phase and what each part does in it.
@Suite struct ScoreExchangeTests {
    static let ask = ScoreRoute.Ask(reasons: 3, explicit: false)
    static let refusal = RequestError(.badRequest, "no")

    static func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test func aScoreRequestIsReadWholeThenAnswered() {
        var exchange = ScoreExchange(maxBodyBytes: 100)
        #expect(exchange.head(score: .success(Self.ask), expectsContinue: false) == .none)
        #expect(exchange.body(Self.buffer("{\"a\":")) == .none)
        #expect(exchange.body(Self.buffer("1}")) == .none)
        #expect(exchange.end() == .answer(body: Self.buffer("{\"a\":1}"), Self.ask))
        #expect(exchange.isAnswering)
        exchange.answered()
        #expect(exchange.phase == .idle)
    }

    @Test func aRequestWithoutABodyIsAnsweredWithAnEmptyOne() {
        var exchange = ScoreExchange(maxBodyBytes: 100)
        _ = exchange.head(score: .success(Self.ask), expectsContinue: false)
        #expect(exchange.end() == .answer(body: ByteBuffer(), Self.ask))
    }

    @Test func otherRoutesArePassedOnAndCounted() {
        var exchange = ScoreExchange(maxBodyBytes: 100)
        #expect(exchange.head(score: nil, expectsContinue: false) == .forward)
        #expect(exchange.body(Self.buffer("x")) == .forward)
        #expect(exchange.end() == .forward)
        #expect(exchange.passedOn == 1)
        // A score request behind one still with Hummingbird goes to Hummingbird too, so answers keep their order.
        #expect(exchange.head(score: .success(Self.ask), expectsContinue: false) == .forward)
        #expect(exchange.end() == .forward)
        #expect(exchange.passedOn == 2)
        exchange.passedOnAnswered()
        exchange.passedOnAnswered()
        #expect(exchange.head(score: .success(Self.ask), expectsContinue: false) == .none)
    }

    @Test func aRefusalByTheHeadIsAnsweredAtTheEndAndKeepsTheConnection() {
        var exchange = ScoreExchange(maxBodyBytes: 100)
        #expect(exchange.head(score: .failure(Self.refusal), expectsContinue: false) == .none)
        #expect(exchange.body(Self.buffer("ignored")) == .none)
        #expect(exchange.end() == .refuse(Self.refusal, close: false))
        #expect(exchange.phase == .idle)
    }

    @Test func aClientThatWaitsToSendItsBodyHearsAtOnce() {
        var exchange = ScoreExchange(maxBodyBytes: 100)
        #expect(exchange.head(score: .success(Self.ask), expectsContinue: true) == .sendContinue)
        var refused = ScoreExchange(maxBodyBytes: 100)
        #expect(refused.head(score: .failure(Self.refusal), expectsContinue: true) == .refuse(Self.refusal, close: true))
        #expect(refused.body(Self.buffer("x")) == .none)
        #expect(refused.end() == .none)
    }

    @Test func aBodyOverTheLimitIsRefusedAndTheRestDropped() {
        var exchange = ScoreExchange(maxBodyBytes: 4)
        _ = exchange.head(score: .success(Self.ask), expectsContinue: false)
        #expect(exchange.body(Self.buffer("abc")) == .none)
        guard case .refuse(let error, close: true) = exchange.body(Self.buffer("de")) else {
            Issue.record("a body over the limit must be refused, closing the connection")
            return
        }
        #expect(error.status == .contentTooLarge)
        #expect(exchange.body(Self.buffer("f")) == .none)
        #expect(exchange.end() == .none)
    }

    @Test func whatArrivesWhileAnsweringIsHeld() {
        var exchange = ScoreExchange(maxBodyBytes: 100)
        _ = exchange.head(score: .success(Self.ask), expectsContinue: false)
        _ = exchange.end()
        #expect(exchange.head(score: nil, expectsContinue: false) == .hold)
        #expect(exchange.body(Self.buffer("x")) == .hold)
        #expect(exchange.end() == .hold)
        exchange.answered()
        #expect(exchange.head(score: nil, expectsContinue: false) == .forward)
    }

    @Test func partsTheDecoderNeverSendsCloseTheConnection() {
        var idle = ScoreExchange(maxBodyBytes: 100)
        #expect(idle.body(Self.buffer("x")) == .closeConnection)
        #expect(idle.end() == .closeConnection)
        var reading = ScoreExchange(maxBodyBytes: 100)
        _ = reading.head(score: .success(Self.ask), expectsContinue: false)
        #expect(reading.head(score: nil, expectsContinue: false) == .closeConnection)
    }
}
