import Dispatch
import Foundation
import LeadData
import NIOConcurrencyHelpers
import Scoring
import Workflows

/// The open leads of `serve --contacts/--events` (or `--source`): the history read once, before the server listens,
/// and its ranking by the model serving.
///
/// A reload ranks again, from the same history, off the request path: the first page asked for after the model
/// changed starts it on a queue of its own, and until it is done the pages show the previous ranking with a line
/// saying so. The moment ranked as of is `--as-of`, or else when the ranking was made; a page never re-ranks on its
/// own otherwise, so the list does not shift under a reader paging through it.
final class OpenLeads: Sendable {
    let history: LeadHistory
    /// `--as-of`, or nil for the moment each ranking is made.
    let fixedAsOf: Timestamp?
    private let state: NIOLockedValueBox<State>
    private let queue = DispatchQueue(label: "leadscore.open-leads")

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
    }

    /// Ranks `history` with `model`.
    init(history: LeadHistory, model: ServingModel, asOf: Timestamp?) throws(ServeError) {
        self.history = history
        fixedAsOf = asOf
        let ranking: LeadRanking
        do { ranking = try LeadRanking(history: history, scorer: model.scorer, asOf: asOf ?? ScoreRoute.now) } catch {
            throw .unusableSource("the open leads cannot be ranked: \(error.description)")
        }
        state = NIOLockedValueBox(State(ranking: ranking, drift: ranking.scoreDrift, model: model.hash))
    }

    /// The score drift of the ranking of `model`, when that is the ranking made (not while one is under way).
    func drift(for model: ServingModel) -> (psi: Double, level: Monitoring.Verdict, asOf: String, leads: Int)? {
        guard ranking(for: model).stale == nil else { return nil }
        return state.withLockedValue { s in
            s.drift.map { ($0.psi, $0.level, s.ranking.asOf.iso8601, s.ranking.count) }
        }
    }

    /// The ranking to show while `model` serves, and a line when it is another model's (a ranking by `model` is under
    /// way, or failed).
    func ranking(for model: ServingModel) -> (ranking: LeadRanking, stale: String?) {
        let (current, start) = state.withLockedValue { s -> (State, Bool) in
            guard s.model != model.hash, s.pending == nil, s.failure?.model != model.hash else { return (s, false) }
            s.pending = model.hash
            return (s, true)
        }
        if start {
            let asOf = fixedAsOf ?? ScoreRoute.now
            queue.async { [self] in
                let result = Result { () throws(InputError) in try LeadRanking(history: history, scorer: model.scorer, asOf: asOf) }
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
        guard current.model != model.hash else { return (current.ranking, nil) }
        if let failure = current.failure, failure.model == model.hash {
            return (current.ranking, "These leads were ranked by model \(current.model): the model now serving, \(model.hash), cannot rank them (\(failure.message)).")
        }
        return (current.ranking, "These leads were ranked by model \(current.model); they are being ranked again by the model now serving, \(model.hash): reload the page in a moment.")
    }
}
