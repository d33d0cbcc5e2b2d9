import Features
import LeadData
import Rules

/// Scores one lead held in memory (a ``HistoryLead``) with a history-mode model, exactly as `leadscore score
/// --contacts --events` scores the same contact read from files: the same accumulation of its events, the same
/// table, encoding, scorer and explainer, and with rules the same rule accumulator, so the same bits.
///
/// Built once per model (the scorer, the explainer's column groups, the feature-table layout and a row encoder for
/// it, which profile fields are read how), then used for any number of leads from any number of threads: a lead's
/// history values come straight from the accumulator and its row from ``TableRowEncoder``, with no table built, so
/// scoring one costs microseconds. Tests hold it to the file workflow's output, byte for byte.
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
    /// The profile fields the rules look at (their contacts columns, for the rule accumulator).
    private let ruleFields: [String]
    /// The feature-table layout after the history columns: each profile field the model reads, whether it is numeric
    /// and whether the spec takes its `log1p`.
    private let profileLayout: [(field: String, numeric: Bool, log1p: Bool)]
    private let historyColumnCount: Int
    private let encoder: TableRowEncoder

    /// The suffix a history model gives a profile column taken as `log1p`.
    private static let log1pSuffix = " (log1p)"

    /// A scorer for a history-mode `model`, with `rules` scored beside it; a table-mode model or a damaged encoding
    /// is an error.
    public init(model: LeadModel, rules: RuleSet? = nil) throws(InputError) {
        guard let history = model.history else {
            throw InputError(file: "", line: nil, message: "the model was trained in table mode: it scores table rows, not contact histories")
        }
        self.model = model
        self.rules = rules
        self.history = history
        scorer = LeadScorer(model: model, scale: model.scoreScale, bands: model.bands)
        // The columns history makes by itself; every other recipe reads a profile field.
        let historyNames = HistoryFeatures.historyColumnNames(spec: history.spec, vocabulary: history.vocabulary)
        let computed = Set(historyNames + [HistoryFeatures.idColumn])
        var roles: [String: ColumnRecipe.Role] = [:]
        for recipe in model.encoding.recipes where !computed.contains(recipe.column) {
            var field = recipe.column
            if field.hasSuffix(Self.log1pSuffix), history.spec.profile.log1p.contains(String(field.dropLast(Self.log1pSuffix.count))) {
                field = String(field.dropLast(Self.log1pSuffix.count))
            }
            if roles[field] == nil, !history.spec.profile.exclude.contains(field) { roles[field] = recipe.role }
        }
        self.roles = roles
        ruleFields = Array(Set((rules?.profile ?? []).map(\.field).filter { !history.spec.profile.exclude.contains($0) })).sorted()
        fields = Set(roles.keys).union(ruleFields).sorted()
        profileLayout = roles.keys.sorted().compactMap { field in
            switch roles[field] {
            case .numeric?: (field, true, history.spec.profile.log1p.contains(field))
            case .categorical?: (field, false, false)
            default: nil
            }
        }
        historyColumnCount = historyNames.count
        encoder = try TableRowEncoder(encoding: model.encoding,
                                      columns: historyNames + profileLayout.map { $0.log1p ? HistoryFeatures.log1pName($0.field) : $0.field })
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
        do {
            try features.withUnsafeMutableBufferPointer { out throws(InputError) in try encoder.encode(row, into: out) }
        } catch {
            throw LeadInputError(field: "profile", message: error.message)
        }
        var probabilities = [0.0]
        var leads: [ScoredLead] = []
        features.withUnsafeBufferPointer { rows in
            scorer.score(rows: rows, count: 1, ids: [lead.contactID][...], reasons: reasons, probabilities: &probabilities, into: &leads)
        }
        var scored = leads[0]
        if let rules {
            // Rules see the same events and cutoff, through the same accumulator as the file workflow.
            let contacts = Contacts(path: "request", ids: [lead.contactID], createdAt: [lead.createdAt], profile: try profileColumns(lead))
            let points = contactOfEvent.withUnsafeBufferPointer { c in
                times.withUnsafeBufferPointer { t in
                    codes.withUnsafeBufferPointer { e in
                        var accumulator = HistoryRuleAccumulator(rules: rules, rows: [0], cutoffs: [asOf], contacts: 1)
                        accumulator.add(EventBatch(contacts: c, times: t, events: e))
                        return accumulator.signals(eventNames: names, contacts: contacts).points[0]
                    }
                }
            }
            scored.rulePoints = points
            scored.ruleBand = rules.band(points: points)
        }
        return scored
    }

    /// The profile fields the rules read, as one-row contacts columns typed as `HistorySnapshot` types the contacts
    /// file: by the model's role where it has one, else (a field only rules read) by the value.
    private func profileColumns(_ lead: HistoryLead) throws(LeadInputError) -> [TableColumn] {
        var columns: [TableColumn] = []
        columns.reserveCapacity(ruleFields.count)
        for field in ruleFields {
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
}
