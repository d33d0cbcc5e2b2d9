import Dispatch
import Foundation
import LeadData
import Logging
import NIOConcurrencyHelpers
import Scoring
import Workflows

/// The open leads of `serve --contacts/--events` (or `--source`): the history read before the server listens, read
/// again on SIGHUP, and its ranking by the model serving.
///
/// A reload ranks again, from the same history, off the request path: the first page asked for after the model
/// changed starts it on a queue of its own, and until it is done the pages show the previous ranking with a line
/// saying so. ``reread(model:log:)`` (SIGHUP) reads the source again on that queue (a new export in the files' place,
/// the tables as they are now) and ranks it, as of `--as-of` or the moment it is done; the previous ranking is shown
/// until then, and kept, with a line saying why, if the source cannot be read. The moment ranked as of is `--as-of`,
/// or else when the ranking was made; a page never re-ranks on its own otherwise, so the list does not shift under a
/// reader paging through it.
final class OpenLeads: Sendable {
    /// `--as-of`, or nil for the moment each ranking is made.
    let fixedAsOf: Timestamp?
    /// Reads the history from its source (the files or tables the server was started with).
    private let read: @Sendable () throws(InputError) -> LeadHistory
    private let state: NIOLockedValueBox<State>
    /// Where rankings and readings are made, one at a time and in the order asked for.
    private let queue = DispatchQueue(label: "leadscore.open-leads")

    /// Told of every ranking shown and every reading, for `/metrics`.
    private let metrics: ServerMetrics?

    private struct State {
        var ranking: LeadRanking {
            didSet { drift = ranking.scoreDrift }
        }
        /// The ranking's score drift, worked out once (over every open lead, a few milliseconds for a million).
        var drift: (psi: Double, level: Monitoring.Verdict)?
        /// The hash of the model `ranking` was made with.
        var model: String
        /// The model being ranked with now, if any.
        var pending: String?
        /// Why the last ranking with the model now serving failed, if it did.
        var failure: (model: String, message: String)?
        /// Whether the source is being read again.
        var reading = false
        /// Whether another reading was asked for while one was under way (it may have opened the files before the
        /// new export was in place): one more follows it.
        var readAgain = false
        /// Why the last reading again failed, if it did (cleared by the next that succeeds).
        var readFailure: String?
    }

    /// Reads the history with `read` and ranks it with `model`; `metrics` is told of the rankings and readings.
    init(model: ServingModel, asOf: Timestamp?, metrics: ServerMetrics? = nil,
         read: @escaping @Sendable () throws(InputError) -> LeadHistory) throws(ServeError) {
        fixedAsOf = asOf
        self.read = read
        self.metrics = metrics
        let history: LeadHistory, ranking: LeadRanking
        do throws(InputError) { history = try read() } catch { throw .unusableSource(error.description) }
        do throws(InputError) { ranking = try LeadRanking(history: history, scorer: model.scorer, asOf: asOf ?? ScoreRoute.now) } catch {
            throw .unusableSource("the open leads cannot be ranked: \(error.description)")
        }
        state = NIOLockedValueBox(State(ranking: ranking, drift: ranking.scoreDrift, model: model.hash))
        metrics?.readLeads(succeeded: true)
        shown(ranking)
    }

    /// Tells the metrics of the ranking now shown.
    private func shown(_ ranking: LeadRanking) {
        metrics?.ranked(open: ranking.count, contacts: ranking.history.count, asOf: ranking.asOf.seconds)
    }

    /// How many contacts the history being shown has.
    var contacts: Int { state.withLockedValue { $0.ranking.history.count } }

    /// The score drift of the ranking of `model`, when that is the ranking made (not while one is under way).
    func drift(for model: ServingModel) -> (psi: Double, level: Monitoring.Verdict, asOf: String, leads: Int)? {
        _ = ranking(for: model)
        return state.withLockedValue { s in
            guard s.model == model.hash else { return nil }
            return s.drift.map { ($0.psi, $0.level, s.ranking.asOf.iso8601, s.ranking.count) }
        }
    }

    /// The ranking to show while `model` serves, and a line when it is another model's (a ranking by `model` is under
    /// way, or failed) or when the source is being read again or could not be.
    func ranking(for model: ServingModel) -> (ranking: LeadRanking, stale: String?) {
        let (current, start) = state.withLockedValue { s -> (State, Bool) in
            guard s.model != model.hash, s.pending == nil, s.failure?.model != model.hash else { return (s, false) }
            s.pending = model.hash
            return (s, true)
        }
        if start {
            queue.async { [self] in
                // The history and the moment as they are when the ranking starts: a reading done before it is the one
                // ranked, and never as of an earlier moment than that reading; none at all if it already used `model`.
                let (history, done) = state.withLockedValue { s -> (LeadHistory, Bool) in
                    if s.model == model.hash { s.pending = nil }
                    return (s.ranking.history, s.model == model.hash)
                }
                if done { return }
                let asOf = fixedAsOf ?? ScoreRoute.now
                let result = Result { () throws(InputError) in try LeadRanking(history: history, scorer: model.scorer, asOf: asOf) }
                if case .success(let ranking) = result { shown(ranking) }
                state.withLockedValue { s in
                    s.pending = nil
                    switch result {
                    case .success(let ranking):
                        s.ranking = ranking
                        s.model = model.hash
                        s.failure = nil
                    case .failure(let error):
                        s.failure = (model.hash, error.description)
                    }
                }
            }
        }
        var lines: [String] = []
        if current.model != model.hash {
            if let failure = current.failure, failure.model == model.hash {
                lines.append("These leads were ranked by model \(current.model): the model now serving, \(model.hash), cannot rank them (\(failure.message)).")
            } else {
                lines.append("These leads were ranked by model \(current.model); they are being ranked again by the model now serving, \(model.hash): reload the page in a moment.")
            }
        }
        if current.reading {
            lines.append("The leads are being read again from their source: this list is of the last reading; reload the page in a moment.")
        } else if let failure = current.readFailure {
            lines.append("The leads could not be read again (\(failure)): this list is of the last reading that succeeded.")
        }
        return (current.ranking, lines.isEmpty ? nil : lines.joined(separator: " "))
    }

    /// Reads the source again and ranks it with the model serving when the reading is done (`model`), as of
    /// `--as-of` or then, off the request path; the pages show the previous ranking meanwhile. A reading asked for
    /// while one is under way follows it (that one may have opened the files before the new export was in place);
    /// several asked for meanwhile make one. A source that cannot be read, or a history the model cannot rank, leaves
    /// the previous ranking in place, logged, counted and said on the list. The metrics and the log have the outcome
    /// before the pages show it. Returns at once.
    func reread(model: @escaping @Sendable () -> ServingModel, log: ServerLog) {
        let start = state.withLockedValue { s -> Bool in
            guard !s.reading else {
                s.readAgain = true
                return false
            }
            s.reading = true
            return true
        }
        guard start else { return }
        queue.async { [self] in readOnce(model: model, log: log) }
    }

    /// One reading of ``reread(model:log:)``, on the queue; then another if one was asked for meanwhile.
    private func readOnce(model: @escaping @Sendable () -> ServingModel, log: ServerLog) {
        let started = ContinuousClock.now
        let result = Result { () throws(InputError) -> (LeadRanking, ServingModel) in
            let history = try read()
            let serving = model()
            return (try LeadRanking(history: history, scorer: serving.scorer, asOf: fixedAsOf ?? ScoreRoute.now), serving)
        }
        metrics?.readLeads(succeeded: (try? result.get()) != nil)
        switch result {
        case .success(let (ranking, _)):
            shown(ranking)
            log.logger.notice("\(ranking.history.count) contacts read again for the open leads in \(String(format: "%.1f", (ContinuousClock.now - started).seconds)) s: \(ranking.count) open as of \(ranking.asOf.iso8601)")
            for warning in ranking.warnings { log.logger.warning("\(warning)") }
        case .failure(let error):
            log.logger.error("the open leads could not be read again; the pages show the last reading: \(Echo.line(error.description))")
        }
        let again = state.withLockedValue { s -> Bool in
            switch result {
            case .success(let (ranking, serving)):
                s.ranking = ranking
                s.model = serving.hash
                s.failure = nil
                s.readFailure = nil
            case .failure(let error):
                s.readFailure = error.description
            }
            let again = s.readAgain
            s.readAgain = false
            s.reading = again
            return again
        }
        if again { queue.async { [self] in readOnce(model: model, log: log) } }
    }
}
