import Features
import Foundation
import LeadData

/// Features of contacts as of one moment, encoded exactly as a history model expects: the model's spec, frozen event
/// vocabulary and standardisation. This is what scoring sees; only events strictly before `asOf` count.
public struct HistorySnapshot: Sendable {
    public var model: LeadModel
    public var contacts: String
    public var events: String
    public var asOf: Timestamp
    public var policy: BadRowPolicy

    public init(model: LeadModel, contacts: String, events: String, asOf: Timestamp, policy: BadRowPolicy = .init()) {
        self.model = model
        self.contacts = contacts
        self.events = events
        self.asOf = asOf
        self.policy = policy
    }

    /// The design matrix of every contact created before `asOf`, and how many were left out as not yet created.
    public func design() throws(InputError) -> (design: DesignMatrix, notYetCreated: Int, skipped: SkippedRows) {
        guard let history = model.history else {
            throw InputError(file: contacts, line: nil, message: "the model was trained in table mode: give it a --table, not contact history")
        }
        var skipped = SkippedRows()
        // Read profile columns as the model read them, so a category that looks numeric stays a category.
        let roles = Dictionary(model.encoding.recipes.map { (Self.sourceColumn($0.column, history.spec), $0.role) },
                               uniquingKeysWith: { a, _ in a })
        let header = Set(try CSVReader(path: contacts).header)
        let kinds = TableReadOptions(categorical: Set(roles.filter { $0.value == .categorical }.keys).intersection(header),
                                     numeric: Set(roles.filter { $0.value == .numeric }.keys).intersection(header),
                                     ignore: Set(history.spec.profile.exclude).intersection(header))
        let contactList = try Contacts.read(path: contacts, options: kinds, policy: policy, skipped: &skipped)
        let rows = (0..<contactList.count).filter { contactList.createdAt[$0] < asOf }.map(Int32.init)
        let features = try HistoryFeatures.accumulate(spec: history.spec, contacts: contactList, events: try EventReader(path: events),
                                                      rows: rows, cutoffs: Array(repeating: asOf, count: rows.count),
                                                      policy: policy, skipped: &skipped)
        let table = try features.table(vocabulary: history.vocabulary)
        let design = try model.encoding.design(for: table, labelled: false)
        return (design, contactList.count - rows.count, skipped)
    }

    /// The contacts-file column behind a feature-table column (`company_size (log1p)` comes from `company_size`).
    private static func sourceColumn(_ name: String, _ spec: HistoryFeatureSpec) -> String {
        let suffix = " (log1p)"
        if name.hasSuffix(suffix), spec.profile.log1p.contains(String(name.dropLast(suffix.count))) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }
}
