import Features
public import LeadData
public import Rules

/// Scores one lead held in memory (a ``HistoryLead``) with a history-mode model, exactly as `leadscore score
/// --contacts --events` scores the same contact read from files: the same accumulation of its events, the same
/// table, encoding, scorer and explainer, and with rules the same signals and sums (``LeadRulePoints``), so the
/// same bits.
///
/// Built once per model (the scorer, the explainer's column groups, the feature-table layout and a row encoder for
/// it, which profile fields are read how, the rules' signals), then used for any number of leads from any number of
/// threads: a lead's history values come straight from the accumulator and its row from ``TableRowEncoder``, with no
/// table built, so scoring one costs microseconds. Tests hold it to the file workflow's output, byte for byte, with
/// the seed rules and with rules of every kind.
public struct HistoryLeadScorer: Sendable {
    public let model: LeadModel
    /// Rules whose points and band each lead also gets; nil for none.
    public var rules: RuleSet? { rulePoints?.rules }
    public let scorer: LeadScorer
    private let history: HistoryInput
    /// Profile fields the model uses, by how the contacts file reads them (the model's role for each).
    private let roles: [String: ColumnRecipe.Role]
    /// Every profile field read: the model's and those only the rules look at, in a fixed order.
    private let fields: [String]
    /// The rules' points for one lead, prepared once; nil without rules.
    private let rulePoints: LeadRulePoints?
    /// Profile fields the spec excludes (the file workflow never reads them).
    private let excluded: Set<String>
    /// The feature-table layout after the history columns: each profile field the model reads, whether it is numeric
    /// and whether the spec takes its `log1p`.
    private let profileLayout: [(field: String, numeric: Bool, log1p: Bool)]
    private let historyColumnCount: Int
    private let encoder: TableRowEncoder
    private let log1pColumns: Set<String>

    /// The id column of every scored lead (`contact_id`).
    public static let idColumn = HistoryFeatures.idColumn

    /// A scorer for a history-mode `model`, with `rules` scored beside it; a table-mode model or a damaged encoding
    /// is an error.
    public init(model: LeadModel, rules: RuleSet? = nil) throws(InputError) {
        guard let history = model.history else {
            throw InputError(file: "", line: nil, message: "the model was trained in table mode: it scores table rows, not contact histories")
        }
        self.model = model
        self.history = history
        scorer = LeadScorer(model: model, scale: model.scoreScale, bands: model.bands)
        // The columns history makes by itself; every other recipe reads a profile field.
        let historyNames = HistoryFeatures.historyColumnNames(spec: history.spec, vocabulary: history.vocabulary)
        let computed = Set(historyNames + [HistoryFeatures.idColumn])
        let excluded = Set(history.spec.profile.exclude)
        var roles: [String: ColumnRecipe.Role] = [:]
        for recipe in model.encoding.recipes where !computed.contains(recipe.column) {
            let field = HistoryFeatures.profileField(ofColumn: recipe.column, spec: history.spec).field
            if roles[field] == nil, !excluded.contains(field) { roles[field] = recipe.role }
        }
        self.roles = roles
        self.excluded = excluded
        rulePoints = rules.map(LeadRulePoints.init)
        fields = Set(roles.keys).union((rules?.profile ?? []).map(\.field).filter { !excluded.contains($0) }).sorted()
        profileLayout = roles.keys.sorted().compactMap { field in
            switch roles[field] {
            case .numeric?: (field, true, history.spec.profile.log1p.contains(field))
            case .categorical?: (field, false, false)
            default: nil
            }
        }
        historyColumnCount = historyNames.count
        log1pColumns = HistoryFeatures.log1pColumns(spec: history.spec)
        encoder = try TableRowEncoder(encoding: model.encoding,
                                      columns: historyNames + profileLayout.map { $0.log1p ? HistoryFeatures.log1pName($0.field) : $0.field })
    }

    /// The profile fields the model and the rules read; any other field of a lead is ignored, as an extra column
    /// of contacts.csv is.
    public var profileFields: [String] { fields }

    /// Scores `lead` as of `asOf` (only events strictly before it count), with `reasons` reasons each way.
    ///
    /// The lead must exist by then (`created_at` before `asOf`), every event must have a name and happen at or after
    /// `created_at` (unless `keepingEarlyEvents`: then an earlier one is history, as the events reader keeps it by
    /// default, `"before_created": "keep"`), and a numeric profile field must hold a number: otherwise the error
    /// names the field.
    public func score(_ lead: HistoryLead, asOf: Timestamp, reasons: Int, keepingEarlyEvents: Bool = false) throws(LeadInputError) -> ScoredLead {
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
            guard event.time >= lead.createdAt || keepingEarlyEvents else {
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
        // The feature-table row: history values, then the profile fields the model reads, typed as it reads them.
        var row: [TableRowEncoder.Value] = []
        row.reserveCapacity(historyColumnCount + profileLayout.count)
        let contactOfEvent = [Int32](repeating: 0, count: n)
        let values = contactOfEvent.withUnsafeBufferPointer { c in
            times.withUnsafeBufferPointer { t in
                codes.withUnsafeBufferPointer { e in
                    HistoryFeatures.historyValues(spec: history.spec, vocabulary: history.vocabulary, eventNames: names,
                                                  batch: EventBatch(contacts: c, times: t, events: e), createdAt: lead.createdAt, cutoff: asOf)
                }
            }
        }
        for value in values { row.append(.number(value)) }
        for column in profileLayout {
            let value = lead.profile[column.field] ?? .missing
            if column.numeric {
                let x = try Self.number(value, field: column.field)
                row.append(.number(column.log1p ? HistoryFeatures.log1pValue(x) : x))
            } else {
                row.append(.level(Self.text(value)))
            }
        }
        var features = [Double](repeating: 0, count: encoder.featureCount)
        let notes: EncodingNotes
        do {
            notes = try features.withUnsafeMutableBufferPointer { out throws(InputError) in try encoder.encode(row, into: out) }
        } catch {
            throw LeadInputError(field: "profile", message: error.message)
        }
        var probabilities = [0.0]
        var leads: [ScoredLead] = []
        features.withUnsafeBufferPointer { rows in
            scorer.score(rows: rows, count: 1, ids: [lead.contactID][...], reasons: reasons, probabilities: &probabilities, into: &leads)
        }
        var scored = leads[0]
        scored.warnings = notes.leadWarnings(log1pColumns: log1pColumns)
        if let rulePoints {
            // The rules see the same events and cutoff as the file workflow's rule accumulator, and profile values
            // typed as `HistorySnapshot` types contacts.csv.
            let points = try contactOfEvent.withUnsafeBufferPointer { c throws(LeadInputError) in
                try times.withUnsafeBufferPointer { t throws(LeadInputError) in
                    try codes.withUnsafeBufferPointer { e throws(LeadInputError) in
                        try rulePoints.points(events: EventBatch(contacts: c, times: t, events: e), eventNames: names,
                                              createdAt: lead.createdAt, cutoff: asOf) { rule throws(LeadInputError) in
                            try profileSignal(rule, lead)
                        }
                    }
                }
            }
            scored.rulePoints = points
            scored.ruleBand = rulePoints.rules.band(points: points)
        }
        return scored
    }

    /// A profile rule's signal for `lead`, its field typed as `HistorySnapshot` types a contacts column: by the
    /// model's role where it has one, else (a field only rules read) by the value; 0 for a field the spec excludes,
    /// which the file workflow does not read either.
    private func profileSignal(_ rule: ProfileRule, _ lead: HistoryLead) throws(LeadInputError) -> Double {
        guard !excluded.contains(rule.field) else { return 0 }
        let value = lead.profile[rule.field] ?? .missing
        switch roles[rule.field] {
        case .numeric?:
            return rule.signal(number: try Self.number(value, field: rule.field))
        case .categorical?:
            return rule.signal(text: Self.text(value))
        case .dropped?, nil:
            switch value {
            case .number(let x): return rule.signal(number: x)
            case .missing: return rule.signal(number: .nan)
            case .text(let text):
                if case .value(let x) = Self.parse(text) { return rule.signal(number: x) }
                return rule.signal(text: text)
            }
        }
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
                throw LeadInputError(field: "profile.\(field)", message: "\(Echo.quoted(text)) is not a number (the model was trained on numbers in this field)")
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
}
