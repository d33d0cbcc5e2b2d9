import Foundation
import Testing

/// From a CRM export as it comes (datasets/crm/: HubSpot and Salesforce names, formats and stage values) to a model,
/// with no reshaping script: the shipped source descriptions, `source --init`, and what `train` prints.
@Suite struct CRMExportCommandTests {
    /// The line of the summary that says what was learned from.
    static func dataLine(_ output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix("  data ") }.map(String.init)
    }

    static func holdoutLine(_ output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix("  holdout ") }.map(String.init)
    }

    /// The two exports hold the same leads in different names and formats (US dates and a thousands separator;
    /// semicolons, Windows-1252 and German dates in Berlin time): both describe the same 5,742 decided leads, and
    /// the models rank the holdout the same (their features come in another order, the event types' names sorting
    /// differently, so the sums differ in the last digits).
    @Test func bothShippedExportsTrainFromTheirSourceDescriptions() throws {
        var holdouts: [String] = []
        for crm in ["hubspot", "salesforce"] {
            let folder = try CLI.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let run = try CLI.run(["train", "--source", "datasets/crm/\(crm)/source.json", "--out", folder.appendingPathComponent("m.json").path])
            #expect(run.status == 0, "\(crm): \(run.stderr)")
            #expect(Self.dataLine(run.stdout)?.contains("5,742 decided leads, 323 converted (5.6%)") == true, "\(crm): \(run.stdout.prefix(400))")
            let line = Self.holdoutLine(run.stdout) ?? "none"
            holdouts.append(line.range(of: #"ROC AUC [0-9.]+"#, options: .regularExpression).map { String(line[$0].dropFirst(8)) } ?? line)
            #expect(run.stdout.contains("rows are neither won nor lost (an open stage): those leads are still open"))
        }
        let aucs = holdouts.compactMap(Double.init)
        #expect(aucs.count == 2 && abs(aucs[0] - aucs[1]) <= 0.0015, "\(holdouts)")
        #expect(aucs.allSatisfy { abs($0 - 0.859) <= 0.0015 }, "\(holdouts)")
    }

    /// A user's copy of the HubSpot export: `source --init` writes a description (paths relative to it) that
    /// trains to the same data as the shipped one, and explains its choices.
    @Test func sourceInitOnAHubSpotExportTrains() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["contacts.csv", "activities.csv", "deals.csv"] {
            try FileManager.default.copyItem(at: CLI.root.appendingPathComponent("datasets/crm/hubspot/\(name)"), to: folder.appendingPathComponent(name))
        }
        let source = folder.appendingPathComponent("source.json").path
        let initRun = try CLI.run(["source", "--init", "--contacts", folder.appendingPathComponent("contacts.csv").path,
                                   "--events", folder.appendingPathComponent("activities.csv").path,
                                   "--outcomes", folder.appendingPathComponent("deals.csv").path, "--out", source])
        #expect(initRun.status == 0, "\(initRun.stderr)")
        for line in ["contacts.csv: contact_id is \"Record ID\" (the HubSpot export name)",
                     "\"Create Date\" is written MM/DD/YYYY HH:mm",
                     "numbers such as \"1,295\" in \"Number of Employees\" have a thousands separator",
                     "leaving out \"Lifecycle Stage\": named like a field filled in after the outcome",
                     "deals.csv: won is \"Closed Won\" (418); lost is \"Closed Lost\" (5,419)",
                     "still open, left out of training: \"Qualified To Buy\" (29)"] {
            #expect(initRun.stdout.contains(line), "missing: \(line)")
        }
        let description = try CLI.json(Data(contentsOf: URL(fileURLWithPath: source)))
        let contacts = try #require(description["contacts"] as? [String: Any])
        #expect(contacts["file"] as? String == "contacts.csv")
        #expect(contacts["exclude"] as? [String] == ["Lifecycle Stage", "Contact owner"])

        let train = try CLI.run(["train", "--source", source, "--out", folder.appendingPathComponent("m.json").path])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(Self.dataLine(train.stdout)?.contains("5,742 decided leads, 323 converted") == true)
        let shipped = try CLI.run(["train", "--source", "datasets/crm/hubspot/source.json", "--out", folder.appendingPathComponent("shipped.json").path])
        #expect(Self.holdoutLine(train.stdout) == Self.holdoutLine(shipped.stdout))
    }

    /// The Salesforce export: semicolons and Windows-1252 are sniffed, day-first dotted dates told from a day above 12,
    /// IsWon/IsClosed-style exports' StageName mapped.
    @Test func sourceInitOnASalesforceExportTrains() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("source.json").path
        let initRun = try CLI.run(["source", "--init", "--contacts", "datasets/crm/salesforce/leads.csv", "--events", "datasets/crm/salesforce/tasks.csv",
                                   "--outcomes", "datasets/crm/salesforce/opportunities.csv", "--time-zone", "Europe/Berlin", "--out", source])
        #expect(initRun.status == 0, "\(initRun.stderr)")
        #expect(initRun.stdout.contains("leads.csv: Windows-1252 (not valid UTF-8), semicolon-separated"), "\(initRun.stdout)")
        #expect(initRun.stdout.contains("is written DD.MM.YYYY HH:mm"))
        let train = try CLI.run(["train", "--source", source, "--out", folder.appendingPathComponent("m.json").path])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(Self.dataLine(train.stdout)?.contains("5,742 decided leads, 323 converted") == true)
    }

    /// Dates whose day and month the data cannot tell apart are not guessed: the run says so and names the flag,
    /// and with the pattern named the description is written.
    @Test func ambiguousDatesAskForTheFormat() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Created dates whose day and month are all 12 or less; the other files are ISO 8601.
        var contacts = ["Record ID,Create Date,Industry"]
        for i in 0..<40 { contacts.append("\(i),0\(1 + i % 9)/0\(1 + i % 7)/2025 10:00,Software") }
        let files = ["contacts.csv": contacts, "activities.csv": ["Contact ID,Activity Date,Activity Type", "1,2025-12-01T10:00:00Z,Page Viewed"],
                     "deals.csv": ["Contact ID,Deal Stage,Close Date", "1,Closed Won,2025-12-02", "2,Closed Lost,2025-12-03"]]
        for (name, rows) in files {
            try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent(name))
        }
        let inputs = ["--contacts", folder.appendingPathComponent("contacts.csv").path, "--events", folder.appendingPathComponent("activities.csv").path,
                      "--outcomes", folder.appendingPathComponent("deals.csv").path]
        let out = folder.appendingPathComponent("source.json").path
        let refused = try CLI.run(["source", "--init"] + inputs + ["--out", out])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("contacts.csv"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--date-format"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let named = try CLI.run(["source", "--init"] + inputs + ["--date-format", "DD/MM/YYYY HH:mm", "--out", out])
        #expect(named.status == 0, "\(named.stderr)")
        #expect(FileManager.default.fileExists(atPath: out))
    }

    @Test func theSummaryFitsAScreenAndTheReportGoesToItsFile() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("report.txt").path
        let run = try CLI.run(["train", "--source", "datasets/crm/hubspot/source.json", "--rules", "datasets/crm/hubspot/rules.json",
                               "--report", report, "--out", folder.appendingPathComponent("m.json").path])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.first == "Summary")
        #expect(lines.count <= 25, "\(lines.count) lines")
        #expect(lines.allSatisfy { $0.count <= 100 })
        #expect(run.stdout.contains("  rules    their AUC"))
        #expect(!run.stdout.contains("Weights (log-odds"))
        let text = try String(contentsOfFile: report, encoding: .utf8)
        #expect(text.contains("Weights (log-odds"))
        #expect(text.contains("Note: deals.csv: 99 rows are neither won nor lost"))
    }

    /// `--quiet`: results and errors only, no notes; without a terminal no progress line is drawn either way.
    @Test func quietLeavesTheNotesOutAndNoProgressLineWithoutATerminal() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let loud = try CLI.run(["train", "--source", "datasets/crm/hubspot/source.json", "--out", folder.appendingPathComponent("a.json").path])
        let quiet = try CLI.run(["train", "--source", "datasets/crm/hubspot/source.json", "--quiet", "--out", folder.appendingPathComponent("b.json").path])
        #expect(loud.status == 0 && quiet.status == 0)
        #expect(loud.stdout.contains("Note: "))
        #expect(!quiet.stdout.contains("Note: ") && !quiet.stderr.contains("Note: "))
        #expect(!loud.stderr.contains("\r") && !quiet.stderr.contains("\r"))
        #expect(try Data(contentsOf: folder.appendingPathComponent("a.json")) == Data(contentsOf: folder.appendingPathComponent("b.json")))
    }

    @Test func versionAndDidYouMean() throws {
        let version = try CLI.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("leadscore 0."))
        let subcommand = try CLI.run(["trian", "--table", "x.csv"])
        #expect(subcommand.status == 64)
        #expect(subcommand.stderr.hasPrefix("Error: Unknown subcommand 'trian'. Did you mean 'train'?"))
        let column = try CLI.run(["train", "--table", "datasets/table/leads.csv", "--label", "converted", "--positive", "won",
                                  "--id", "leadid", "--out", "/tmp/never-written.json"])
        #expect(column.status == 1)
        #expect(column.stderr.contains("did you mean \"lead_id\""), "\(column.stderr)")
        let option = try CLI.run(["train", "--contcts", "c.csv", "--out", "/tmp/never-written.json"])
        #expect(option.status == 64)
        #expect(option.stderr.contains("Did you mean '--contacts'?"), "\(option.stderr)")
    }

    /// With outcomes in the source only the leads still open at --as-of are scored (--all for every contact), and an
    /// --as-of long after the data end warns that recency features are stale.
    @Test func scoringWithOutcomesScoresTheOpenLeadsAndWarnsWhenTheDataAreOld() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("m.json").path
        #expect(try CLI.run(["train", "--source", "datasets/crm/hubspot/source.json", "--quiet", "--out", model]).status == 0)
        let out = folder.appendingPathComponent("s.csv").path
        let open = try CLI.run(["score", "--model", model, "--source", "datasets/crm/hubspot/source.json", "--as-of", "2026-06-25", "--out", out])
        #expect(open.status == 0, "\(open.stderr)")
        #expect(open.stdout.contains("Left out 5,742 contacts already decided (won or lost) before --as-of; --all scores them too."))
        #expect(open.stdout.contains("Scored 258 leads"))
        #expect(!open.stdout.contains("Warning"))
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count
        #expect(rows == 259)

        let all = try CLI.run(["score", "--model", model, "--source", "datasets/crm/hubspot/source.json", "--as-of", "2026-06-25", "--all", "--out", out])
        #expect(all.stdout.contains("Scored 6,000 leads"))
        #expect(!all.stdout.contains("already decided"))

        let late = try CLI.run(["score", "--model", model, "--source", "datasets/crm/hubspot/source.json", "--as-of", "2026-09-01", "--out", out])
        #expect(late.status == 0)
        #expect(late.stdout.contains("Warning: the data end at 2026-06-24T22:02:00Z, 68 days before the moment scored (2026-09-01T00:00:00Z)"), "\(late.stdout)")

        let noOutcomes = try CLI.run(["score", "--model", "models/sample.json", "--contacts", "datasets/sample/contacts.csv",
                                      "--events", "datasets/sample/events.csv", "--all", "--out", out])
        #expect(noOutcomes.status == 64)
        #expect(noOutcomes.stderr.contains("--all scores decided contacts too, and applies only with outcomes"))
    }

    /// Rules in another CRM's event names match nothing: an error with the closest names, not a model against rules
    /// that give every lead 0 points. When the refitted points do as well as the model, the verdict says so.
    @Test func rulesInOtherEventNamesAreAnErrorAndCloseRefittedPointsAreNamed() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let wrong = try CLI.run(["train", "--source", "datasets/crm/hubspot/source.json", "--rules", "datasets/rules/seed.json",
                                 "--out", folder.appendingPathComponent("m.json").path])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("datasets/rules/seed.json: no event rule matches an event type in the data: the rules name \"demo_request\" (did you mean \"Demo Requested\"?)"), "\(wrong.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("m.json").path))

        let report = folder.appendingPathComponent("r.txt").path
        let right = try CLI.run(["train", "--source", "datasets/crm/hubspot/source.json", "--rules", "datasets/crm/hubspot/rules.json",
                                 "--report", report, "--out", folder.appendingPathComponent("m.json").path])
        #expect(right.status == 0)
        #expect(right.stdout.contains("  points   hubspot points (refitted): AUC 0.849, not clearly worse than the model"), "\(right.stdout)")
        let text = try String(contentsOfFile: report, encoding: .utf8)
        #expect(text.contains("The hubspot points (refitted) rules are not clearly worse than the model (ROC AUC 0.849 against the model's 0.859, DeLong p = 0.460): points like these may be all you need."))
    }

    /// "Lifecycle Stage" becomes "Customer" once a deal is won: kept in, it stops the run (exit 2) with the evidence
    /// and the fix, and nothing is written; --allow-leak keeps it knowingly.
    @Test func aLeakingProfileColumnStopsTheRun() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["contacts.csv", "activities.csv", "deals.csv"] {
            try FileManager.default.copyItem(at: CLI.root.appendingPathComponent("datasets/crm/hubspot/\(name)"), to: folder.appendingPathComponent(name))
        }
        let shipped = try String(contentsOf: CLI.root.appendingPathComponent("datasets/crm/hubspot/source.json"), encoding: .utf8)
        let leaky = shipped.replacingOccurrences(of: #""exclude": ["Lifecycle Stage", "Contact owner"]"#, with: #""exclude": ["Contact owner"]"#)
        #expect(leaky != shipped)
        let source = folder.appendingPathComponent("source.json")
        try Data(leaky.utf8).write(to: source)
        let model = folder.appendingPathComponent("m.json").path
        let stopped = try CLI.run(["train", "--source", source.path, "--out", model])
        #expect(stopped.status == 2)
        #expect(stopped.stderr.contains("column \"Lifecycle Stage\" gives the outcome away, as a field filled in after the decision does: 323 leads have Lifecycle Stage = \"Customer\" and all of them won, 323 of the 323 wins in all"), "\(stopped.stderr)")
        #expect(stopped.stderr.contains("--allow-leak \"Lifecycle Stage\""))
        #expect(!FileManager.default.fileExists(atPath: model))
        let kept = try CLI.run(["train", "--source", source.path, "--allow-leak", "Lifecycle Stage", "--quiet", "--out", model])
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(kept.stdout.contains("ROC AUC 1.000"))
    }
}
