import Foundation
import Testing

/// The model files in models/ are exactly what their documented commands produce.
@Suite struct ShippedModelTests {
    @Test func leadsModelIsReproducedByTheDocumentedCommand() throws {
        let folder = try CLI.temporaryFolder()
        let out = folder.appendingPathComponent("leads.json").path
        // The command in datasets/table/README.md and notebooks-txt/01-table-mode.txt.
        let run = try CLI.run(["train", "--table", "datasets/table/leads.csv", "--label", "converted", "--positive", "won",
                               "--id", "lead_id", "--l2", "auto", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let shipped = try Data(contentsOf: CLI.root.appendingPathComponent("models/leads.json"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == shipped,
                "models/leads.json differs from a fresh training run: retrain it with the command above")
    }
}
