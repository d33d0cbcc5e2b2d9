import Features
import Foundation
import LeadData
import ModelRegistry
import Rules
import Scoring
import WebPages

/// Everything the server needs from one model file (and rules file), prepared once per load, off the request path:
/// the scorer with its precomputed explainer, and the ready-made bodies of `GET /v1/model` and `GET /healthz`.
///
/// A request takes the current one once, at its start, and uses only it: a reload never changes a model under a
/// request in flight. A class, so that taking it costs one reference count, not one per array of the model.
final class ServingModel: Sendable {
    let scorer: HistoryLeadScorer
    /// FNV-1a of the model file's bytes, in hex; the `leadscore-model` header of every score.
    let hash: String
    /// The model file's name, without the folder it is in (clients never see where it lives on the server).
    let fileName: String
    /// `GET /v1/model`'s body.
    let summaryBody: [UInt8]
    /// `GET /healthz`'s body.
    let healthBody: [UInt8]
    /// The files as they were when read, to notice a change.
    let modelIdentity: FileIdentity?
    let rulesIdentity: FileIdentity?
    /// The rules file's name, without its folder.
    let rulesName: String?
    /// The page at `/`: the model card, made once per load (its charts take a few milliseconds to draw).
    let card: HTML
    /// What the score form offers: the levels of each categorical profile field, and the event types the model knows.
    let levels: [String: [String]]
    let eventTypes: [String]
    /// With a registry: its records when the model was loaded, newest first (a change of model is a reload).
    let records: [RegistryRecord]

    private init(scorer: HistoryLeadScorer, hash: String, fileName: String, summaryBody: [UInt8], healthBody: [UInt8],
                 modelIdentity: FileIdentity?, rulesIdentity: FileIdentity?, rulesName: String?, card: HTML, records: [RegistryRecord]) {
        self.scorer = scorer
        self.hash = hash
        self.fileName = fileName
        self.summaryBody = summaryBody
        self.healthBody = healthBody
        self.modelIdentity = modelIdentity
        self.rulesIdentity = rulesIdentity
        self.rulesName = rulesName
        self.card = card
        self.records = records
        (levels, eventTypes) = ScorePage.suggestions(model: scorer.model)
    }

    /// Reads, checks and prepares a model (and rules): fully, so that a model that would fail on a request fails here.
    /// With a `registry`, `modelPath` is its pointer, whose identity is kept (the watcher compares it), and the model
    /// served is the one it names.
    static func load(modelPath watched: String, rulesPath: String?, registry: String? = nil) throws(ServeError) -> ServingModel {
        let modelIdentity = FileIdentity.of(watched)
        let rulesIdentity = rulesPath.flatMap(FileIdentity.of)
        var modelPath = watched
        if let registry {
            let store = ModelRegistry(folder: registry)
            do { modelPath = store.modelPath(try store.pointer().model) } catch {
                throw .unusableModel(path: error.file, message: error.message)
            }
        }
        let data: Data
        do { data = try JSONFile.read(path: modelPath, what: "the model file") } catch {
            throw .unusableModel(path: modelPath, message: error.message)
        }
        let model: LeadModel
        do { model = try LeadModel.load(data: data, path: modelPath) } catch {
            throw .unusableModel(path: modelPath, message: error.message)
        }
        var rules: RuleSet?
        if let rulesPath {
            do { rules = try RuleSetFile.load(path: rulesPath) } catch {
                throw .unusableRules(path: rulesPath, message: error.message)
            }
        }
        guard model.history != nil else { throw .tableModel(path: modelPath) }
        let scorer: HistoryLeadScorer
        do { scorer = try HistoryLeadScorer(model: model, rules: rules) } catch {
            throw .modelFailsProbe(path: modelPath, message: error.message)
        }
        try probe(scorer, path: modelPath)

        let hash = ContentHash.fnv1a(data)
        // Clients see the files' names, not where they live on the server.
        let modelName = URL(fileURLWithPath: modelPath).lastPathComponent
        let rulesName = rulesPath.map { URL(fileURLWithPath: $0).lastPathComponent }
        let summary = ModelSummary(model: model, path: modelName, hash: hash, profileFields: scorer.profileFields, rules: rules,
                                   rulesPath: rulesName)
        let summaryBody: [UInt8]
        do { summaryBody = Array(try DeterministicJSON.encode(summary)) } catch {
            throw .unusableModel(path: modelPath, message: "cannot describe the model as JSON (\(error))")
        }
        var health = Array(#"{"status":"ok","model":{"path":"#.utf8)
        ScoredLeadFormatter.appendJSONString(modelName, to: &health)
        health += Array(#","hash":"#.utf8)
        ScoredLeadFormatter.appendJSONString(hash, to: &health)
        health += Array(#","rules":"#.utf8)
        if let rules { ScoredLeadFormatter.appendJSONString(rules.fingerprint, to: &health) } else { health += Array("null".utf8) }
        health += Array("}}\n".utf8)
        let card = ModelCard(model: model, modelName: modelName, rules: rules, rulesName: rulesName).html
        return ServingModel(scorer: scorer, hash: hash, fileName: modelName, summaryBody: summaryBody, healthBody: health,
                            modelIdentity: modelIdentity, rulesIdentity: rulesIdentity, rulesName: rulesName, card: card,
                            records: registry.map { (try? ModelRegistry(folder: $0).records().reversed()) ?? [] } ?? [])
    }

    /// Scores two leads as of the end of the training data, with reasons, before the model may serve: one with every
    /// profile field missing and no events, and one with an event of every type the model knows and a year of
    /// history. Every number of both must be finite (the loader has already bounded the weights by the training
    /// ranges; this checks the whole path a request takes).
    private static func probe(_ scorer: HistoryLeadScorer, path: String) throws(ServeError) {
        let end = scorer.model.history?.endOfData ?? Timestamp(seconds: 86_400)
        let year: Int64 = 365 * 86_400
        let created = Timestamp(seconds: end.seconds - year)
        let events = ((scorer.model.history?.vocabulary.kept ?? []) + (scorer.model.history?.vocabulary.pooled ?? [])).enumerated().map { i, name in
            LeadEvent(time: Timestamp(seconds: created.seconds + Int64(i + 1) * 3_600), name: name)
        }
        for lead in [HistoryLead(contactID: "probe", createdAt: Timestamp(seconds: end.seconds - 86_400)),
                     HistoryLead(contactID: "probe-every-event", createdAt: created, events: events)] {
            let scored: ScoredLead
            do { scored = try scorer.score(lead, asOf: end, reasons: 3) } catch {
                throw .modelFailsProbe(path: path, message: error.description)
            }
            if let field = scored.nonFiniteField {
                throw .modelFailsProbe(path: path, message: "lead \(lead.contactID) gets a \(field) that is not a finite number")
            }
        }
    }
}
