import Foundation
import LeadData
import Scoring

/// The shipped sample history (`datasets/sample/`), read with leadscore's CSV reader, turned into `POST /v1/score`
/// bodies exactly as a webhook would send the same contacts: profile values as the CSV spells them.
struct SampleHistory: Sendable {
    struct Contact: Sendable {
        var id: String
        var createdAt: String
        var profile: [(String, String)]
        var events: [(timestamp: String, event: String)]
    }

    let contacts: [Contact]
    let index: [String: Int]

    static let contactsPath = TestServer.path("datasets/sample/contacts.csv")
    static let eventsPath = TestServer.path("datasets/sample/events.csv")

    /// The moment the sample's other tests score at (the end of the sample's data).
    static let asOf = "2026-06-24"

    static let shared: SampleHistory = try! SampleHistory()

    private init() throws {
        let contactRows = try Self.rows(Self.contactsPath)
        let header = contactRows[0]
        var contacts: [Contact] = []
        var index: [String: Int] = [:]
        for row in contactRows.dropFirst() where row.count == header.count {
            index[row[0]] = contacts.count
            contacts.append(Contact(id: row[0], createdAt: row[1], profile: Array(zip(header, row).dropFirst(2)), events: []))
        }
        let eventRows = try Self.rows(Self.eventsPath)
        let eventHeader = eventRows[0]
        let (c, t, e) = (eventHeader.firstIndex(of: "contact_id")!, eventHeader.firstIndex(of: "timestamp")!, eventHeader.firstIndex(of: "event")!)
        for row in eventRows.dropFirst() where row.count == eventHeader.count {
            if let k = index[row[c]] { contacts[k].events.append((row[t], row[e])) }
        }
        self.contacts = contacts
        self.index = index
    }

    func contact(_ id: String) -> Contact { contacts[index[id]!] }

    /// The lead as a JSON object; profile values as strings (as in the CSV), or numbers where `numeric` says so.
    func leadJSON(_ id: String, asOf: String? = SampleHistory.asOf, numeric: Set<String> = []) -> [String: Any] {
        let contact = contact(id)
        var profile: [String: Any] = [:]
        for (name, value) in contact.profile {
            if numeric.contains(name), let x = Double(value) { profile[name] = x } else if value.isEmpty { profile[name] = NSNull() } else { profile[name] = value }
        }
        var lead: [String: Any] = [
            "contact_id": contact.id, "created_at": contact.createdAt, "profile": profile,
            "events": contact.events.map { ["timestamp": $0.timestamp, "event": $0.event] },
        ]
        if let asOf { lead["as_of"] = asOf }
        return lead
    }

    static func body(_ object: Any) -> [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// Contact ids spread over the file: busy and quiet leads, some with missing profile values, some created after
    /// `asOf` left out.
    func spread(_ count: Int, createdBefore: String = SampleHistory.asOf) -> [String] {
        let eligible = contacts.filter { $0.createdAt < createdBefore }
        let step = max(1, eligible.count / count)
        return stride(from: 0, to: eligible.count, by: step).prefix(count).map { eligible[$0].id }
    }

    /// Writes the sample's rows of `ids` (and the header) into `folder` as contacts.csv and events.csv, verbatim: a
    /// small history that the scoring workflow reads much faster than the whole sample, with the same result per
    /// contact (a contact's features come from its own events; the vocabulary is the model's).
    static func writeSubset(_ ids: [String], to folder: URL) throws -> (contacts: String, events: String) {
        let wanted = Set(ids)
        func subset(_ source: String, _ name: String) throws -> String {
            let lines = try String(contentsOfFile: source, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
            let kept = [lines[0]] + lines.dropFirst().filter { line in
                wanted.contains(String(line.prefix { $0 != "," }))
            }
            let path = folder.appendingPathComponent(name).path
            try (kept.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        return (try subset(contactsPath, "contacts.csv"), try subset(eventsPath, "events.csv"))
    }

    /// Every record of a CSV file, header first, read by leadscore's own reader (tested against a reference parser in
    /// LeadDataTests).
    static func rows(_ path: String) throws -> [[String]] {
        let reader = try CSVReader(path: path)
        var rows = [reader.header]
        while try reader.next() {
            rows.append(try (0..<reader.record.count).map { try reader.record.string(at: $0) })
        }
        return rows
    }
}
