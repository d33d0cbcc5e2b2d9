import Foundation
import NIOConcurrencyHelpers
import Scoring

/// The counters and histograms of one server, written for `GET /metrics` in the Prometheus text format (see
/// ``exposition(model:)`` for the metrics and what each counts).
///
/// Counting is on the score path, tens of thousands of times a second, so it costs a lock taken once and a few
/// integer additions into slots laid out when the server starts: one per route and status code, one per route and
/// duration bucket, one per probability bucket. Nothing is allocated per request and no label text is made until a
/// scrape; the labels come from fixed sets (the route templates, never the raw path; status codes, at most 1,000),
/// so no client can grow them. The request counts and the durations share one lock, and so every scrape sees
/// each route's request count equal to its histogram's `_count`; the probabilities have their own, so the two event
/// loops' score requests contend on each half as often.
final class ServerMetrics: Sendable {
    /// A route as the metrics name it: its template, `page` for the web page's (and its login's), or `other` for a
    /// path the server does not serve.
    enum Route: Int, CaseIterable, Sendable {
        // In the order of their labels, which is the order of the exposition.
        case healthz, metrics, lead, model, score, other, page

        var label: String {
            switch self {
            case .healthz: "/healthz"
            case .metrics: "/metrics"
            case .lead: LeadRoute.template
            case .model: "/v1/model"
            case .score: "/v1/score"
            case .other: "other"
            case .page: "page"
            }
        }

        /// The route of a request target as it appears in the request line: `/v1/score?explain=2` is the score route,
        /// and so is the absolute form `http://host/v1/score`; `/v1/score/`, `/v2/score` and `*` are `other`. The
        /// path is compared byte for byte, as ``LeadResponder`` matches it; `/v1/leads/` and one segment is the lead
        /// route, whatever the id.
        init(target: String) {
            let bytes = target.utf8
            var start = bytes.startIndex
            if bytes.first != UInt8(ascii: "/") {
                // Absolute form: the path begins at the first "/" after "://".
                guard let separator = Self.schemeEnd(bytes),
                      let slash = bytes[separator...].firstIndex(of: UInt8(ascii: "/")) else {
                    self = .other
                    return
                }
                start = slash
            }
            let end = bytes[start...].firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.endIndex
            let path = bytes[start..<end]
            if path.elementsEqual("/v1/score".utf8) {
                self = .score
            } else if path.elementsEqual("/healthz".utf8) {
                self = .healthz
            } else if path.elementsEqual("/v1/model".utf8) {
                self = .model
            } else if path.elementsEqual("/metrics".utf8) {
                self = .metrics
            } else if LeadRoute.matches(path) {
                self = .lead
            } else if let text = String(path), PageRoute.matches(text) || text == "/login" || text == "/logout" {
                self = .page
            } else {
                self = .other
            }
        }

        /// Where what follows `scheme://` begins, or nil.
        private static func schemeEnd(_ bytes: String.UTF8View) -> String.Index? {
            var matched = 0
            for i in bytes.indices {
                switch (matched, bytes[i]) {
                case (0, UInt8(ascii: ":")): matched = 1
                case (1, UInt8(ascii: "/")): matched = 2
                case (2, UInt8(ascii: "/")): return bytes.index(after: i)
                case (_, UInt8(ascii: "/")), (_, UInt8(ascii: "?")): return nil
                default: matched = 0
                }
            }
            return nil
        }
    }

    /// The upper bounds of the request-duration buckets, in seconds: 100 µs to 1 s (a single lead is answered in a few
    /// hundred microseconds; a batch of 1,000 in tens of milliseconds).
    static let durationBounds: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]
    private static let durationBoundsNanoseconds: [UInt64] = durationBounds.map { UInt64(($0 * 1e9).rounded()) }
    /// The upper bounds of the probability buckets: 0.05, 0.1, ... 1.
    static let probabilityBounds: [Double] = (1...20).map { Double($0) / 20 }
    /// Status codes have three digits: a slot for each, per route.
    private static let statusSlots = 1000

    /// The `Content-Type` of ``exposition(model:)``.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private struct Requests {
        /// Answers by route and status: `route * statusSlots + status`.
        var answers = [UInt64](repeating: 0, count: Route.allCases.count * ServerMetrics.statusSlots)
        /// Answers by route and duration bucket (not cumulative; the last of each route's is +Inf).
        var durations = [UInt64](repeating: 0, count: Route.allCases.count * (ServerMetrics.durationBounds.count + 1))
        /// The durations added up, by route.
        var nanoseconds = [UInt64](repeating: 0, count: Route.allCases.count)

        /// A copy with buffers of its own, so that the next request does not copy the arrays on write.
        func copied() -> Requests {
            Requests(answers: answers.withUnsafeBufferPointer(Array.init), durations: durations.withUnsafeBufferPointer(Array.init),
                     nanoseconds: nanoseconds.withUnsafeBufferPointer(Array.init))
        }
    }

    private struct Scores {
        /// Leads by probability bucket (not cumulative; the last is +Inf).
        var buckets = [UInt64](repeating: 0, count: ServerMetrics.probabilityBounds.count + 1)
        var sum = 0.0

        func copied() -> Scores {
            Scores(buckets: buckets.withUnsafeBufferPointer(Array.init), sum: sum)
        }
    }

    private struct Reloads {
        var succeeded: UInt64 = 0
        var failed: UInt64 = 0
    }

    /// The open leads of the page, when the server has a history: the ranking shown and the readings of the source.
    private struct Leads {
        var open = 0
        var contacts = 0
        var asOf: Int64 = 0
        var read: UInt64 = 0
        var failed: UInt64 = 0
        /// When the last reading that succeeded ended, in seconds since 1970.
        var readAt = 0.0
    }

    private let requests = NIOLockedValueBox(Requests())
    private let scores = NIOLockedValueBox(Scores())
    private let reloads = NIOLockedValueBox(Reloads())
    private let leads = NIOLockedValueBox<Leads?>(nil)

    init() {}

    // MARK: Counting

    /// An answer's end has been written: `status` to a request of `route`, `nanoseconds` after its head was read.
    func answered(_ route: Route, status: Int, nanoseconds: UInt64) {
        let code = min(max(status, 0), Self.statusSlots - 1)
        let bucket = Self.bucket(of: nanoseconds, in: Self.durationBoundsNanoseconds)
        let r = route.rawValue
        requests.withLockedValue { state in
            state.answers[r &* Self.statusSlots &+ code] &+= 1
            state.durations[r &* (Self.durationBounds.count &+ 1) &+ bucket] &+= 1
            state.nanoseconds[r] &+= nanoseconds
        }
    }

    /// Leads scored for an answer (every lead of a batch).
    func scored(_ leads: [ScoredLead]) {
        if leads.count == 1 {
            let probability = leads[0].probability
            let bucket = Self.bucket(of: probability, in: Self.probabilityBounds)
            scores.withLockedValue { state in
                state.buckets[bucket] &+= 1
                state.sum += probability
            }
            return
        }
        var counts = [UInt64](repeating: 0, count: Self.probabilityBounds.count + 1)
        var sum = 0.0
        for lead in leads {
            counts[Self.bucket(of: lead.probability, in: Self.probabilityBounds)] &+= 1
            sum += lead.probability
        }
        scores.withLockedValue { state in
            for i in counts.indices { state.buckets[i] &+= counts[i] }
            state.sum += sum
        }
    }

    /// A model reload: served (`succeeded`), or refused with the old model serving on.
    func reloaded(succeeded: Bool) {
        reloads.withLockedValue { state in
            if succeeded { state.succeeded &+= 1 } else { state.failed &+= 1 }
        }
    }

    /// The open leads now shown: `open` of the history's `contacts`, ranked as of `asOf` (whole seconds since 1970).
    func ranked(open: Int, contacts: Int, asOf: Int64) {
        leads.withLockedValue { state in
            var figures = state ?? Leads()
            (figures.open, figures.contacts, figures.asOf) = (open, contacts, asOf)
            state = figures
        }
    }

    /// A reading of the open leads' source: at start or on SIGHUP, done (`succeeded`) or failed with the last reading
    /// kept.
    func readLeads(succeeded: Bool) {
        leads.withLockedValue { state in
            var figures = state ?? Leads()
            if succeeded {
                figures.read &+= 1
                figures.readAt = Date().timeIntervalSince1970.rounded(.down)
            } else {
                figures.failed &+= 1
            }
            state = figures
        }
    }

    /// The index of the first bound at or above `value` (`le` is "less than or equal"), or `bounds.count` (+Inf).
    static func bucket<T: Comparable>(of value: T, in bounds: [T]) -> Int {
        var low = 0
        var high = bounds.count
        while low < high {
            let middle = (low &+ high) / 2
            if value <= bounds[middle] { high = middle } else { low = middle &+ 1 }
        }
        return low
    }

    // MARK: The exposition

    /// Everything counted so far, with `model` as the one being served, in the Prometheus text format 0.0.4: families
    /// in order of name, label sets in order of their values (a histogram's buckets in order of `le`, then `_sum` and
    /// `_count`), so that the same counts always give the same bytes.
    ///
    /// - `leadscore_http_request_duration_seconds{route}`: histogram of the time from a request's head being read to
    ///   its answer's end being written (for a request refused before its head was whole, from its first byte).
    /// - `leadscore_http_request_errors_total{route}`: answers with a 4xx or 5xx status; every route, 0 included.
    /// - `leadscore_http_requests_total{route,status}`: answers by route and status code; the combinations seen.
    /// - `leadscore_model_info{input,model,path}`: 1, labelled with the served model's hash (as `/healthz` and the
    ///   `leadscore-model` header give it), its input kind and its file's name; a reload changes the labels.
    /// - `leadscore_model_reload_failures_total`, `leadscore_model_reloads_total`: reloads refused and served.
    /// - `leadscore_open_leads`, `leadscore_open_leads_as_of_seconds`, `leadscore_open_leads_contacts`, with a history
    ///   only: the open leads the page lists, the moment they are ranked as of (Unix time), the contacts read.
    /// - `leadscore_open_leads_read_seconds`, with a history only: when the last reading of its source that succeeded
    ///   ended (Unix time: alert on `time() - leadscore_open_leads_read_seconds` to catch exports that stopped coming
    ///   or stopped reading; the moment ranked as of does not say it, being fixed by `--as-of` or moved by a reload).
    /// - `leadscore_open_leads_readings_total{result}`, with a history only: readings of its source, at start and on
    ///   SIGHUP, `read` or `failed` (the page then keeps the last reading).
    /// - `leadscore_score_probability`: histogram of the probability of conversion of every lead scored for an answer
    ///   (not the 0-100 score, which is a percentile of the training leads and so means something else for each model).
    ///
    /// A request is counted when its answer's end is written, so a scrape does not count itself.
    func exposition(model: ServingModel) -> [UInt8] {
        let requests = requests.withLockedValue { $0.copied() }
        let scores = scores.withLockedValue { $0.copied() }
        let reloads = reloads.withLockedValue { $0 }
        let routes = Route.allCases
        let durationSlots = Self.durationBounds.count + 1
        var out = PrometheusText()

        out.family("leadscore_http_request_duration_seconds", .histogram,
                   help: "Time from a request's head being read to its answer's end being written, by route (the route template, or other).")
        for route in routes {
            let buckets = requests.durations[(route.rawValue * durationSlots)..<((route.rawValue + 1) * durationSlots)]
            histogram(&out, "leadscore_http_request_duration_seconds", [("route", route.label)], bounds: Self.durationBounds,
                      counts: Array(buckets), sum: PrometheusText.number(Double(requests.nanoseconds[route.rawValue]) / 1e9))
        }

        out.family("leadscore_http_request_errors_total", .counter, help: "Requests answered with a 4xx or 5xx status, by route.")
        for route in routes {
            let base = route.rawValue * Self.statusSlots
            let errors = requests.answers[(base + 400)..<(base + Self.statusSlots)].reduce(0, &+)
            out.sample("leadscore_http_request_errors_total", labels: [("route", route.label)], errors)
        }

        out.family("leadscore_http_requests_total", .counter,
                   help: "Requests answered, by route (the route template, or other for a path not served) and status code.")
        for route in routes {
            let base = route.rawValue * Self.statusSlots
            for status in 0..<Self.statusSlots where requests.answers[base + status] > 0 {
                out.sample("leadscore_http_requests_total", labels: [("route", route.label), ("status", String(status))],
                           requests.answers[base + status])
            }
        }

        out.family("leadscore_model_info", .gauge,
                   help: "The model being served: the hash of its file (as /healthz gives it), its input kind and its file name. Always 1.")
        out.sample("leadscore_model_info", labels: [("input", model.scorer.model.inputKind), ("model", model.hash), ("path", model.fileName)], 1 as UInt64)

        out.family("leadscore_model_reload_failures_total", .counter,
                   help: "Reloads refused because the new model or rules file did not load; the old model served on.")
        out.sample("leadscore_model_reload_failures_total", reloads.failed)

        out.family("leadscore_model_reloads_total", .counter, help: "Models replaced while serving (on SIGHUP or a changed file).")
        out.sample("leadscore_model_reloads_total", reloads.succeeded)

        if let leads = leads.withLockedValue({ $0 }) {
            out.family("leadscore_open_leads", .gauge, help: "Open leads the page lists (neither won nor lost, created before the moment ranked as of).")
            out.sample("leadscore_open_leads", UInt64(leads.open))
            out.family("leadscore_open_leads_as_of_seconds", .gauge, help: "The moment the open leads are ranked as of, in seconds since 1970 (UTC).")
            out.sample("leadscore_open_leads_as_of_seconds", Double(leads.asOf))
            out.family("leadscore_open_leads_contacts", .gauge, help: "Contacts in the history the open leads come from.")
            out.sample("leadscore_open_leads_contacts", UInt64(leads.contacts))
            out.family("leadscore_open_leads_read_seconds", .gauge, help: "When the last reading of the open leads' source that succeeded ended, in seconds since 1970.")
            out.sample("leadscore_open_leads_read_seconds", leads.readAt)
            out.family("leadscore_open_leads_readings_total", .counter,
                       help: "Readings of the open leads' source (at start and on SIGHUP): read, or failed with the last reading kept.")
            out.sample("leadscore_open_leads_readings_total", labels: [("result", "failed")], leads.failed)
            out.sample("leadscore_open_leads_readings_total", labels: [("result", "read")], leads.read)
        }

        out.family("leadscore_score_probability", .histogram,
                   help: "Probability of conversion of each lead scored for an answer (each lead of a batch).")
        histogram(&out, "leadscore_score_probability", [], bounds: Self.probabilityBounds, counts: scores.buckets,
                  sum: PrometheusText.number(scores.sum))

        return Array(out.text.utf8)
    }

    /// A histogram's samples for one label set: cumulative buckets, `_sum` and `_count`.
    private func histogram(_ out: inout PrometheusText, _ name: String, _ labels: [(name: String, value: String)], bounds: [Double],
                           counts: [UInt64], sum: String) {
        var cumulative: UInt64 = 0
        for (i, count) in counts.enumerated() {
            cumulative &+= count
            let le = i < bounds.count ? PrometheusText.number(bounds[i]) : "+Inf"
            out.sample(name + "_bucket", labels: labels + [("le", le)], cumulative)
        }
        out.sample(name + "_sum", labels: labels, sum)
        out.sample(name + "_count", labels: labels, cumulative)
    }
}
