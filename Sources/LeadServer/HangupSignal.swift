import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGHUP as an async sequence: each signal is one element. Made before the server starts, so that a SIGHUP from
/// then on asks for a reload and never ends the process (its default action).
///
/// `@unchecked`: the dispatch source is touched only in `init` and `deinit`; the stream is Sendable.
final class HangupSignal: @unchecked Sendable {
    let signals: AsyncStream<Void>
    private let source: any DispatchSourceSignal

    init() {
        signal(SIGHUP, SIG_IGN)
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { continuation.yield() }
        source.resume()
        self.signals = stream
        self.source = source
    }

    deinit {
        source.cancel()
    }
}
