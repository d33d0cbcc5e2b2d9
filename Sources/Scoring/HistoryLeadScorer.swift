import Features
import LeadData
import Rules

/// Scores one lead held in memory (a ``HistoryLead``) with a history-mode model, exactly as `leadscore score
/// --contacts --events` scores the same contact read from files: the same accumulation of its events, the same
/// table, encoding, scorer and explainer, and with rules the same rule accumulator, so the same bits.
///
/// Built once per model (the scorer, the explainer's column groups, which profile fields are read how), then used
/// for any number of leads from any number of threads: scoring a lead allocates only that lead's small buffers.
public struct HistoryLeadScorer: Sendable {
    public let model: LeadModel
    /// Rules whose points and band each lead also gets; nil for none.
    public let rules: RuleSet?
    public let scorer: LeadScorer
    private let history: HistoryInput
    /// Profile fields the model uses, by how the contacts file reads them (the model's role for each).
    private let roles: [String: ColumnRecipe.Role]
    /// Every profile field read: the model's and those only the rules look at, in a fixed order.
    private let fields: [String]

    /// The suffix a history model gives a profile column taken as `log1p`.
    private static let log1pSuffix = " (log1p)"

    /// A scorer for a history-mode `model` (nil for a table-mode one), with `rules` scored beside it.
    public init?(model: LeadModel, rules: RuleSet? = nil) {
        guard let history = model.history else { return nil }
        self.model = model
        self.rules = rules
        self.history = history
        scorer = LeadScorer(model: model, scale: model.scoreScale, bands: model.bands)
        // The columns history makes by itself; every other recipe reads a profile field.
        let computed = Set(Self.historyColumns(history) + [HistoryFeatures.idColumn])
        var roles: [String: ColumnRecipe.Role] = [:]
        for recipe in model.encoding.recipes where !computed.contains(recipe.column) {
            var field = recipe.column
            if field.hasSuffix(Self.log1pSuffix), history.spec.profile.log1p.contains(String(field.dropLast(Self.log1pSuffix.count))) {
                field = String(field.dropLast(Self.log1pSuffix.count))
            }
            if roles[field] == nil, !history.spec.profile.exclude.contains(field) { roles[field] = recipe.role }
        }
        self.roles = roles
        let ruleFields = (rules?.profile ?? []).map(\.field).filter { !history.spec.profile.exclude.contains($0) }
        fields = Set(roles.keys).union(ruleFields).sorted()
    }

    /// The profile fields the model and the rules read; any other field of a lead is ignored, as an extra column
    /// of contacts.csv is.
    public var profileFields: [String] { fields }

    /// Scores `lead` as of `asOf` (only events strictly before it count), with `reasons` reasons each way.
    ///
    /// The lead must exist by then (`created_at` before `asOf`), every event must have a name and happen at or after
    /// `created_at`, and a numeric profile field must hold a number: otherwise the error names the field.
    public func score(_ lead: HistoryLead, asOf: Timestamp, reasons: Int) throws(LeadInputError) -> ScoredLead {
        guard !lead.contactID.isEmpty else {
            throw LeadInputError(field: "contact_id", message: "is empty: give the contact's id")
        }
        guard lead.createdAt < asOf else {
            throw LeadInputError(field: "created_at", message: "\(lead.createdAt.iso8601) is not before the scoring moment \(asOf.iso8601) (as_of): a lead is scored only once it exists")
        }
        // The events as one batch, coded by name in order of first appearance, as the events reader codes them.
        let n = lead.events.count
        var names: [String] = []
        var codeOf: [String: Int32] = [:]
        var codes = [Int32](repeating: 0, count: n)
        var times = [Timestamp](repeating: Timestamp(seconds: 0), count: n)
        for (i, event) in lead.events.enumerated() {
            guard !event.name.isEmpty else {
                throw LeadInputError(field: "events[\(i)].event", message: "is empty: give the event's name, e.g. \"pricing_page_view\"")
            }
            guard event.time >= lead.createdAt else {
                throw LeadInputError(field: "events[\(i)].timestamp",
                                     message: "\(event.time.iso8601) is before the contact was created (\(lead.createdAt.iso8601))")
            }
            if let code = codeOf[event.name] {
                codes[i] = code
            } else {
                codes[i] = Int32(names.count)
                codeOf[event.name] = codes[i]
                names.append(event.name)
            }
            times[i] = event.time
        }
        let contacts = Contacts(path: "request", ids: [lead.contactID], createdAt: [lead.createdAt], profile: try profileColumns(lead))
        let contactOfEvent = [Int32](repeating: 0, count: n)
        var scored: ScoredLead
        var points: Double?
        do {
            (scored, points) = try contactOfEvent.withUnsafeBufferPointer { c throws(InputError) in
                try times.withUnsafeBufferPointer { t throws(InputError) in
                    try codes.withUnsafeBufferPointer { e throws(InputError) in
                        let batch = EventBatch(contacts: c, times: t, events: e)
                        let features = HistoryFeatures.accumulate(spec: history.spec, contacts: contacts, eventNames: names, batch: batch,
                                                                  rows: [0], cutoffs: [asOf])
                        let table = try features.table(vocabulary: history.vocabulary)
                        let design = try model.encoding.design(for: table, labelled: false)
                        let lead = scorer.score(design, reasons: reasons)[0]
                        guard let rules else { return (lead, nil) }
                        var accumulator = HistoryRuleAccumulator(rules: rules, rows: [0], cutoffs: [asOf], contacts: 1)
                        accumulator.add(batch)
                        return (lead, accumulator.signals(eventNames: names, contacts: contacts).points[0])
                    }
                }
            }
        } catch {
            throw LeadInputError(field: "profile", message: error.message)
        }
        if let rules, let points {
            scored.rulePoints = points
            scored.ruleBand = rules.band(points: points)
        }
        return scored
    }

    /// The lead's profile as one-row contacts columns, typed as `HistorySnapshot` types the contacts file: by the
    /// model's role where it has one, else (a field only rules read) by the value.
    private func profileColumns(_ lead: HistoryLead) throws(LeadInputError) -> [TableColumn] {
        var columns: [TableColumn] = []
        columns.reserveCapacity(fields.count)
        for field in fields {
            let value = lead.profile[field] ?? .missing
            switch roles[field] {
            case .numeric?:
                columns.append(TableColumn(name: field, values: .numeric([try Self.number(value, field: field)])))
            case .categorical?:
                columns.append(TableColumn(name: field, values: .categorical(codes: [0], levels: [Self.text(value)])))
            case .dropped?, nil:
                switch value {
                case .number(let x): columns.append(TableColumn(name: field, values: .numeric([x])))
                case .missing: columns.append(TableColumn(name: field, values: .numeric([.nan])))
                case .text(let text):
                    if case .value(let x) = Self.parse(text) {
                        columns.append(TableColumn(name: field, values: .numeric([x])))
                    } else {
                        columns.append(TableColumn(name: field, values: .categorical(codes: [0], levels: [text])))
                    }
                }
            }
        }
        return columns
    }

    /// A numeric field's value: NaN for missing, as an empty cell.
    private static func number(_ value: ProfileValue, field: String) throws(LeadInputError) -> Double {
        switch value {
        case .missing: return .nan
        case .number(let x): return x
        case .text(let text):
            switch parse(text) {
            case .missing: return .nan
            case .value(let x): return x
            case .nonFinite, .notNumeric:
                throw LeadInputError(field: "profile.\(field)", message: "\"\(text)\" is not a number (the model was trained on numbers in this field)")
            }
        }
    }

    /// A categorical field's level, spelled as a CSV cell would spell it; the empty level for missing.
    private static func text(_ value: ProfileValue) -> String {
        switch value {
        case .missing: return ""
        case .text(let text): return text
        case .number(let x): return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
        }
    }

    private static func parse(_ text: String) -> NumericField {
        var text = text
        return text.withUTF8 { NumericField.parse($0) }
    }

    /// The names of the columns the model's history makes (counts, recencies, activity), without any contact.
    private static func historyColumns(_ history: HistoryInput) -> [String] {
        let none = Contacts(path: "", ids: [], createdAt: [])
        let empty: [Int32] = [], noTimes: [Timestamp] = []
        return empty.withUnsafeBufferPointer { c in
            noTimes.withUnsafeBufferPointer { t in
                let features = HistoryFeatures.accumulate(spec: history.spec, contacts: none, eventNames: [],
                                                          batch: EventBatch(contacts: c, times: t, events: c), rows: [], cutoffs: [])
                return ((try? features.table(vocabulary: history.vocabulary))?.columns ?? []).map(\.name)
            }
        }
    }
}
