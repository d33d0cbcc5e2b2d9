import Foundation
import Testing

/// Scoring input that differs from the training data in tolerable ways is scored, and each difference is reported
/// once with counts: unseen category levels (table and history mode) and unseen event types.
@Suite struct ScoreDriftCommandTests {
    @Test func unseenTableLevelsAreScoredAsOtherAndCounted() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = try String(contentsOf: CLI.root.appendingPathComponent("datasets/table/leads.csv"), encoding: .utf8)
            .split(separator: "\n").prefix(41).map(String.init)
        // Rename the industry of the first 10 leads (the second column) to levels the model never saw.
        let renamed = lines.enumerated().map { k, line -> String in
            guard k >= 1, k <= 10 else { return line }
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[1] = k % 2 == 0 ? "Space Mining" : "Asteroid Logistics"
            return fields.joined(separator: ",")
        }
        let table = folder.appendingPathComponent("drift.csv")
        try Data((renamed.joined(separator: "\n") + "\n").utf8).write(to: table)
        let run = try CLI.run(["score", "--model", "models/leads.json", "--table", table.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.split(separator: "\n").count == 41)
        #expect(run.stderr.contains("Note: column \"industry\": 10 rows have levels the model never saw (\"Asteroid Logistics\", \"Space Mining\"), scored as"))
        let clean = try CLI.run(["score", "--model", "models/leads.json", "--table", "datasets/table/leads.csv"])
        #expect(!clean.stderr.contains("never saw"))
    }

    @Test func unseenEventTypesAndProfileLevelsInHistoryAreReported() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let generated = try CLI.run(["generate", "--contacts", "200", "--seed", "5", "--out", folder.path])
        #expect(generated.status == 0, "\(generated.stderr)")
        let events = folder.appendingPathComponent("events.csv"), contacts = folder.appendingPathComponent("contacts.csv")
        var eventLines = try String(contentsOf: events, encoding: .utf8).split(separator: "\n").map(String.init)
        var first = eventLines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        first[2] = "newfangled_event"
        eventLines[1] = first.joined(separator: ",")
        try Data((eventLines.joined(separator: "\n") + "\n").utf8).write(to: events)
        var contactLines = try String(contentsOf: contacts, encoding: .utf8).split(separator: "\n").map(String.init)
        var contact = contactLines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        contact[2] = "Chief Vibes Officer"  // job_title
        contactLines[1] = contact.joined(separator: ",")
        try Data((contactLines.joined(separator: "\n") + "\n").utf8).write(to: contacts)
        let run = try CLI.run(["score", "--model", "models/sample.json", "--contacts", contacts.path, "--events", events.path,
                               "--as-of", "2026-07-01"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("Note: event types the model never saw are ignored: \"newfangled_event\" (1 before the cutoff)"))
        #expect(run.stderr.contains("Note: column \"job_title\": 1 row has a level the model never saw (\"Chief Vibes Officer\"), scored as average (no effect on the score)"))
    }
}
