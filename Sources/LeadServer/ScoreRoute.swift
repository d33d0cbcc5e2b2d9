import Foundation
import Hummingbird
import HummingbirdCore
import LeadData
import Scoring

/// `POST /v1/score` without the HTTP around it: the query, the declared length and the body in, the answer's bytes
/// out. Both ways a score request is served call it (``ScoreChannelHandler`` in the channel pipeline, and
/// ``LeadResponder`` for a request queued behind another on its connection), so they answer alike.
struct ScoreRoute: Sendable {
    let store: ModelStore
    /// Reasons each way unless the query says `?explain=K`.
    let explain: Int
    let maxBodyBytes: Int

    /// The request as far as its head goes: the reasons it asks for, and a 413 when it declares too long a body
    /// (before any of the body is read).
    func reasons(uri: URI, contentLength: String?) throws(RequestError) -> Int {
        var reasons = explain
        if let text = uri.queryParameters["explain"] {
            guard let k = Int(text), (0...ServerOptions.maxExplain).contains(k) else {
                throw RequestError.badField("explain", "the query parameter explain takes a number of reasons from 0 to \(ServerOptions.maxExplain), not \"\(text)\"")
            }
            reasons = k
        }
        if let contentLength, let length = Int(contentLength), length > maxBodyBytes { throw tooLarge }
        return reasons
    }

    /// The 413 for a body over ``maxBodyBytes``.
    var tooLarge: RequestError {
        RequestError(.contentTooLarge, "the body is larger than \(maxBodyBytes) bytes (--max-body): send fewer leads per request")
    }

    /// The answer to `body` with `reasons` reasons each way, by the model serving now, and that model's hash.
    func answer(_ body: ByteBuffer, reasons: Int) throws(RequestError) -> (body: [UInt8], model: String) {
        let model = store.current
        let now = Timestamp(seconds: Int64(Date.now.timeIntervalSince1970.rounded(.down)))
        // Read in place: the body is not copied out of the buffer NIO read it into.
        let parsed = try body.withUnsafeReadableBytes { raw in
            Result { () throws(RequestError) in try ScoreRequest.decode(raw.assumingMemoryBound(to: UInt8.self), now: now) }
        }.get()

        let formatter = ScoredLeadFormatter(format: .json, idColumn: HistoryScoring.idColumn, reasons: reasons,
                                            rules: model.scorer.rules != nil)
        var out: [UInt8] = []
        out.reserveCapacity(parsed.isBatch ? 1024 * parsed.items.count : 2048)
        if parsed.isBatch { out += Self.resultsOpen }
        for (i, item) in parsed.items.enumerated() {
            let lead: ScoredLead
            do throws(LeadInputError) { lead = try model.scorer.score(item.lead, asOf: item.asOf, reasons: reasons) } catch {
                throw RequestError.badField(item.path + error.field, error.message)
            }
            if i > 0 { out.append(UInt8(ascii: ",")) }
            formatter.appendJSONObject(lead, to: &out)
        }
        if parsed.isBatch { out += Self.resultsClose }
        out.append(UInt8(ascii: "\n"))
        return (out, model.hash)
    }

    private static let resultsOpen = Array(#"{"results":["#.utf8)
    private static let resultsClose = Array("]}".utf8)
}
