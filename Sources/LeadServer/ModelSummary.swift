import Evaluation
import Features
import LeadData
import Rules
import Scoring

/// What `GET /v1/model` answers: which model is serving (its file, a hash of its bytes, how it was trained and how
/// it did on its holdout), the rules beside it, and the weights-versus-points table of `leadscore explain
/// --versus-rules` (``RulesAgreement``), when the model was trained with rules.
///
/// Every key is always present (null when there is nothing to say), so clients and the OpenAPI schema can rely on it.
struct ModelSummary: Encodable, Sendable {
    struct Model: Encodable, Sendable {
        var path: String
        /// FNV-1a of the file's bytes, in hex: changes whenever the file does.
        var hash: String
        var inputKind: String
        var createdAt: String?
        var features: Int
        var trainingRows: Int
        var trainingPositives: Int
        /// The training matrix's fingerprint as stored in the model.
        var trainingFingerprint: String
        var holdout: Holdout?
        /// The model's bands, as `--bands` takes them.
        var bands: String
        /// The profile fields the model and the rules read from a lead.
        var profileFields: [String]

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(path, forKey: .path)
            try c.encode(hash, forKey: .hash)
            try c.encode(inputKind, forKey: .inputKind)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(features, forKey: .features)
            try c.encode(trainingRows, forKey: .trainingRows)
            try c.encode(trainingPositives, forKey: .trainingPositives)
            try c.encode(trainingFingerprint, forKey: .trainingFingerprint)
            try c.encode(holdout, forKey: .holdout)
            try c.encode(bands, forKey: .bands)
            try c.encode(profileFields, forKey: .profileFields)
        }

        enum CodingKeys: String, CodingKey {
            case path, hash, inputKind, createdAt, features, trainingRows, trainingPositives, trainingFingerprint, holdout, bands, profileFields
        }
    }

    /// The first fit's results on the held-out leads: the model's ROC AUC and, with rules, the rules'.
    struct Holdout: Encodable, Sendable {
        var rule: String
        var leads: Int
        var modelAuc: Double
        var rulesAuc: Double?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(rule, forKey: .rule)
            try c.encode(leads, forKey: .leads)
            try c.encode(modelAuc, forKey: .modelAuc)
            try c.encode(rulesAuc, forKey: .rulesAuc)
        }

        enum CodingKeys: String, CodingKey { case rule, leads, modelAuc, rulesAuc }
    }

    /// The rules file served beside the model: each lead's `rule_points` and `rule_band` come from it.
    struct RulesFile: Encodable, Sendable {
        var path: String
        var name: String?
        var fingerprint: String
        var bands: [String]

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(path, forKey: .path)
            try c.encode(name, forKey: .name)
            try c.encode(fingerprint, forKey: .fingerprint)
            try c.encode(bands, forKey: .bands)
        }

        enum CodingKeys: String, CodingKey { case path, name, fingerprint, bands }
    }

    /// The same body as `leadscore explain --versus-rules --format json`.
    struct VersusRules: Encodable, Sendable {
        var rules: String
        var scale: String
        var rows: [SignalComparison]
    }

    var model: Model
    var rules: RulesFile?
    var versusRules: VersusRules?
    /// Why a part is missing (no rules in the model, other rules than the model's).
    var notes: [String]

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(rules, forKey: .rules)
        try c.encode(versusRules, forKey: .versusRules)
        try c.encode(notes, forKey: .notes)
    }

    enum CodingKeys: String, CodingKey { case model, rules, versusRules, notes }

    init(model: LeadModel, path: String, hash: String, profileFields: [String], rules: RuleSet?, rulesPath: String?) {
        let holdout = model.holdout.map { h in
            Holdout(rule: h.rule, leads: h.comparison.leads, modelAuc: h.model.auc, rulesAuc: h.comparison.rules?.auc)
        }
        self.model = Model(path: path, hash: hash, inputKind: model.inputKind, createdAt: model.createdAt,
                           features: model.encoding.features.count, trainingRows: model.trainingData.rows,
                           trainingPositives: model.trainingData.positives, trainingFingerprint: model.trainingData.fingerprint,
                           holdout: holdout, bands: model.bands.description, profileFields: profileFields)
        self.rules = rules.map { RulesFile(path: rulesPath ?? "", name: $0.name, fingerprint: $0.fingerprint, bands: $0.bands.map(\.name)) }
        var notes: [String] = []
        do {
            let agreement = try RulesAgreement.make(model: model, rules: rules, rulesPath: rulesPath)
            versusRules = VersusRules(rules: agreement.rulesName, scale: agreement.scaleNote, rows: agreement.rows)
        } catch let mismatch as RulesMismatch {
            versusRules = nil
            notes.append("no weights-versus-points table: \(mismatch)")
        } catch {
            versusRules = nil
            notes.append("no weights-versus-points table: \(error)")
        }
        self.notes = notes
    }
}
