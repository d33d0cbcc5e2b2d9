import HTTPTypes
import LeadData
import Scoring

/// A `POST /v1/score` body, read and checked: one lead (answered with one object) or a batch (`{"leads": [...]}`,
/// answered with `{"results": [...]}`), each lead with the moment to score it at.
struct ScoreRequest: Sendable {
    /// A lead and the moment it is scored at (`as_of`, default: when the request arrived).
    struct Item: Sendable {
        var lead: HistoryLead
        var asOf: Timestamp
        /// Where the lead sits in the body (`""` for a single lead, `leads[2].` in a batch), for errors.
        var path: String
        /// Whether events before `created_at` count as history rather than being refused: for a lead read from a
        /// database whose source description keeps them (`"before_created": "keep"`, the default), as `score` does.
        var keepsEarlyEvents = false
    }

    var items: [Item]
    var isBatch: Bool

    /// The keys a lead may have; any other is refused, so that a misspelt key (`event` for `events`) is not ignored.
    static let leadKeys: Set<String> = ["contact_id", "created_at", "profile", "events", "as_of"]
    /// The keys a batch may have.
    static let batchKeys: Set<String> = ["leads", "as_of"]

    /// The first key of `object`, in sorted order, that is not `known` (so that the error is the same whatever the
    /// order of the body), or nil; sorts only when there is one.
    private static func firstUnknownKey(_ object: [String: JSONValue], known: Set<String>) -> String? {
        guard object.keys.contains(where: { !known.contains($0) }) else { return nil }
        return object.keys.sorted().first { !known.contains($0) }
    }

    /// Reads a body; `now` is the default `as_of`. Every error names the field at fault.
    static func decode(_ body: UnsafeBufferPointer<UInt8>, now: Timestamp) throws(RequestError) -> ScoreRequest {
        guard !body.isEmpty else {
            throw RequestError(.badRequest, #"the body is empty: send one lead as a JSON object, or {"leads": [...]}"#)
        }
        let json: JSONValue
        do { json = try JSONParser.parse(body) } catch {
            throw RequestError(.badRequest, "the body is not valid JSON: \(error.message) (at byte \(error.offset))")
        }
        guard case .object(let top) = json else {
            throw RequestError(.badRequest, #"the body must be a JSON object: one lead, or {"leads": [...]}; found \#(json.kind)"#)
        }
        if let leads = top["leads"] {
            if let key = firstUnknownKey(top, known: batchKeys) {
                throw RequestError.badField(key, #"is not a key of a batch, which has "leads" (and optionally "as_of" for every lead)"#)
            }
            let batchAsOf = try top["as_of"].map { value throws(RequestError) in try timestamp(value, field: "as_of") } ?? now
            guard case .array(let list) = leads else { throw RequestError.badField("leads", "must be an array of leads, not \(leads.kind)") }
            guard !list.isEmpty else { throw RequestError.badField("leads", "is empty: give at least one lead") }
            var items: [Item] = []
            items.reserveCapacity(list.count)
            for (i, value) in list.enumerated() {
                items.append(try item(value, path: "leads[\(i)].", defaultAsOf: batchAsOf))
            }
            return ScoreRequest(items: items, isBatch: true)
        }
        return ScoreRequest(items: [try item(json, path: "", defaultAsOf: now)], isBatch: false)
    }

    /// One lead of a body (or the lead `GET /v1/leads/{contact_id}` read from the database, in the same shape).
    static func item(_ value: JSONValue, path: String, defaultAsOf: Timestamp) throws(RequestError) -> Item {
        guard case .object(let fields) = value else {
            throw RequestError.badField(path.isEmpty ? "" : String(path.dropLast()), "a lead must be a JSON object, not \(value.kind)")
        }
        if let key = firstUnknownKey(fields, known: leadKeys) {
            throw RequestError.badField(path + key, "is not a key of a lead, which has: contact_id, created_at, profile, events, as_of")
        }
        guard let idValue = fields["contact_id"] else {
            throw RequestError.badField(path + "contact_id", "is missing: give the contact's id")
        }
        guard case .string(let id) = idValue else {
            throw RequestError.badField(path + "contact_id", "must be a string, not \(idValue.kind)")
        }
        guard let created = fields["created_at"] else {
            throw RequestError.badField(path + "created_at", "is missing: give when the contact was created (ISO 8601)")
        }
        let createdAt = try timestamp(created, field: path + "created_at")
        let asOf = try fields["as_of"].map { value throws(RequestError) in try timestamp(value, field: path + "as_of") } ?? defaultAsOf

        var profile: [String: ProfileValue] = [:]
        switch fields["profile"] {
        case nil, .null?: break
        case .object(let values)?:
            profile.reserveCapacity(values.count)
            for (key, value) in values {
                switch value {
                case .null: profile[key] = .missing
                case .number(let x): profile[key] = .number(x)
                case .string(let text): profile[key] = .text(text)
                case .bool(let flag): profile[key] = .text(flag ? "true" : "false")
                case .array, .object:
                    throw RequestError.badField(path + "profile." + key, "must be a string, a number or null, not \(value.kind)")
                }
            }
        case let other?: throw RequestError.badField(path + "profile", "must be an object of field values, not \(other.kind)")
        }

        var events: [LeadEvent] = []
        switch fields["events"] {
        case nil, .null?: break
        case .array(let list)?:
            events.reserveCapacity(list.count)
            for (i, value) in list.enumerated() {
                /// The event's path, spelt out only for an error.
                func at(_ key: String = "") -> String { "\(path)events[\(i)]\(key)" }
                guard case .object(let event) = value else { throw RequestError.badField(at(), "an event must be an object, not \(value.kind)") }
                guard let time = event["timestamp"] else {
                    throw RequestError.badField(at(".timestamp"), "is missing: give when the event happened (ISO 8601)")
                }
                guard let nameValue = event["event"] else {
                    throw RequestError.badField(at(".event"), #"is missing: give the event's name, e.g. "pricing_page_view""#)
                }
                guard case .string(let name) = nameValue else {
                    throw RequestError.badField(at(".event"), "must be a string, not \(nameValue.kind)")
                }
                events.append(LeadEvent(time: try timestamp(time, field: at(".timestamp")), name: name))
            }
        case let other?: throw RequestError.badField(path + "events", "must be an array of events, not \(other.kind)")
        }
        return Item(lead: HistoryLead(contactID: id, createdAt: createdAt, profile: profile, events: events), asOf: asOf, path: path)
    }

    /// An ISO 8601 date or time, as the CSV readers take it.
    /// `field` is the value's path, spelt out only for an error.
    static func timestamp(_ value: JSONValue, field: @autoclosure () -> String) throws(RequestError) -> Timestamp {
        guard case .string(let text) = value else {
            throw RequestError.badField(field(), "must be an ISO 8601 date or time in a string, such as \"2026-03-01T14:05:00Z\", not \(value.kind)")
        }
        var bytes = text
        guard let time = bytes.withUTF8({ Timestamp.parse($0) }) else {
            throw RequestError.badField(field(), "\(Echo.quoted(text)) is not an ISO 8601 date or time, such as 2026-03-01 or 2026-03-01T14:05:00Z")
        }
        return time
    }
}
