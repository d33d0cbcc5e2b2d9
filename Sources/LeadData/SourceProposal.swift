import Foundation

/// A source description proposed from the files themselves (`leadscore source --init`): which column plays which role,
/// by the names CRMs export (HubSpot, Salesforce, Pipedrive, Mautic), how the files are written, what the outcome
/// values mean, and which profile columns look filled in after the outcome. Each choice comes with one line saying why,
/// for the person who checks the description before training on it.
package struct SourceProposal {
    /// The description, as JSON text.
    package var json: String
    /// One line per choice made.
    package var explanations: [String]

    /// The inputs to describe: contact history or one table.
    package enum Inputs {
        case history(contacts: String, events: String, outcomes: String?)
        /// Tables (or views) of a database, read through `streamer`; `database` is the URL as given (written to the
        /// description without its password), nil for the `PG*` variables.
        case databaseHistory(database: String?, contacts: String, events: String, outcomes: String?, streamer: any TableStreamer)
        case table(String)
    }

    /// What the user settled themselves.
    package struct Settled {
        /// Date patterns for every date column (when the values cannot tell the day from the month).
        package var dateFormats: [String]?
        /// The zone of times without an offset.
        package var timeZone: String?
        package init(dateFormats: [String]? = nil, timeZone: String? = nil) {
            self.dateFormats = dateFormats
            self.timeZone = timeZone
        }
    }

    /// Proposes a description of `inputs`, to be written at `descriptionPath` (file paths are written relative to its
    /// folder). Errors: a file that cannot be read, a role no column plays, dates that no format or two formats read.
    package static func propose(_ inputs: Inputs, descriptionPath: String, settled: Settled = Settled()) throws(InputError) -> SourceProposal {
        var builder = Builder(folder: AtomicFile.folderName(of: descriptionPath), settled: settled)
        switch inputs {
        case .history(let contacts, let events, let outcomes):
            let c = try SourceSniffer.sniff(path: contacts)
            let e = try SourceSniffer.sniff(path: events)
            let o = try outcomes.map { path throws(InputError) in try SourceSniffer.sniff(path: path) }
            return try history(c, e, o, builder: &builder)
        case .databaseHistory(let database, let contacts, let events, let outcomes, let streamer):
            func sniff(_ name: String) throws(InputError) -> SniffedFile {
                var file = SourceFile(path: "table " + name, table: DatabaseTable(connection: database, relation: DatabaseTable.relation(named: name)))
                file.streamer = streamer
                return try SourceSniffer.sniff(file: file)
            }
            let c = try sniff(contacts), e = try sniff(events)
            let o = try outcomes.map { name throws(InputError) in try sniff(name) }
            builder.database = database.map(DatabaseTable.redacted)
            if let database, DatabaseTable.redacted(database) != database {
                builder.explain("the password is not written into the description: give it in PGPASSWORD or ~/.pgpass")
            }
            return try history(c, e, o, builder: &builder)
        case .table(let path):
            return try table(path, builder: &builder)
        }
    }

    /// The description of contact history from its three inputs, sniffed.
    private static func history(_ c: SniffedFile, _ e: SniffedFile, _ o: SniffedFile?, builder: inout Builder) throws(InputError) -> SourceProposal {
        var roles: [String: String] = [:]
        let contactsEntry = try builder.entry(c, key: "contacts", roles: [("contact_id", Names.contactID), ("created_at", Names.created)],
                                              dates: ["created_at"], chosen: &roles)
        var contactsObject = contactsEntry
        let profile = c.header.filter { !roles.values.contains($0) }
        builder.numbers(in: c, columns: profile)
        let suspects = builder.leakSuspects(c, columns: profile, key: "contacts")
        if !suspects.isEmpty { contactsObject.append(("exclude", .strings(suspects))) }
        var eventRoles: [String: String] = [:]
        var eventsObject = try builder.entry(e, key: "events", roles: [("contact_id", Names.eventContactID), ("timestamp", Names.timestamp), ("event", Names.event)],
                                             dates: ["timestamp"], chosen: &eventRoles)
        eventsObject.append(("before_created", .string("keep")))
        builder.explain("\(Self.name(e.path)): events before their contact's created_at (back-filled page views) are kept as history; \"before_created\": \"refuse\" makes them errors")
        var objects: [(String, JSONValue)] = [("contacts", .object(contactsObject)), ("events", .object(eventsObject))]
        if let o {
            var outcomeRoles: [String: String] = [:]
            var outcomesObject = try builder.entry(o, key: "outcomes", roles: [("contact_id", Names.outcomeContactID), ("outcome", Names.outcome), ("decided_at", Names.decided)],
                                                   dates: ["decided_at"], chosen: &outcomeRoles)
            let (won, lost) = try builder.outcomeValues(o, column: outcomeRoles["outcome"]!)
            outcomesObject += [("won", .strings(won)), ("lost", .strings(lost)), ("several", .string("first"))]
            builder.explain("\(Self.name(o.path)): a contact with several decided rows counts its first decision (later ones are renewals or upsells); \"several\": \"refuse\" makes them errors")
            objects.append(("outcomes", .object(outcomesObject)))
        }
        return builder.finish(objects)
    }

    /// The description of one table (one row per lead) from its first rows.
    private static func table(_ path: String, builder: inout Builder) throws(InputError) -> SourceProposal {
        let t = try SourceSniffer.sniff(path: path)
        var roles: [String: String] = [:]
        var object = try builder.entry(t, key: "table", roles: [("label", Names.label), ("id", Names.id)], dates: [], chosen: &roles, optional: ["id"])
        let (won, lost) = try builder.outcomeValues(t, column: roles["label"]!)
        object += [("won", .strings(won)), ("lost", .strings(lost))]
        let features = t.header.filter { !roles.values.contains($0) }
        builder.numbers(in: t, columns: features)
        let suspects = builder.leakSuspects(t, columns: features, key: "table")
        if !suspects.isEmpty { object.append(("exclude", .strings(suspects))) }
        return builder.finish([("table", .object(object))])
    }

    static func name(_ path: String) -> String { HistoryRows.fileName(path) }

    /// The names CRMs give each role, compared without case, spaces or punctuation; the CRM that uses a name, where
    /// it is typical of one.
    enum Names {
        static let contactID = ["contact_id", "Record ID", "Contact ID", "Id", "Lead ID", "person_id", "Person ID", "id"]
        static let created = ["created_at", "Create Date", "CreatedDate", "Created Date", "add_time", "date_added", "Date Created", "Created", "Created At"]
        static let eventContactID = ["contact_id", "Contact ID", "WhoId", "person_id", "Lead ID", "lead_id", "Record ID", "Associated Contact ID"]
        static let timestamp = ["timestamp", "Activity Date", "CompletedDateTime", "ActivityDate", "Event Date", "date_added", "Date", "add_time", "due_date", "Occurred At", "Time", "CreatedDate"]
        static let event = ["event", "Activity Type", "Subject", "Type", "Event Type", "type", "Action", "Activity", "Event Name", "event_type"]
        static let outcomeContactID = ["contact_id", "Contact ID", "ContactId", "Associated Contact ID", "person_id", "WhoId", "Lead ID", "ConvertedContactId"]
        static let outcome = ["outcome", "Deal Stage", "StageName", "Stage", "status", "Status", "IsWon", "Result", "stage_id"]
        static let decided = ["decided_at", "Close Date", "CloseDate", "Closed Date", "won_time", "close_time", "lost_time", "Date Closed", "Closed At"]
        static let label = ["converted", "label", "outcome", "won", "IsWon", "IsConverted", "Deal Stage", "StageName", "Stage", "Status", "status", "Result", "target"]
        static let id = ["id", "Id", "lead_id", "Lead ID", "Record ID", "contact_id", "Contact ID"]

        static let crm: [String: String] = [
            "recordid": "HubSpot", "createdate": "HubSpot", "activitydate": "HubSpot", "activitytype": "HubSpot", "dealstage": "HubSpot",
            "closedate": "HubSpot and Salesforce", "createddate": "Salesforce", "whoid": "Salesforce", "completeddatetime": "Salesforce",
            "stagename": "Salesforce", "iswon": "Salesforce", "isconverted": "Salesforce", "subject": "Salesforce", "contactid": "HubSpot and Salesforce",
            "personid": "Pipedrive", "addtime": "Pipedrive", "wontime": "Pipedrive", "closetime": "Pipedrive", "dateadded": "Mautic",
        ]

        static func key(_ name: String) -> String {
            String(name.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
        }
    }

    /// Builds the description and its explanations, file by file.
    struct Builder {
        let folder: String
        let settled: Settled
        var explanations: [String] = []
        /// Each file's format, to be shared at the top when every file has the same.
        var formats: [(key: String, path: String, format: FormatEntry)] = []
        /// Whether some times carry no zone.
        var zoneless = false
        /// The database URL (without its password) when the inputs are tables.
        var database: String?

        init(folder: String, settled: Settled) {
            self.folder = folder
            self.settled = settled
        }

        mutating func explain(_ line: String) { explanations.append(line) }

        /// The object of one file: its path, its columns by role (found by name), with its format noted.
        mutating func entry(_ file: SniffedFile, key: String, roles: [(String, [String])], dates: [String],
                            chosen: inout [String: String], optional: Set<String> = []) throws(InputError) -> [(String, JSONValue)] {
            let name = SourceProposal.name(file.path)
            let more = file.truncated ? "the first \(NumberFormatting.count(file.rows)) rows read" : "\(NumberFormatting.count(file.rows)) rows"
            if file.table != nil {
                explain("\(name): \(more) read from the database")
            } else {
                explain("\(name): \(file.format.encoding == .utf8 ? "UTF-8" : "Windows-1252 (not valid UTF-8)"), \(Self.delimiterName(file.format.delimiter))-separated, \(more)")
            }
            var columns: [(String, JSONValue)] = []
            let keys = Dictionary(file.header.map { (Names.key($0), $0) }, uniquingKeysWith: { a, _ in a })
            for (role, names) in roles {
                guard let column = names.lazy.compactMap({ keys[Names.key($0)] }).first(where: { !chosen.values.contains($0) }) else {
                    if optional.contains(role) { continue }
                    throw InputError(file: file.path, line: 1,
                                     message: "no column looks like the \(role) (the header has: \(file.header.map { Echo.quoted($0) }.joined(separator: ", "))); name it in the description yourself, under \"\(key)\".\"columns\".\"\(role)\"")
                }
                chosen[role] = column
                if column != role { columns.append((role, .string(column))) }
                let crm = Names.crm[Names.key(column)].map { " (the \($0) export name)" } ?? ""
                explain("\(name): \(role) is \(Echo.quoted(column))\(crm)")
            }
            var format = FormatEntry(delimiter: file.format.delimiter, encoding: file.format.encoding)
            for role in dates {
                guard let column = chosen[role] else { continue }
                let values = file.values(column)
                switch DateSniffer.reading(of: values, given: settled.dateFormats) {
                case .iso, .empty:
                    if values.contains(where: { !$0.isEmpty && Timestamp.parseWithOffset(Array($0.utf8).withUnsafeBufferPointer { $0 })?.zoned == false }) { zoneless = true }
                    explain("\(name): \(Echo.quoted(column)) is ISO 8601")
                case .patterns(let patterns, let example):
                    zoneless = zoneless || !patterns.contains { $0.contains("Z") }
                    format.dates += patterns.filter { !format.dates.contains($0) }
                    let why = example.map { ", as a value such as \(Echo.quoted($0)) shows" } ?? ""
                    explain("\(name): \(Echo.quoted(column)) is written \(patterns.joined(separator: " or "))\(why)")
                case .ambiguous(let first, let second, let example):
                    throw InputError(file: file.path, line: nil,
                                     message: "column \(Echo.quoted(column)): every value reads both as \(first.first ?? "?") and as \(second.first ?? "?") (such as \(Echo.quoted(example))), so the day cannot be told from the month; this will not be guessed",
                                     remedy: .nameDateFormat)
                case .unreadable(let example):
                    throw InputError(file: file.path, line: nil,
                                     message: "column \(Echo.quoted(column)): \(Echo.quoted(example)) is not a date in any format leadscore knows",
                                     remedy: .nameDateFormat)
                }
            }
            formats.append((key, file.path, format))
            let place: (String, JSONValue) = file.table.map { ("table", .string($0.shortName)) } ?? ("file", .string(relative(file.path)))
            return [place] + (columns.isEmpty ? [] : [("columns", .object(columns))])
        }

        /// Notes a thousands separator where number columns are written with one.
        mutating func numbers(in file: SniffedFile, columns: [String]) {
            for column in columns {
                let values = file.values(column).filter { !$0.isEmpty }
                guard !values.isEmpty, values.allSatisfy({ Self.isGroupedNumber($0) || Double($0) != nil }),
                      let example = values.first(where: { $0.contains(",") }),
                      let i = formats.firstIndex(where: { $0.path == file.path }) else { continue }
                if formats[i].format.thousands == nil {
                    formats[i].format.thousands = ","
                    explain("\(SourceProposal.name(file.path)): numbers such as \(Echo.quoted(example)) in \(Echo.quoted(column)) have a thousands separator: \"thousands\": \",\"")
                }
            }
        }

        static func isGroupedNumber(_ text: String) -> Bool {
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBufferPointer {
                if case .value = NumericField.parse($0, thousands: UInt8(ascii: ","), decimal: UInt8(ascii: ".")) { return true }
                return false
            }
        }

        /// Profile columns named like fields filled in after the outcome, each explained.
        mutating func leakSuspects(_ file: SniffedFile, columns: [String], key: String) -> [String] {
            let words = ["lifecycle", "status", "stage", "owner", "amount", "closed", "won", "lost", "customersince", "becameacustomer",
                         "converted", "deal", "opportunit", "lastmodified", "revenue"]
            var found: [String] = []
            for column in columns {
                let k = Names.key(column)
                guard let word = words.first(where: { k.contains($0) }) else { continue }
                found.append(column)
                explain("\(SourceProposal.name(file.path)): leaving out \(Echo.quoted(column)): named like a field filled in after the outcome (\(word)), which would leak it; keep it only if it is known when leads are scored")
            }
            return found
        }

        /// The outcome column's values read as won, lost and open, with their counts; an error when no value looks
        /// like a win or none like a loss.
        mutating func outcomeValues(_ file: SniffedFile, column: String) throws(InputError) -> ([String], [String]) {
            var counts: [String: Int] = [:]
            for value in file.values(column) where !value.isEmpty { counts[value, default: 0] += 1 }
            let ordered = counts.keys.sorted { (counts[$0]!, $1) > (counts[$1]!, $0) }
            var won: [String] = [], lost: [String] = [], open: [String] = []
            for value in ordered {
                switch Self.meaning(value) {
                case true?: won.append(value)
                case false?: lost.append(value)
                case nil: open.append(value)
                }
            }
            let listing = { (values: [String]) in values.prefix(6).map { "\(Echo.quoted($0)) (\(NumberFormatting.count(counts[$0]!)))" }.joined(separator: ", ") + (values.count > 6 ? ", ..." : "") }
            guard !won.isEmpty, !lost.isEmpty else {
                throw InputError(file: file.path, line: nil,
                                 message: "column \(Echo.quoted(column)): no value looks like \(won.isEmpty ? "a win" : "a loss") (its values: \(listing(ordered))); write \"won\" and \"lost\" in the description yourself")
            }
            let name = SourceProposal.name(file.path)
            explain("\(name): won is \(listing(won)); lost is \(listing(lost))")
            if !open.isEmpty { explain("\(name): still open, left out of training: \(listing(open))") }
            return (won, lost)
        }

        /// Whether a value means won (true), lost (false) or neither (still open).
        static func meaning(_ value: String) -> Bool? {
            let k = value.lowercased().trimmingCharacters(in: .whitespaces)
            if ["false", "no", "0", "n"].contains(k) { return false }
            if ["true", "yes", "1", "y"].contains(k) { return true }
            for word in ["not converted", "lost", "disqualified", "unqualified", "rejected", "dead", "churn", "junk"] where k.contains(word) { return false }
            for word in ["won", "converted", "customer", "closed - won", "signed"] where k.contains(word) { return true }
            return nil
        }

        /// `path` as the description names it: relative to the description's folder when inside it.
        func relative(_ path: String) -> String {
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            let base = URL(fileURLWithPath: folder).standardizedFileURL.path
            return absolute.hasPrefix(base + "/") ? String(absolute.dropFirst(base.count + 1)) : absolute
        }

        static func delimiterName(_ byte: UInt8) -> String {
            switch byte {
            case UInt8(ascii: ";"): "semicolon"
            case 0x09: "tab"
            case UInt8(ascii: "|"): "pipe"
            default: "comma"
            }
        }

        /// The description: a shared format when every file has the same, each file's own otherwise.
        mutating func finish(_ objects: [(String, JSONValue)]) -> SourceProposal {
            var objects = objects
            let zone = settled.timeZone ?? "UTC"
            if zoneless {
                explain(settled.timeZone == nil
                        ? "times without a zone are read as UTC; if the CRM exported the exporting user's local time, set \"time_zone\" (such as \"America/New_York\")"
                        : "times without a zone are read as \(zone)")
            }
            let shared = Set(formats.map(\.format)).count == 1
            var top: [(String, JSONValue)] = database.map { [("database", .string($0))] } ?? []
            if shared, let format = formats.first?.format, let object = format.object(zone: zone) {
                top.append(("format", .object(object)))
            } else if !shared {
                for (key, _, format) in formats {
                    guard let object = format.object(zone: zone), let i = objects.firstIndex(where: { $0.0 == key }),
                          case .object(var fields) = objects[i].1 else { continue }
                    fields.insert(("format", .object(object)), at: 1)
                    objects[i].1 = .object(fields)
                }
            }
            let json = JSONValue.object(top + objects).render(indent: 0) + "\n"
            return SourceProposal(json: json, explanations: explanations)
        }
    }

    /// How one file is written, as the description's `format` says it.
    struct FormatEntry: Hashable {
        var delimiter: UInt8
        var encoding: CSVFormat.TextEncoding
        var thousands: String?
        var dates: [String] = []

        func object(zone: String) -> [(String, JSONValue)]? {
            var fields: [(String, JSONValue)] = []
            if delimiter != UInt8(ascii: ",") { fields.append(("delimiter", .string(delimiter == 0x09 ? "tab" : String(UnicodeScalar(delimiter))))) }
            if encoding != .utf8 { fields.append(("encoding", .string(encoding.rawValue))) }
            if let thousands { fields.append(("thousands", .string(thousands))) }
            if !dates.isEmpty { fields += [("date_formats", .strings(dates)), ("time_zone", .string(zone))] }
            return fields.isEmpty ? nil : fields
        }
    }
}

/// A JSON value with its keys in the order written, for descriptions a person reads.
package indirect enum JSONValue {
    case string(String)
    case strings([String])
    case object([(String, JSONValue)])

    func render(indent: Int) -> String {
        let pad = String(repeating: "  ", count: indent + 1), end = String(repeating: "  ", count: indent)
        switch self {
        case .string(let text): return Self.quote(text)
        case .strings(let list): return "[" + list.map(Self.quote).joined(separator: ", ") + "]"
        case .object(let fields):
            guard !fields.isEmpty else { return "{}" }
            let simple = fields.allSatisfy { if case .object = $0.1 { false } else { true } }
            let inline = "{" + fields.map { "\(Self.quote($0.0)): \($0.1.render(indent: indent + 1))" }.joined(separator: ", ") + "}"
            if simple, inline.count + indent * 2 < 100 { return inline }
            return "{\n" + fields.map { "\(pad)\(Self.quote($0.0)): \($0.1.render(indent: indent + 1))" }.joined(separator: ",\n") + "\n\(end)}"
        }
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

/// Counts with thousands separators, as reports print them.
enum NumberFormatting {
    static func count(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (k, c) in digits.reversed().enumerated() {
            if k > 0, k % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }
}
