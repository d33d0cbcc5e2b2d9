import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `leadscore serve` as a user runs it: the built binary in its own process on a free port, spoken to with
/// URLSession; it answers what `leadscore score --format json` writes, reloads on SIGHUP, and stops on SIGTERM.
@Suite struct ServeCommandTests {
    /// A lead of the sample as a webhook would post it: profile values as the CSV has them.
    static func lead(_ id: String, asOf: String) throws -> Data {
        let contacts = try String(contentsOf: CLI.root.appendingPathComponent("datasets/sample/contacts.csv"), encoding: .utf8)
        let lines = contacts.split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let row = try #require(lines.first { $0.hasPrefix(id + ",") }).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(row.count == header.count, "pick a contact without quoted commas")
        let events = try String(contentsOf: CLI.root.appendingPathComponent("datasets/sample/events.csv"), encoding: .utf8)
        let own = events.split(separator: "\n").filter { $0.hasPrefix(id + ",") }.map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return ["timestamp": String(fields[1]), "event": String(fields[2])]
        }
        var profile: [String: Any] = [:]
        for (name, value) in zip(header, row).dropFirst(2) { profile[name] = value.isEmpty ? NSNull() : value }
        let lead: [String: Any] = ["contact_id": id, "created_at": row[1], "profile": profile, "events": own, "as_of": asOf]
        return try JSONSerialization.data(withJSONObject: lead)
    }

    @Test func theServerAnswersWhatScoreWritesThenStopsOnSIGTERM() async throws {
        let asOf = "2026-06-24"
        let ids = ["C000001", "C000002", "C000019", "C004000", "C012345"]
        // The sample's rows of these contacts, verbatim: `score` reads them much faster than the whole sample, with
        // the same result per contact.
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in ["contacts.csv", "events.csv"] {
            let lines = try String(contentsOf: CLI.root.appendingPathComponent("datasets/sample/\(file)"), encoding: .utf8).split(separator: "\n")
            let kept = [lines[0]] + lines.dropFirst().filter { line in ids.contains(String(line.prefix { $0 != "," })) }
            try (kept.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        let scored = try CLI.run(["score", "--model", "models/sample.json", "--contacts", folder.appendingPathComponent("contacts.csv").path,
                                  "--events", folder.appendingPathComponent("events.csv").path, "--rules", "datasets/rules/seed.json",
                                  "--as-of", asOf, "--format", "json", "--explain", "2"])
        #expect(scored.status == 0, "\(scored.stderr)")
        let lines = Dictionary(scored.stdout.split(separator: "\n").map { (String($0.split(separator: "\"")[3]), String($0)) },
                               uniquingKeysWith: { a, _ in a })
        let server = try ServeProcess(["--model", "models/sample.json", "--rules", "datasets/rules/seed.json", "--explain", "2"])
        #expect(lines.count == ids.count)
        for id in ids {
            let response = try await server.send("POST", "/v1/score", body: try Self.lead(id, asOf: asOf))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == lines[id]! + "\n", "\(id)")
        }
        let health = try await server.send("GET", "/healthz")
        #expect(health.status == 200)
        #expect(server.stop() == 0)
    }

    @Test func sigHUPReloadsTheModelFile() async throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("model.json")
        try FileManager.default.copyItem(at: CLI.root.appendingPathComponent("models/sample.json"), to: model)
        let server = try ServeProcess(["--model", model.path, "--poll-interval", "0"])
        let body = try Self.lead("C000002", asOf: "2026-06-24")
        let before = try await server.send("POST", "/v1/score", body: body)
        #expect(before.status == 200)

        // Another model (the intercept moved), put in place atomically, then SIGHUP.
        var json = try CLI.json(Data(contentsOf: model))
        var fit = try #require(json["fit"] as? [String: Any])
        fit["intercept"] = ((fit["intercept"] as? Double) ?? 0) + 1
        json["fit"] = fit
        let incoming = folder.appendingPathComponent("incoming.json")
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(to: incoming)
        #expect(rename(incoming.path, model.path) == 0)
        kill(server.process.processIdentifier, SIGHUP)

        var after = before
        for _ in 0..<1000 where after.model == before.model {
            try await Task.sleep(for: .milliseconds(10))
            after = try await server.send("POST", "/v1/score", body: body)
        }
        #expect(after.status == 200)
        #expect(after.model != before.model)
        #expect(after.body != before.body)
        #expect(server.process.isRunning)
        #expect(server.stop() == 0)
    }

    @Test func sigHUPReadsTheOpenLeadsAgainAndKeepsTheLastReadingWhenTheNewOneIsBroken() async throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let contacts = folder.appendingPathComponent("contacts.csv"), events = folder.appendingPathComponent("events.csv")
        // The sample's first 400 contacts and their events; a new export adds one contact, then one comes broken.
        let sample = try String(contentsOf: CLI.root.appendingPathComponent("datasets/sample/contacts.csv"), encoding: .utf8)
            .split(separator: "\n").prefix(401).map(String.init)
        let ids = Set(sample.dropFirst().map { String($0.prefix { $0 != "," }) })
        let sampleEvents = try String(contentsOf: CLI.root.appendingPathComponent("datasets/sample/events.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let kept = [sampleEvents[0]] + sampleEvents.dropFirst().filter { ids.contains(String($0.prefix { $0 != "," })) }
        /// Writes the files whole, each put in place at once, as an export job would.
        func export(_ contactLines: [String], _ eventLines: [String]) throws {
            for (url, lines) in [(contacts, contactLines), (events, eventLines)] {
                let incoming = folder.appendingPathComponent("incoming.csv")
                try (lines.joined(separator: "\n") + "\n").write(to: incoming, atomically: false, encoding: .utf8)
                #expect(rename(incoming.path, url.path) == 0)
            }
        }
        try export(sample, kept)
        let server = try ServeProcess(["--model", "models/sample.json", "--contacts", contacts.path, "--events", events.path,
                                       "--as-of", "2026-06-24", "--poll-interval", "0"])
        func page(_ path: String) async throws -> (status: Int, text: String) {
            let answer = try await server.send("GET", path)
            return (answer.status, String(decoding: answer.body, as: UTF8.self))
        }
        let before = try await page("/leads")
        #expect(before.status == 200)
        #expect(try await page("/leads/NEW000001").status == 404)

        // A new export with one more contact, who asked for a demo: SIGHUP, and the lead is listed.
        try export(sample + ["NEW000001,2026-06-01T09:00:00Z,VP Marketing,250,Software,US,Webinar"],
                   kept + ["NEW000001,2026-06-20T10:00:00Z,demo_request,", "NEW000001,2026-06-21T10:00:00Z,pricing_page_view,"])
        kill(server.process.processIdentifier, SIGHUP)
        var lead = try await page("/leads/NEW000001")
        for _ in 0..<600 where lead.status == 404 {
            try await Task.sleep(for: .milliseconds(50))
            lead = try await page("/leads/NEW000001")
        }
        #expect(lead.status == 200, "\(server.log)")
        #expect(lead.text.contains("demo_request"))
        /// The open leads' lines of `/metrics`.
        func metrics() async throws -> [String] {
            try await page("/metrics").text.split(separator: "\n").filter { $0.hasPrefix("leadscore_open_leads") }.map(String.init)
        }
        let line = try await metrics().first { $0.hasPrefix("leadscore_open_leads ") } ?? ""
        let open = try #require(Int(line.split(separator: " ").last ?? ""))
        #expect(open > 0 && open <= 401)
        let lines = try await metrics()
        #expect(lines.filter { !$0.hasPrefix("leadscore_open_leads_read_seconds ") } == [
            "leadscore_open_leads \(open)", "leadscore_open_leads_as_of_seconds 1782259200", "leadscore_open_leads_contacts 401",
            #"leadscore_open_leads_readings_total{result="failed"} 0"#, #"leadscore_open_leads_readings_total{result="read"} 2"#,
        ])
        // When the reading ended: within the last minute.
        let readAt = Double(lines.first { $0.hasPrefix("leadscore_open_leads_read_seconds ") }?.split(separator: " ").last ?? "") ?? 0
        #expect(abs(Date().timeIntervalSince1970 - readAt) < 60, "\(lines)")
        #expect(server.log.contains("401 contacts read again for the open leads"), "\(server.log)")
        #expect(try await page("/leads?q=NEW0").text.contains("/leads/NEW000001"))

        // A broken export: the last reading stays, the list says why, the log has the file and line.
        try export(sample + ["NEW000001,not a time,VP Marketing,250,Software,US,Webinar"], kept)
        kill(server.process.processIdentifier, SIGHUP)
        var list = try await page("/leads")
        for _ in 0..<600 where !list.text.contains("could not be read again") {
            try await Task.sleep(for: .milliseconds(50))
            list = try await page("/leads")
        }
        #expect(list.status == 200)
        #expect(list.text.contains("The leads could not be read again ("), "\(list.text)")
        #expect(list.text.contains("contacts.csv:402:"), "\(list.text)")
        #expect(try await page("/leads/NEW000001").status == 200)
        #expect(try await metrics().contains(#"leadscore_open_leads_readings_total{result="failed"} 1"#))
        #expect(try await metrics().contains("leadscore_open_leads_contacts 401"), "the last reading's")
        #expect(server.log.contains("the open leads could not be read again; the pages show the last reading: \(contacts.path):402:"), "\(server.log)")
        #expect(server.process.isRunning)
        #expect(server.stop() == 0)
    }

    @Test func aTableModelIsRefusedAtStart() throws {
        let result = try CLI.run(["serve", "--model", "models/leads.json", "--port", "0"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("table mode"))
    }
}
