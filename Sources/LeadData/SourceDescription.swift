package import Foundation

/// A source description (`--source source.json`): where each input is and how to read it, so that a CRM export is read
/// as it comes, without a reshaping script. Either contact history (`contacts`, `events`, and `outcomes` to learn or
/// measure on) or one `table`; a `format` for every file, which a file may override with its own.
///
/// ```json
/// {
///   "format": {"date_formats": ["MM/DD/YYYY HH:mm", "MM/DD/YYYY"], "time_zone": "America/New_York", "thousands": ","},
///   "contacts": {"file": "contacts.csv", "columns": {"contact_id": "Record ID", "created_at": "Create Date"},
///                "exclude": ["Lifecycle Stage"]},
///   "events": {"file": "activities.csv", "columns": {"contact_id": "Contact ID", "timestamp": "Activity Date",
///              "event": "Activity Type"}},
///   "outcomes": {"file": "deals.csv", "columns": {"contact_id": "Contact ID", "outcome": "Deal Stage",
///                "decided_at": "Close Date"}, "won": ["Closed Won"], "lost": ["Closed Lost"]}
/// }
/// ```
///
/// Every key is optional but the files; an unknown key is an error that names it. Paths are relative to the folder
/// of the description.
///
/// The history inputs may be database tables instead of files: `"table": "crm.contacts"` (a table or view) or
/// `"query": "SELECT ..."` in place of `"file"`, on the connection that `"database"` gives (a `postgresql://` URL;
/// without it, the `PG*` environment variables). Columns and values map as for files.
///
/// ```json
/// {
///   "database": "postgresql://analyst@db.internal/crm?sslmode=verify-full",
///   "contacts": {"table": "contacts"},
///   "events": {"table": "activities", "columns": {"timestamp": "occurred_at", "event": "type"}},
///   "outcomes": {"query": "SELECT contact_id, stage AS outcome, closed_at AS decided_at FROM deals"}
/// }
/// ```
public struct SourceDescription: Sendable, Equatable {
    public var history: HistorySource?
    public var table: TableSource?
    /// Columns of contacts.csv to leave out, force categorical or force numeric (the table's are in ``TableSource``).
    public var profile: ProfileColumns
    /// The `postgresql://` URL of `"database"`, when given.
    public var database: String?

    /// Profile columns of the contacts file: which to leave out (a field filled in after the outcome leaks it), and
    /// which to read as categories or numbers whatever they look like.
    public struct ProfileColumns: Sendable, Equatable {
        public var exclude: [String] = []
        public var categorical: [String] = []
        public var numeric: [String] = []
        public init() {}
    }

    /// Reads and checks a description; `path` names it in errors, and its folder anchors relative paths.
    public static func load(path: String) throws(InputError) -> SourceDescription {
        try parse(try JSONFile.read(path: path, what: "the source description"), path: path)
    }

    /// As ``load(path:)`` for the text of a description that is to be written at `path`.
    package static func parse(_ data: Data, path: String) throws(InputError) -> SourceDescription {
        let file = try JSONFile.decode(File.self, from: data, path: path)
        return try SourceDescription(file, path: path)
    }

    private init(_ file: File, path: String) throws(InputError) {
        let folder = AtomicFile.folderName(of: path)
        func resolve(_ name: String) -> String {
            name.hasPrefix("/") || folder == "." ? name : folder + "/" + name
        }
        func fail(_ message: String) -> InputError { InputError(file: path, line: nil, message: message) }
        let shared = try file.format.map { f throws(InputError) in try f.format(path: path, key: "format") } ?? .standard
        func format(_ own: FormatFile?, key: String) throws(InputError) -> CSVFormat {
            try own.map { f throws(InputError) in try f.format(path: path, key: key + ".format", over: shared) } ?? shared
        }
        profile = ProfileColumns()
        database = file.database
        let connection = file.database
        /// Where one history input is: a file, or a table or query in the database.
        func input(_ place: Place, key: String, format: CSVFormat, columns: [String: String]) throws(InputError) -> SourceFile {
            switch (place.file, place.table, place.query) {
            case (let file?, nil, nil):
                return SourceFile(path: resolve(file), format: format, columns: columns)
            case (nil, let table?, nil):
                let relation = DatabaseTable.relation(named: table)
                let database = DatabaseTable(connection: connection, relation: relation)
                return SourceFile(path: "table " + database.shortName, format: format, columns: columns, table: database)
            case (nil, nil, let query?):
                guard !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw fail("\"\(key).query\" is empty") }
                return SourceFile(path: key + " query", format: format, columns: columns,
                                  table: DatabaseTable(connection: connection, relation: .query(query)))
            default:
                throw fail("\"\(key)\" takes one of \"file\", \"table\" (a database table or view) or \"query\" (a SELECT statement)")
            }
        }
        if let table = file.table {
            guard file.contacts == nil, file.events == nil, file.outcomes == nil else {
                throw fail("give either \"table\" or \"contacts\" and \"events\" (and \"outcomes\"), not both")
            }
            let values = try Self.values(won: table.won, lost: table.lost, key: "table", fail: fail)
            self.table = TableSource(file: SourceFile(path: resolve(table.file), format: try format(table.format, key: "table")),
                                     label: table.columns?.label, id: table.columns?.id, weight: table.columns?.weight, values: values,
                                     exclude: table.exclude ?? [], categorical: table.categorical ?? [], numeric: table.numeric ?? [])
            history = nil
            return
        }
        guard let contacts = file.contacts, let events = file.events else {
            throw fail("say where the leads are: \"contacts\" and \"events\" (and \"outcomes\" to learn from), or one \"table\"")
        }
        var source = HistorySource(
            contacts: try input(contacts.place, key: "contacts", format: try format(contacts.format, key: "contacts"),
                                columns: contacts.columns?.mapping ?? [:]),
            events: try input(events.place, key: "events", format: try format(events.format, key: "events"),
                              columns: events.columns?.mapping ?? [:]))
        source.earlyEvents = events.beforeCreated ?? .keep
        if let outcomes = file.outcomes {
            source.outcomes = try input(outcomes.place, key: "outcomes", format: try format(outcomes.format, key: "outcomes"),
                                        columns: outcomes.columns?.mapping ?? [:])
            source.outcomeValues = try Self.values(won: outcomes.won, lost: outcomes.lost, key: "outcomes", fail: fail)
            source.severalOutcomes = outcomes.several ?? .first
        }
        if database != nil, ![source.contacts, source.events, source.outcomes].contains(where: { $0?.table != nil }) {
            throw fail("\"database\" is given but no input is a \"table\" or \"query\"")
        }
        history = source
        table = nil
        profile.exclude = contacts.exclude ?? []
        profile.categorical = contacts.categorical ?? []
        profile.numeric = contacts.numeric ?? []
    }

    private static func values(won: [String]?, lost: [String]?, key: String, fail: (String) -> InputError) throws(InputError) -> OutcomeValues? {
        switch (won, lost) {
        case (nil, nil): return nil
        case (let won?, let lost?):
            guard !won.isEmpty, !lost.isEmpty else { throw fail("\"\(key).won\" and \"\(key).lost\" each need at least one value") }
            if let both = Set(won.map { $0.lowercased() }).intersection(lost.map { $0.lowercased() }).first {
                throw fail("\(Echo.quoted(both)) is in both \"\(key).won\" and \"\(key).lost\"")
            }
            return OutcomeValues(won: won, lost: lost)
        default:
            throw fail("\"\(key).won\" and \"\(key).lost\" come together: the values that mean won, and those that mean lost")
        }
    }

    // MARK: - The file's shape

    struct File: Decodable {
        var format: FormatFile?
        var contacts: ContactsFile?
        var events: EventsFile?
        var outcomes: OutcomesFile?
        var table: TableFile?
        var database: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case format, contacts, events, outcomes, table, database }
        init(from decoder: any Decoder) throws {
            try StrictDecoding.rejectUnknownKeys(decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            format = try c.decodeIfPresent(FormatFile.self, forKey: .format)
            contacts = try c.decodeIfPresent(ContactsFile.self, forKey: .contacts)
            events = try c.decodeIfPresent(EventsFile.self, forKey: .events)
            outcomes = try c.decodeIfPresent(OutcomesFile.self, forKey: .outcomes)
            table = try c.decodeIfPresent(TableFile.self, forKey: .table)
            database = try c.decodeIfPresent(String.self, forKey: .database)
        }
    }

    /// Where one history input is: exactly one of a file, a table or view, or a query (checked when built).
    struct Place {
        var file: String?
        var table: String?
        var query: String?
    }

    /// `format`: all optional; a file's own format starts from the shared one.
    struct FormatFile: Decodable {
        var delimiter: String?
        var encoding: String?
        var thousands: String?
        var decimal: String?
        var dateFormats: [String]?
        var timeZone: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case delimiter, encoding, thousands, decimal, dateFormats, timeZone }
        init(from decoder: any Decoder) throws {
            try StrictDecoding.rejectUnknownKeys(decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            delimiter = try c.decodeIfPresent(String.self, forKey: .delimiter)
            encoding = try c.decodeIfPresent(String.self, forKey: .encoding)
            thousands = try c.decodeIfPresent(String.self, forKey: .thousands)
            decimal = try c.decodeIfPresent(String.self, forKey: .decimal)
            dateFormats = try c.decodeIfPresent([String].self, forKey: .dateFormats)
            timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone)
        }

        func format(path: String, key: String, over base: CSVFormat = .standard) throws(InputError) -> CSVFormat {
            func fail(_ message: String) -> InputError { InputError(file: path, line: nil, message: message) }
            var format = base
            if let delimiter {
                let known: [String: UInt8] = [",": 0x2C, ";": 0x3B, "\t": 0x09, "tab": 0x09, "|": 0x7C]
                guard let byte = known[delimiter] else {
                    throw fail("\"\(key).delimiter\" is \(Echo.quoted(delimiter)); it takes \",\", \";\", \"tab\" or \"|\"")
                }
                format.delimiter = byte
            }
            if let encoding {
                let names: [String: CSVFormat.TextEncoding] = ["utf-8": .utf8, "utf8": .utf8, "windows-1252": .windows1252, "cp1252": .windows1252,
                                                               "latin-1": .latin1, "latin1": .latin1, "iso-8859-1": .latin1]
                guard let value = names[encoding.lowercased()] else {
                    throw fail("\"\(key).encoding\" is \(Echo.quoted(encoding)); it takes utf-8, windows-1252 or latin-1")
                }
                format.encoding = value
            }
            if let thousands {
                guard thousands.isEmpty || [",", ".", " ", "'"].contains(thousands) else {
                    throw fail("\"\(key).thousands\" is \(Echo.quoted(thousands)); it takes \",\", \".\", \" \", \"'\" or \"\" for none")
                }
                format.thousands = thousands.utf8.first
            }
            if let decimal {
                guard decimal == "." || decimal == "," else { throw fail("\"\(key).decimal\" is \(Echo.quoted(decimal)); it takes \".\" or \",\"") }
                format.decimal = decimal.utf8.first!
            }
            if let thousands = format.thousands, thousands == format.decimal {
                throw fail("\"\(key)\": the thousands separator and the decimal mark are both \(Echo.quoted(String(UnicodeScalar(thousands))))")
            }
            if let dateFormats {
                format.dates.patterns = try dateFormats.enumerated().map { k, text throws(InputError) in
                    guard let pattern = DatePattern(text) else {
                        throw fail("\"\(key).date_formats[\(k)]\" is \(Echo.quoted(text)), not a date pattern such as MM/DD/YYYY HH:mm (letters: YYYY YY MM M DD D HH H hh h mm ss SSS a Z)")
                    }
                    return pattern
                }
            }
            if let timeZone {
                guard let zone = DateFormats.Zone(timeZone) else {
                    throw fail("\"\(key).time_zone\" is \(Echo.quoted(timeZone)), not UTC, an offset such as +02:00, or a zone such as Europe/Berlin")
                }
                format.dates.zone = zone
            }
            return format
        }
    }

    /// The columns of one file by role; unknown roles are errors.
    struct Columns {
        var mapping: [String: String]
        var label: String? { mapping["label"] }
        var id: String? { mapping["id"] }
        var weight: String? { mapping["weight"] }
    }

    struct ContactsFile: Decodable {
        var place: Place
        var format: FormatFile?
        var columns: Columns?
        var exclude: [String]?
        var categorical: [String]?
        var numeric: [String]?
        enum CodingKeys: String, CodingKey, CaseIterable { case file, table, query, format, columns, exclude, categorical, numeric }
        init(from decoder: any Decoder) throws {
            try StrictDecoding.rejectUnknownKeys(decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            place = Place(file: try c.decodeIfPresent(String.self, forKey: .file), table: try c.decodeIfPresent(String.self, forKey: .table),
                          query: try c.decodeIfPresent(String.self, forKey: .query))
            format = try c.decodeIfPresent(FormatFile.self, forKey: .format)
            columns = try Self.columns(c, roles: ["contact_id", "created_at"])
            exclude = try c.decodeIfPresent([String].self, forKey: .exclude)
            categorical = try c.decodeIfPresent([String].self, forKey: .categorical)
            numeric = try c.decodeIfPresent([String].self, forKey: .numeric)
        }
    }

    struct EventsFile: Decodable {
        var place: Place
        var format: FormatFile?
        var columns: Columns?
        var beforeCreated: EarlyEvents?
        enum CodingKeys: String, CodingKey, CaseIterable { case file, table, query, format, columns, beforeCreated }
        init(from decoder: any Decoder) throws {
            try StrictDecoding.rejectUnknownKeys(decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            place = Place(file: try c.decodeIfPresent(String.self, forKey: .file), table: try c.decodeIfPresent(String.self, forKey: .table),
                          query: try c.decodeIfPresent(String.self, forKey: .query))
            format = try c.decodeIfPresent(FormatFile.self, forKey: .format)
            columns = try Self.columns(c, roles: ["contact_id", "timestamp", "event"])
            beforeCreated = try c.decodeChoice(EarlyEvents.self, forKey: .beforeCreated)
        }
    }

    struct OutcomesFile: Decodable {
        var place: Place
        var format: FormatFile?
        var columns: Columns?
        var won: [String]?
        var lost: [String]?
        var several: SeveralOutcomes?
        enum CodingKeys: String, CodingKey, CaseIterable { case file, table, query, format, columns, won, lost, several }
        init(from decoder: any Decoder) throws {
            try StrictDecoding.rejectUnknownKeys(decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            place = Place(file: try c.decodeIfPresent(String.self, forKey: .file), table: try c.decodeIfPresent(String.self, forKey: .table),
                          query: try c.decodeIfPresent(String.self, forKey: .query))
            format = try c.decodeIfPresent(FormatFile.self, forKey: .format)
            columns = try Self.columns(c, roles: ["contact_id", "outcome", "decided_at"])
            won = try c.decodeIfPresent([String].self, forKey: .won)
            lost = try c.decodeIfPresent([String].self, forKey: .lost)
            several = try c.decodeChoice(SeveralOutcomes.self, forKey: .several)
        }
    }

    struct TableFile: Decodable {
        var file: String
        var format: FormatFile?
        var columns: Columns?
        var won: [String]?
        var lost: [String]?
        var exclude: [String]?
        var categorical: [String]?
        var numeric: [String]?
        enum CodingKeys: String, CodingKey, CaseIterable { case file, format, columns, won, lost, exclude, categorical, numeric }
        init(from decoder: any Decoder) throws {
            try StrictDecoding.rejectUnknownKeys(decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
            let c = try decoder.container(keyedBy: CodingKeys.self)
            file = try c.decode(String.self, forKey: .file)
            format = try c.decodeIfPresent(FormatFile.self, forKey: .format)
            columns = try Self.columns(c, roles: ["label", "id", "weight"])
            won = try c.decodeIfPresent([String].self, forKey: .won)
            lost = try c.decodeIfPresent([String].self, forKey: .lost)
            exclude = try c.decodeIfPresent([String].self, forKey: .exclude)
            categorical = try c.decodeIfPresent([String].self, forKey: .categorical)
            numeric = try c.decodeIfPresent([String].self, forKey: .numeric)
        }
    }
}

extension Decodable {
    /// The `columns` object of `c`, its keys checked against `roles`.
    fileprivate static func columns<K: CodingKey>(_ c: KeyedDecodingContainer<K>, roles: [String]) throws -> SourceDescription.Columns? {
        guard let key = K(stringValue: "columns"), c.contains(key) else { return nil }
        let nested = try c.superDecoder(forKey: key)
        return try SourceDescription.Columns(roles: roles, decoder: nested)
    }
}

extension SourceDescription.Columns {
    /// Keys are roles, written as the roles are named (the snake_case decoder turns `contact_id` into `contactId`, so
    /// they are turned back).
    init(roles: [String], decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        var mapping: [String: String] = [:]
        for key in c.allKeys {
            let role = StrictDecoding.snakeCase(key.stringValue)
            guard roles.contains(role) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + [key],
                                                        debugDescription: "unknown key \"\(StrictDecoding.keyPath(decoder.codingPath + [key]))\" (known keys here: \(roles.joined(separator: ", ")))"))
            }
            mapping[role] = try c.decode(String.self, forKey: key)
        }
        self.mapping = mapping
    }
}

/// One table (one row per lead) as an export has it: the file, its label, id and weight columns, the label values
/// that mean won and lost (every other value means still open, and the row is not a training example), and which
/// columns to leave out or force categorical or numeric.
public struct TableSource: Sendable, Equatable {
    public var file: SourceFile
    public var label: String?
    public var id: String?
    public var weight: String?
    public var values: OutcomeValues?
    public var exclude: [String]
    public var categorical: [String]
    public var numeric: [String]

    public init(file: SourceFile, label: String? = nil, id: String? = nil, weight: String? = nil, values: OutcomeValues? = nil,
                exclude: [String] = [], categorical: [String] = [], numeric: [String] = []) {
        self.file = file
        self.label = label
        self.id = id
        self.weight = weight
        self.values = values
        self.exclude = exclude
        self.categorical = categorical
        self.numeric = numeric
    }
}

private extension KeyedDecodingContainer {
    /// A key that takes one of an enumeration's raw values; anything else is an error that lists them.
    func decodeChoice<T: RawRepresentable & CaseIterable>(_ type: T.Type, forKey key: Key) throws -> T? where T.RawValue == String {
        try decodeIfPresent(String.self, forKey: key).map { text in
            guard let value = T(rawValue: text) else {
                let choices = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
                throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "takes \(choices), not \"\(text)\"")
            }
            return value
        }
    }
}
