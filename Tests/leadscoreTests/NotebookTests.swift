import Foundation
import Testing

/// Every `$ leadscore ...` command in notebooks-txt/ is run again, and its output must match the transcript.
///
/// To regenerate transcripts after an intended change: `LEADSCORE_UPDATE_NOTEBOOKS=1 swift test --filter NotebookTests`,
/// then read the diff before committing it.
@Suite struct NotebookTests {
    static let folder = CLI.root.appendingPathComponent("notebooks-txt")

    static var notebooks: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted()
    }

    @Test func thereAreNotebooks() {
        #expect(!Self.notebooks.isEmpty)
    }

    @Test(arguments: notebooks)
    func transcriptMatchesAFreshRun(name: String) throws {
        let notebook = try Notebook(path: Self.folder.appendingPathComponent(name).path)
        let temporary = try CLI.temporaryFolder().path
        var outputs: [String] = []
        for step in notebook.steps {
            var args = Notebook.arguments(step.command)
            try #require(args.first == "leadscore", "\(name): only leadscore commands can be re-run: \(step.command)")
            args = args.dropFirst().map { $0.replacingOccurrences(of: "$TMP", with: temporary) }
            let run = try CLI.run(args, reproducing: true)
            var output = run.stdout
            if !run.stderr.isEmpty { output += run.stderr }
            if run.status != 0 { output += "[exit status \(run.status)]\n" }
            output = output.replacingOccurrences(of: temporary, with: "$TMP")
            while output.hasSuffix("\n") { output.removeLast() }
            outputs.append(output)
            #expect(Notebook.normalised(output) == Notebook.normalised(step.output), "\(name): `\(step.command)` printed something else")
        }
        if ProcessInfo.processInfo.environment["LEADSCORE_UPDATE_NOTEBOOKS"] == "1" {
            try notebook.rewritten(with: outputs).write(toFile: notebook.path, atomically: true, encoding: .utf8)
        }
    }
}
