import Foundation
@testable import LeadData

/// A temporary folder holding a history export (`contacts.csv`, `events.csv`, `outcomes.csv`), and the
/// readers run over it with errors shown relative to the folder, as a user sees them.
struct HistoryFiles {
    let folder: String

    init(_ files: [String: String]) {
        folder = TemporaryFiles.makeFolder()
        for (name, text) in files { write(name, text) }
    }

    func write(_ name: String, _ text: String) {
        write(name, Array(text.utf8))
    }

    func write(_ name: String, _ bytes: [UInt8]) {
        let created = FileManager.default.createFile(atPath: path(name), contents: Data(bytes))
        precondition(created, "cannot create \(path(name))")
    }

    func path(_ name: String) -> String { folder + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }

    /// `error` as `name:line: message`, the folder left out.
    func shown(_ error: InputError) -> String {
        var error = error
        error.file = (error.file as NSString).lastPathComponent
        return error.description
    }

    /// `skipped` with the folder left out of keys and examples.
    func shown(_ skipped: SkippedRows) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: skipped.counts.map { ($0.key.replacingOccurrences(of: folder + "/", with: ""), $0.value) })
    }

    func contacts(
        options: TableReadOptions = .init(), policy: BadRowPolicy = .init(), skipped: inout SkippedRows, chunkSize: Int = 1 << 20
    ) throws(InputError) -> Contacts {
        try Contacts.read(file: SourceFile(path: path("contacts.csv")), options: options, policy: policy, skipped: &skipped, chunkSize: chunkSize)
    }

    func contacts() throws(InputError) -> Contacts {
        var skipped = SkippedRows()
        return try contacts(skipped: &skipped)
    }

    /// The first error reading contacts.csv, shown relative to the folder; nil if it reads.
    func contactsError(options: TableReadOptions = .init()) -> String? {
        var skipped = SkippedRows()
        do throws(InputError) {
            _ = try contacts(options: options, skipped: &skipped)
            return nil
        } catch {
            return shown(error)
        }
    }

    /// The events of events.csv as (contact id, time, event name), and the error that stopped the read.
    struct EventResult: Equatable {
        var events: [String] = []
        var error: String?
        var skipped: [String: Int] = [:]
        var names: [String] = []
        /// Events kept although before their contact's creation.
        var early = 0
    }

    /// Reads events.csv; events before their contact's creation are refused unless `early` says keep (most tests pin
    /// down the strict reader's errors).
    func events(
        contacts: Contacts, policy: BadRowPolicy = .init(), chunkSize: Int = 1 << 20, batches: Bool = false, early: EarlyEvents = .refuse
    ) -> EventResult {
        var result = EventResult()
        var skipped = SkippedRows()
        var codes: [(Int32, Timestamp, Int32)] = []
        var reader: EventReader?
        do throws(InputError) {
            let events = try EventReader(file: SourceFile(path: path("events.csv")), early: early, chunkSize: chunkSize)
            reader = events
            if batches {
                try events.forEachBatch(contacts: contacts, policy: policy, skipped: &skipped) { batch in
                    for i in 0..<batch.count { codes.append((batch.contacts[i], batch.times[i], batch.events[i])) }
                }
            } else {
                try events.forEach(contacts: contacts, policy: policy, skipped: &skipped) { codes.append(($0, $1, $2)) }
            }
        } catch {
            result.error = shown(error)
        }
        let names = reader?.eventNames ?? []
        result.names = names
        result.events = codes.map { "\(contacts.ids[Int($0.0)]) \($0.1.iso8601) \(names[Int($0.2)])" }
        result.skipped = shown(skipped)
        result.early = reader?.eventsBeforeCreation ?? 0
        return result
    }

    /// The first error reading events.csv, shown relative to the folder; nil if it reads.
    func eventsError(contacts: Contacts) -> String? {
        events(contacts: contacts).error
    }
}

extension BadRowPolicy {
    /// Skips every bad row, however many: for tests of what skipping counts, not of its limit.
    static let skipAll = BadRowPolicy(skip: true, limit: .share(1))
}
