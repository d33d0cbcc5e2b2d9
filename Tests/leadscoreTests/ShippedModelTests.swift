import Foundation
import Testing

/// The model files in models/ are exactly what their documented commands produce.
@Suite struct ShippedModelTests {
    @Test func leadsModelIsReproducedByTheDocumentedCommand() throws {
        let folder = try CLI.temporaryFolder()
        let out = folder.appendingPathComponent("leads.json").path
        // The command in datasets/table/README.md and notebooks-txt/01-table-mode.txt.
        let run = try CLI.run(["train", "--table", "datasets/table/leads.csv", "--label", "converted", "--positive", "won",
                               "--id", "lead_id", "--l2", "auto", "--out", out], reproducing: true)
        #expect(run.status == 0, "\(run.stderr)")
        let shipped = try Data(contentsOf: CLI.root.appendingPathComponent("models/leads.json"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == shipped,
                "models/leads.json differs from a fresh training run: retrain it with the command above")
    }
}

extension ShippedModelTests {
    @Test func sampleModelIsReproducedByTheDocumentedCommand() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("sample.json").path
        // The command `leadscore demo` prints, and notebooks-txt/03-rules-and-compare.txt runs.
        let run = try CLI.run(["train", "--contacts", "datasets/sample/contacts.csv", "--events", "datasets/sample/events.csv",
                               "--outcomes", "datasets/sample/outcomes.csv", "--spec", "datasets/sample/spec.json", "--l2", "auto",
                               "--rules", "datasets/rules/seed.json", "--out", out], reproducing: true)
        #expect(run.status == 0, "\(run.stderr)")
        let shipped = try Data(contentsOf: CLI.root.appendingPathComponent("models/sample.json"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == shipped,
                "models/sample.json differs from a fresh training run: retrain it with the command above")
    }
}
