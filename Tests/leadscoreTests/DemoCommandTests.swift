import Foundation
import Testing

/// `leadscore demo`, the README's first command: the shipped model against the seed rules, and open leads ranked.
@Suite struct DemoCommandTests {
    @Test func demoComparesWithTheSeedRulesAndRanksTheOpenLeads() throws {
        let run = try CLI.run(["demo", "--top", "5"])
        #expect(run.status == 0, "\(run.stderr)")
        let out = run.stdout
        #expect(out.contains("Model: models/sample.json, written by this command"))
        #expect(out.contains("The model ranks leads better than the seed rules: ROC AUC 0.890 against 0.790"))
        #expect(out.contains("webinar_attended (per occurrence)"))
        #expect(out.contains("6,360 open leads (no outcome yet), scored as of 2026-06-24"))
        // Five leads listed, best first, each with the rules' view beside the model's.
        let rows = out.split(separator: "\n").filter { $0.range(of: #"^\s+\d+\s+C\d{6}\s"#, options: .regularExpression) != nil }
        #expect(rows.count == 5)
        let probabilities = rows.compactMap { Double($0.split(separator: " ")[2]) }
        #expect(probabilities == probabilities.sorted(by: >))
        #expect(out.contains("Why the top 3 score as they do"))
        #expect(out.contains("     + pricing_page_view: "))
    }

    @Test func demoWithAnOldModelAndNoDataNamesTheMissingFile() throws {
        // An unreadable model makes the demo train; without the sample's files that fails with the file named.
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("broken.json")
        try Data("{\"format_version\": 1}".utf8).write(to: bad)
        let run = try CLI.run(["demo", "--model", bad.path, "--data", "does-not-exist"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("does-not-exist/contacts.csv"))
    }
}
