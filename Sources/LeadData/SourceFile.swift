import Foundation

/// One CSV input as an export has it: where it is, how it is written, and which of its columns leadscore reads for
/// what. The default is leadscore's own file: comma, UTF-8, ISO 8601, and columns named as the roles are
/// (`contact_id`, `created_at`, ...).
///
/// The input may be a database table or query instead (``table``): it is then read through ``streamer`` as CSV, and
/// ``path`` is only its name in messages.
public struct SourceFile: Sendable, Equatable {
    public var path: String
    public var format: CSVFormat
    /// The header name of each role the reader needs, where it differs from the role's own name.
    public var columns: [String: String]
    /// The table or query this input is, when it is in a database rather than a file.
    public var table: DatabaseTable?
    /// Reads ``table``; set by the face that knows databases (see ``HistorySource/connecting(_:)``).
    public var streamer: (any TableStreamer)?

    public init(path: String, format: CSVFormat = .standard, columns: [String: String] = [:], table: DatabaseTable? = nil) {
        self.path = path
        self.format = format
        self.columns = columns
        self.table = table
    }

    public static func == (a: SourceFile, b: SourceFile) -> Bool {
        a.path == b.path && a.format == b.format && a.columns == b.columns && a.table == b.table
    }

    /// The header name of `role`.
    public func column(_ role: String) -> String { columns[role] ?? role }

    /// The reader of the file, or of the table: only the columns of `roles` when given (the events, whose other
    /// columns nobody reads), in the order of the columns of `orderRoles` (for the same rows in the same order on
    /// every run; a file is read in its own order).
    func reader(chunkSize: Int = CSVReader.defaultChunkSize, roles: [String]? = nil, orderRoles: [String] = []) throws(InputError) -> CSVReader {
        guard let table else { return try CSVReader(path: path, chunkSize: chunkSize, format: format) }
        guard let streamer else {
            throw InputError(file: path, line: nil, message: "a database table, but this command reads files only")
        }
        let stream = try streamer.stream(table, name: path, columns: roles.map { $0.map(column) }, orderBy: orderRoles.map(column))
        return try CSVReader(stream: stream, chunkSize: chunkSize, format: format)
    }

    /// The column of `role` in `reader`'s header, or an error naming it (by its name in the file, and the role when
    /// the names differ).
    func requireColumn(_ role: String, in reader: CSVReader) throws(InputError) -> Int {
        do { return try reader.requireColumn(column(role)) } catch {
            var named = error
            if table != nil {
                // A table has no header line: its columns are the table's.
                named.line = nil
                named.message = named.message.replacingOccurrences(of: "(the header has:", with: "(the table has:")
            }
            if column(role) != role { named.message += " (the \(role) column, as the source description names it)" }
            throw named
        }
    }
}

/// How an outcome column's values read: which mean won, which lost; every other value means the lead is still open
/// (an open deal stage), and its row is not an outcome. Matched ignoring case and surrounding spaces.
public struct OutcomeValues: Sendable, Equatable {
    public let won: [String]
    public let lost: [String]
    private let wonSet: Set<String>
    private let lostSet: Set<String>

    public init(won: [String], lost: [String]) {
        self.won = won
        self.lost = lost
        wonSet = Set(won.map { $0.trimmingSpaces.lowercased() })
        lostSet = Set(lost.map { $0.trimmingSpaces.lowercased() })
    }

    /// True for won, false for lost, nil for open.
    package func decision(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        let text = String(decoding: bytes, as: UTF8.self).trimmingSpaces.lowercased()
        if wonSet.contains(text) { return true }
        if lostSet.contains(text) { return false }
        return nil
    }
}

/// What to do when a contact has several decided outcomes (deals): the first decided counts (later deals are
/// renewals and upsells, not the conversion of the lead), or the rows are refused as errors.
public enum SeveralOutcomes: String, Sendable, Equatable, CaseIterable {
    case first, refuse
}

/// What to do with events logged before their contact was created (CRMs back-fill page views from cookies): keep them
/// as history, or refuse them as errors.
public enum EarlyEvents: String, Sendable, Equatable, CaseIterable {
    case keep, refuse
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}

/// Contact history as an export has it: the contacts, their events and, to learn or measure on, the outcomes, each a
/// ``SourceFile``, and how to read the outcomes and early events.
public struct HistorySource: Sendable, Equatable {
    public var contacts: SourceFile
    public var events: SourceFile
    public var outcomes: SourceFile?
    /// The values of the outcome column that mean won and lost; nil for leadscore's own (`won`/`lost`, `1`/`0`, ...).
    public var outcomeValues: OutcomeValues?
    public var severalOutcomes: SeveralOutcomes
    public var earlyEvents: EarlyEvents
    /// With `--pushdown`: computes the event aggregates where the events are, instead of reading every event.
    public var aggregator: (any EventAggregator)?

    public static func == (a: HistorySource, b: HistorySource) -> Bool {
        a.contacts == b.contacts && a.events == b.events && a.outcomes == b.outcomes && a.outcomeValues == b.outcomeValues
            && a.severalOutcomes == b.severalOutcomes && a.earlyEvents == b.earlyEvents && (a.aggregator == nil) == (b.aggregator == nil)
    }

    public init(contacts: SourceFile, events: SourceFile, outcomes: SourceFile? = nil, outcomeValues: OutcomeValues? = nil,
                severalOutcomes: SeveralOutcomes = .first, earlyEvents: EarlyEvents = .keep) {
        self.contacts = contacts
        self.events = events
        self.outcomes = outcomes
        self.outcomeValues = outcomeValues
        self.severalOutcomes = severalOutcomes
        self.earlyEvents = earlyEvents
    }

    /// leadscore's own files at these paths.
    public init(contacts: String, events: String, outcomes: String? = nil) {
        self.init(contacts: SourceFile(path: contacts), events: SourceFile(path: events), outcomes: outcomes.map { SourceFile(path: $0) })
    }

    /// The `postgresql://` URL its database inputs are on (a source description's `"database"`), or nil: no input is
    /// in a database, or they are on the one the `PG*` environment variables give.
    public var database: String? {
        [contacts, events, outcomes].lazy.compactMap { $0?.table?.connection }.first
    }

    /// This source with `streamer` reading the inputs that are database tables.
    public func connecting(_ streamer: any TableStreamer) -> HistorySource {
        var source = self
        source.contacts.streamer = streamer
        source.events.streamer = streamer
        source.outcomes?.streamer = streamer
        return source
    }

    /// Reads the outcomes as this source says.
    package func readOutcomes(contacts list: Contacts, policy: BadRowPolicy, skipped: inout SkippedRows) throws(InputError) -> Outcomes? {
        guard let outcomes else { return nil }
        return try Outcomes.read(file: outcomes, contacts: list, values: outcomeValues, several: severalOutcomes, policy: policy,
                                 skipped: &skipped)
    }

    /// The notes reading gave: profile columns of dates left out, outcome rows left out as open or as later decisions,
    /// events kept from before creation.
    /// (`events` nil when a database aggregated them, `--pushdown`: their reading is the database's).
    package static func readingNotes(contacts: Contacts, outcomes: Outcomes?, events: EventReader?) -> [String] {
        var notes = contacts.notes
        if let outcomes {
            let file = HistoryRows.fileName(outcomes.path)
            if outcomes.openRows > 0 {
                notes.append("\(file): \(outcomes.openRows) row\(outcomes.openRows == 1 ? " is" : "s are") neither won nor lost (an open stage): those leads are still open")
            }
            if outcomes.laterRows > 0 {
                notes.append("\(file): \(outcomes.contactsWithSeveral) contact\(outcomes.contactsWithSeveral == 1 ? " has" : "s have") more than one decided row; each counts its first decision, and the \(outcomes.laterRows) later one\(outcomes.laterRows == 1 ? "" : "s") (renewals, upsells) are left out")
            }
        }
        if let events, events.eventsBeforeCreation > 0 {
            notes.append("\(HistoryRows.fileName(events.path)): \(events.eventsBeforeCreation) event\(events.eventsBeforeCreation == 1 ? "" : "s") before the contact was created (back-filled history) kept as history")
        }
        return notes
    }
}
