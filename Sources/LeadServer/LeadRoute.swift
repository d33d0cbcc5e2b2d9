import Foundation
import Hummingbird
import HummingbirdCore
import LeadData
import LeadDatabase
import ServiceLifecycle

/// `GET /v1/leads/{contact_id}`: the contact's profile row and its events read from the database that the source
/// description of `serve --source` names, scored as of now (or `?as_of=`), with `?explain=K` reasons each way.
///
/// The database gives the lead in the shape of a `POST /v1/score` body (see ``PostgresLeads``), which is read by the
/// same code (``ScoreRequest/item(_:path:defaultAsOf:)``) and scored by the same route (``ScoreRoute/score(_:ask:)``),
/// so the answer is the one `POST /v1/score` gives for the same profile and events, byte for byte, from the model
/// serving when the request arrives.
///
/// The id is the path segment after `/v1/leads/`, percent-decoded (an id with a `/` is written `%2F`). Answers:
/// 200 the scored lead; 404 for an id no contact has, or when the server has no database source; 422 when the
/// contact's row cannot be scored (its data, not the request, is at fault: no creation time, a word in a numeric
/// field, two rows with the id); 503 when the database fails or does not answer within ``ServerOptions/databaseTimeout``.
struct LeadRoute: Sendable {
    static let prefix = "/v1/leads/"
    /// The route as the metrics and the OpenAPI document name it.
    static let template = "/v1/leads/{contact_id}"

    let scoring: ScoreRoute
    /// The database and how to read its values; nil when the server was started without `--source`.
    let database: DatabaseLeads?

    /// Whether `path` (as it appears in the request line, not decoded) is this route: one non-empty segment after
    /// ``prefix``.
    static func matches(_ path: Substring.UTF8View) -> Bool {
        guard path.starts(with: prefix.utf8) else { return false }
        let id = path.dropFirst(prefix.utf8.count)
        return !id.isEmpty && !id.contains(UInt8(ascii: "/"))
    }

    /// The scored lead of `path`, or the refusal.
    func answer(path: String, uri: URI) async throws(RequestError) -> ScoreAnswer {
        guard let database else {
            throw RequestError(.notFound, "GET \(Self.template) reads the lead from a database: start leadscore serve with --source and a source description whose contacts and events are database tables")
        }
        let encoded = path.dropFirst(Self.prefix.count)
        guard let id = encoded.removingPercentEncoding else {
            throw RequestError.badField("contact_id", "\(Echo.quoted(String(encoded))) is not a percent-encoded UTF-8 id (write a / in an id as %2F)")
        }
        let ask = try scoring.ask(uri: uri)
        let asOf = try uri.queryParameters["as_of"].map { text throws(RequestError) in
            try ScoreRequest.timestamp(.string(String(text)), field: "as_of")
        } ?? ScoreRoute.now

        let body: [UInt8]?
        do { body = try await database.leads.lead(id: id, asOf: asOf) } catch {
            switch error {
            case .unavailable(let failure):
                throw RequestError(.serviceUnavailable, "the database is unavailable (\(failure.message)); try again")
            case .ambiguous(let rows):
                throw RequestError(.unprocessableContent, field: "contact_id",
                                   "\(rows) rows of \(database.leads.contactsName) have the id \(Echo.quoted(id)): a contact must have one")
            }
        }
        guard let body else {
            throw RequestError(.notFound, field: "contact_id", "no contact has the id \(Echo.quoted(id)) in \(database.leads.contactsName)")
        }
        let lead: JSONValue
        do { lead = try JSONParser.parse(body) } catch {
            throw RequestError(.internalServerError, "the database's answer for \(Echo.quoted(id)) is not JSON: \(error.message)")
        }
        do throws(RequestError) {
            var item = try ScoreRequest.item(database.normalised(lead), path: "", defaultAsOf: asOf)
            item.keepsEarlyEvents = database.earlyEvents == .keep
            return try scoring.score(ScoreRequest(items: [item], isBatch: false), ask: ask)
        } catch where error.status == .badRequest {
            // The stored row, not the request, is at fault.
            throw RequestError(.unprocessableContent, field: error.field,
                               "contact \(Echo.quoted(id)) in the database cannot be scored: \(error.field.map { $0 + " " } ?? "")\(error.message)")
        }
    }
}

/// The contacts and events of `serve --source`: the database, checked once at start, and how its values are read (the
/// source description's date formats and time zone, and whether events before a contact's creation are kept). A
/// service of the server: it keeps the pool of connections until the server stops.
struct DatabaseLeads: Service {
    let leads: PostgresLeads
    let contactDates: DateFormats
    let eventDates: DateFormats
    let earlyEvents: EarlyEvents

    /// Reads the source description at `path` and checks its database (reachable, the tables and mapped columns
    /// there, the statement runs); every failure is one line, naming the database without its password. Nil when
    /// neither the contacts nor the events are database tables: a description of files serves the web page's open
    /// leads only.
    static func connect(sourcePath path: String, timeout: Duration) async throws(ServeError) -> DatabaseLeads? {
        let description: SourceDescription
        do { description = try SourceDescription.load(path: path) } catch { throw .unusableSource(error.description) }
        guard let history = description.history else {
            throw .unusableSource("\(path): describes one table (\"table\"); serving leads by id needs \"contacts\" and \"events\" as database tables")
        }
        guard history.contacts.table != nil || history.events.table != nil else { return nil }
        for (key, input) in [("contacts", history.contacts), ("events", history.events)] where input.table == nil {
            throw .unusableSource("\(path): \"\(key)\" is a file (\(input.path)); serving leads by id reads them from a database: give \"\(key)\": {\"table\": ...} and \"database\"")
        }
        let leads: PostgresLeads
        do {
            leads = try await PostgresLeads.connect(contacts: history.contacts, events: history.events, excluded: description.profile.exclude,
                                                    timeout: timeout)
        } catch {
            throw .unusableSource(error.description)
        }
        return DatabaseLeads(leads: leads, contactDates: history.contacts.format.dates, eventDates: history.events.format.dates,
                             earlyEvents: history.earlyEvents)
    }

    func run() async throws {
        await leads.run()
    }

    /// What the check at start found worth a line in the log (a table without an index on its id).
    var notes: [String] { leads.notes }

    /// The lead with its times read as the source description says (a time without an offset is in its zone; its
    /// date patterns), written as ISO 8601 in UTC, which is what a score request takes. A time that does not read is
    /// left as it is, for the request's reader to refuse with the field's name. Nothing to do for ISO 8601 in UTC.
    func normalised(_ lead: JSONValue) -> JSONValue {
        guard !(contactDates.isStandard && eventDates.isStandard), case .object(var fields) = lead else { return lead }
        if !contactDates.isStandard, case .string(let text)? = fields["created_at"] {
            fields["created_at"] = .string(Self.instant(text, DateParser(contactDates)))
        }
        if !eventDates.isStandard, case .array(let events)? = fields["events"] {
            let parser = DateParser(eventDates)
            fields["events"] = .array(events.map { event in
                guard case .object(var members) = event, case .string(let text)? = members["timestamp"] else { return event }
                members["timestamp"] = .string(Self.instant(text, parser))
                return .object(members)
            })
        }
        return .object(fields)
    }

    private static func instant(_ text: String, _ parser: DateParser) -> String {
        var text = text
        return text.withUTF8 { parser.parse($0) }?.iso8601 ?? text
    }
}
