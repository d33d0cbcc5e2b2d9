import Foundation
import LeadData
@testable import SyntheticLeads

/// A generated data set read back through LeadData's RFC 4180 reader, for the tests to check.
struct GeneratedFiles {
    struct Contact {
        var created: Int64
        var fields: [String]
    }
    struct Event {
        var contact: String
        var time: Int64
        var name: String
        var campaign: String
    }
    struct Outcome {
        var won: Bool
        var decided: Int64
    }

    let options: GeneratorOptions
    let summary: GenerationSummary
    var headers: [String: [String]] = [:]
    var contactOrder: [String] = []
    var contacts: [String: Contact] = [:]
    var events: [Event] = []
    var outcomes: [String: Outcome] = [:]
    var outcomeRows = 0
    var truth: [String: Double] = [:]
    var truthRows = 0

    /// Generates with `options` into a temporary folder, reads everything back and removes the folder.
    init(_ options: GeneratorOptions) throws {
        self.options = options
        let folder = TemporaryFolder.make()
        defer { TemporaryFolder.remove(folder) }
        summary = try LeadHistoryGenerator(options: options).write(to: folder)

        try Self.read(folder + "/contacts.csv") { reader in
            headers["contacts"] = reader.header
            while try reader.next() {
                let id = try reader.record.string(at: 0)
                let created = try Self.timestamp(try reader.record.string(at: 1))
                contacts[id] = Contact(created: created, fields: try (0..<reader.header.count).map { try reader.record.string(at: $0) })
                contactOrder.append(id)
            }
        }
        try Self.read(folder + "/events.csv") { reader in
            headers["events"] = reader.header
            while try reader.next() {
                events.append(Event(contact: try reader.record.string(at: 0), time: try Self.timestamp(try reader.record.string(at: 1)),
                                    name: try reader.record.string(at: 2), campaign: try reader.record.string(at: 3)))
            }
        }
        try Self.read(folder + "/outcomes.csv") { reader in
            headers["outcomes"] = reader.header
            while try reader.next() {
                let outcome = try reader.record.string(at: 1)
                guard outcome == "won" || outcome == "lost" else { throw Problem("outcome \(outcome)") }
                outcomes[try reader.record.string(at: 0)] = Outcome(won: outcome == "won",
                                                                  decided: try Self.timestamp(try reader.record.string(at: 2)))
                outcomeRows += 1
            }
        }
        try Self.read(folder + "/truth.csv") { reader in
            headers["truth"] = reader.header
            while try reader.next() {
                guard case .value(let p) = reader.record.number(at: 1) else {
                    throw Problem("probability at line \(reader.record.line)")
                }
                truth[try reader.record.string(at: 0)] = p
                truthRows += 1
            }
        }
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    private static func read(_ path: String, _ body: (CSVReader) throws -> Void) throws {
        try body(try CSVReader(path: path))
    }

    /// Unix seconds of a strict `YYYY-MM-DDTHH:MM:SSZ` (the only shape the generator writes).
    static func timestamp(_ text: String) throws -> Int64 {
        let b = Array(text.utf8)
        func digits(_ range: Range<Int>) throws -> Int {
            var value = 0
            for i in range {
                guard b[i] >= 48 && b[i] <= 57 else { throw Problem("bad timestamp \(text)") }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard b.count == 20, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b[19] == 90 else {
            throw Problem("bad timestamp \(text)")
        }
        let year = try digits(0..<4), month = try digits(5..<7), day = try digits(8..<10)
        let hour = try digits(11..<13), minute = try digits(14..<16), second = try digits(17..<19)
        guard (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { throw Problem("bad timestamp \(text)") }
        return Timestamp.daysFromCivil(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }
}

/// Unique temporary folders, removed by the caller.
enum TemporaryFolder {
    static func make() -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("synthetic-leads-tests-\(UUID().uuidString)", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func remove(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Every file's bytes, by name.
    static func contents(_ folder: String) -> [String: Data] {
        var result: [String: Data] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            result[name] = FileManager.default.contents(atPath: folder + "/" + name)
        }
        return result
    }
}
