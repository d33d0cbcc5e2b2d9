import Evaluation
import Features
import Foundation
public import LeadData
public import Rules
public import Scoring

/// `leadscore demo`, as a library call: on a history sample, load (or train) the model, take its holdout comparison
/// with the rules, score the leads still open as of the end of the data, and rank them, with reasons and rule points.
public struct DemoRun: Sendable {
    /// The sample folder, with contacts.csv, events.csv, outcomes.csv and spec.json.
    public var data: String
    /// The shipped model, loaded unless `retrain` (or it cannot be read).
    public var modelPath: String
    public var rulesPath: String
    public var retrain: Bool
    /// How many leads to show, and reasons each way.
    public var top: Int
    public var reasons: Int

    public init(data: String, modelPath: String, rulesPath: String, retrain: Bool = false, top: Int = 10, reasons: Int = 2) {
        self.data = data
        self.modelPath = modelPath
        self.rulesPath = rulesPath
        self.retrain = retrain
        self.top = top
        self.reasons = reasons
    }

    /// An open lead, ranked: the model's view and the rules' view side by side.
    public struct RankedLead: Sendable {
        public var lead: ScoredLead
        public var rulePoints: Double
        public var ruleBand: String
    }

    public struct Result: Sendable {
        public var model: LeadModel
        /// Whether the model was trained now (else loaded from `modelPath`).
        public var trained: Bool
        /// Why the shipped model was not used, when it was not.
        public var loadNote: String?
        public var rules: RuleSet
        public var agreement: RulesAgreement
        public var asOf: Timestamp
        /// Open leads (contacts without an outcome, created before `asOf`).
        public var openLeads: Int
        /// Open leads per model band and per rules band, highest first.
        public var modelBands: [(band: String, leads: Int)]
        public var ruleBands: [(band: String, leads: Int)]
        /// Open leads the two put in their top band, each alone and both.
        public var topBandOverlap: (model: Int, rules: Int, both: Int)
        public var top: [RankedLead]
        public var seconds: Double
    }

    public func run() throws -> Result {
        let clock = ContinuousClock(), start = clock.now
        let path = { (name: String) in (data as NSString).appendingPathComponent(name) }
        let rules = try RuleSetFile.load(path: rulesPath)
        var model: LeadModel? = nil
        var loadNote: String? = nil
        if !retrain {
            do {
                let loaded = try LeadModel.load(path: modelPath)
                if loaded.rules?.fingerprint == rules.fingerprint, loaded.history != nil { model = loaded } else {
                    loadNote = "\(modelPath) was not trained on contact history with \(rulesPath), so the demo trains a model now"
                }
            } catch {
                loadNote = "\(error) - so the demo trains a model now"
            }
        }
        let trained = model == nil
        if model == nil {
            let spec = FileManager.default.fileExists(atPath: path("spec.json")) ? try HistoryFeatureSpecFile.load(path: path("spec.json")) : .init()
            model = try HistoryTraining(contacts: path("contacts.csv"), events: path("events.csv"), outcomes: path("outcomes.csv"),
                                        spec: spec, penalty: .auto(folds: 5, seed: 1), rules: rules).run().model
        }
        let chosen = model!
        let asOf = chosen.history!.endOfData
        let (snapshot, _) = try HistorySnapshot(model: chosen, contacts: path("contacts.csv"), events: path("events.csv"),
                                                asOf: asOf, rules: rules).current()
        // Open leads: no outcome yet.
        var skipped = SkippedRows()
        let contactList = try Contacts.read(path: path("contacts.csv"), options: .init(), policy: .init(), skipped: &skipped)
        let outcomes = try Outcomes.read(path: path("outcomes.csv"), contacts: contactList, policy: .init(), skipped: &skipped)
        let decided = Set(outcomes.contact.map { contactList.ids[Int($0)] })
        let open = snapshot.design.ids.indices.filter { !decided.contains(snapshot.design.ids[$0]) }
        let leads = LeadScorer(model: chosen, scale: chosen.scoreScale, bands: chosen.bands)
            .score(snapshot.design.selectingRows(open), reasons: reasons)
        let signals = snapshot.ruleSignals!.selectingRows(open)
        let points = signals.points
        let ranked = leads.indices.map { RankedLead(lead: leads[$0], rulePoints: points[$0], ruleBand: rules.band(points: points[$0])) }
        func counts(_ names: [String], _ of: [String]) -> [(band: String, leads: Int)] {
            names.map { name in (name, of.filter { $0 == name }.count) }
        }
        let modelTop = chosen.bands.names[0], rulesTop = rules.bands[0].name
        let overlap = (ranked.filter { $0.lead.band == modelTop }.count, ranked.filter { $0.ruleBand == rulesTop }.count,
                       ranked.filter { $0.lead.band == modelTop && $0.ruleBand == rulesTop }.count)
        let order = ranked.indices.sorted { (ranked[$0].lead.probability, ranked[$1].lead.id) > (ranked[$1].lead.probability, ranked[$0].lead.id) }
        return Result(model: chosen, trained: trained, loadNote: loadNote, rules: rules,
                      agreement: try RulesAgreement.make(model: chosen, rules: rules, rulesPath: rulesPath), asOf: asOf,
                      openLeads: open.count, modelBands: counts(chosen.bands.names, ranked.map(\.lead.band)),
                      ruleBands: counts(rules.bands.map(\.name), ranked.map(\.ruleBand)), topBandOverlap: overlap,
                      top: order.prefix(top).map { ranked[$0] }, seconds: (clock.now - start).seconds)
    }
}
