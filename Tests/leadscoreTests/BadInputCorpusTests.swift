import Foundation
import Testing

/// The bad-input corpus: every folder under `BadInputs/` is one case, a few input files and a `case.json` with the
/// command to run, the exit status it must give and the message it must print. `$CASE` in the arguments and the
/// expected text is the case folder (relative to the repository root, where `CLI.run` runs), `$TMP` a fresh
/// temporary folder for outputs. A failing case must leave no output behind (no half-written model or scores).
@Suite struct BadInputCorpusTests {
    /// One case's `case.json`.
    struct Case: Decodable {
        var args: [String]
        var status: Int32
        var stderr_contains: String?
        var stdout_contains: String?
    }

    static let folder = CLI.root.appendingPathComponent("Tests/leadscoreTests/BadInputs")

    /// The case folders, in name order.
    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0)/case.json").path) }.sorted()
    }()

    /// The exit statuses the README documents; anything else (a signal, a trap) is a crash.
    static let documentedStatuses: Set<Int32> = [0, 1, 2, 3, 64]

    @Test(arguments: cases)
    func corpusCase(_ name: String) throws {
        #expect(Self.cases.count >= 40, "the corpus has only \(Self.cases.count) cases")
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("\(name)/case.json"))
        let expected = try JSONDecoder().decode(Case.self, from: data)
        let tmp = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let casePath = "Tests/leadscoreTests/BadInputs/\(name)"
        func expand(_ text: String) -> String {
            text.replacingOccurrences(of: "$CASE", with: casePath).replacingOccurrences(of: "$TMP", with: tmp.path)
        }
        let args = expected.args.map(expand)
        let run = try CLI.run(args)

        #expect(Self.documentedStatuses.contains(run.status), "\(name): undocumented exit status \(run.status) (a crash?)\n\(run.stderr)")
        #expect(run.status == expected.status, "\(name): exit status \(run.status), expected \(expected.status)\n\(run.stderr)")
        if let text = expected.stderr_contains {
            #expect(run.stderr.contains(expand(text)), "\(name): stderr was\n\(run.stderr)\nexpected it to contain\n\(expand(text))")
        }
        if let text = expected.stdout_contains {
            #expect(run.stdout.contains(expand(text)), "\(name): stdout was\n\(run.stdout)\nexpected it to contain\n\(expand(text))")
        }

        // Every `--out` target: written on success, absent on failure.
        let outputs = zip(args, args.dropFirst()).filter { $0.0 == "--out" }.map(\.1)
        if expected.status == 0 {
            #expect(!run.stderr.contains("error"), "\(name): \(run.stderr)")
            for path in outputs {
                #expect(FileManager.default.fileExists(atPath: path), "\(name): \(path) was not written")
            }
        } else {
            // One line, `leadscore: error: ...`, for input, data and output errors (usage errors add ArgumentParser's usage lines).
            if expected.status != 64 {
                #expect(run.stderr.hasPrefix("leadscore: error: "), "\(name): \(run.stderr)")
                #expect(run.stderr.split(separator: "\n").count == 1, "\(name): more than one line on stderr\n\(run.stderr)")
            }
            for path in outputs {
                #expect(!FileManager.default.fileExists(atPath: path), "\(name): \(path) was written although the run failed")
            }
            // Nor any temporary file left next to where the output would have gone.
            let left = (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []
            #expect(left.isEmpty, "\(name): the failed run left \(left) in the output folder")
        }
    }
}
