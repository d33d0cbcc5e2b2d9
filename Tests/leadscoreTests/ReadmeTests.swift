import _TestSupport
import Foundation
import Testing

/// Every command whose output README.md shows is run again, and the output must be what the README shows: a README
/// that says one thing while the shipped model does another (the `/healthz` hash, a probability, a reason) fails here.
///
/// **The convention.** Output is shown only in a *transcript*: a fenced block marked `console` whose first line
/// starts with `$ `. Each `$ ` line is a command (continued over the next lines while a quote is open or a line ends
/// with `\`, as a shell reads it), and the lines under it, up to the next `$ `, are what it prints:
///
/// - `$ leadscore ...` runs the built binary in the repository root, on the shipped files (`models/`, `datasets/`),
///   with OpenBLAS on its Haswell kernels (`CLI.run(_:reproducing:)`); its output is stdout, then stderr, then
///   `[exit status N]` when N is not 0, as in notebooks-txt/. `$TMP` stands for a fresh temporary folder.
/// - `$ curl ... localhost:8080/...` is sent to a real `leadscore serve` started for the test with the README's own
///   serve example (`serverArguments`), on a free port; the output is the answer's body, then `-w`'s text. curl's
///   options `-s`, `-H`, `-d`, `-X` and `-w` (with `%{http_code}`) are understood; any other option fails the test
///   rather than be ignored.
/// - `| python3 -m json.tool` after a command re-indents its JSON as json.tool does (4 spaces, `": "`), keeping the
///   strings and numbers as written: the server's answers are ASCII with at most 6 significant digits, which json.tool
///   writes back unchanged.
///
/// Timings are masked before comparing (`Notebook.normalised`: `solver time … s`, `"…seconds"` keys); nothing else
/// is. Blocks marked `sh` hold commands only, never output (a line that is a comment alone would be shown output, and
/// fails `everyBlockThatShowsOutputIsATranscriptOrExempt`); `json` blocks are files to write; a block that shows output
/// but cannot be re-run is listed in `exemptions` with the reason. The Performance section's figures are measurements
/// on the machine it names, in tables rather than transcripts, and are not re-run.
///
/// After an intended change: `LEADSCORE_UPDATE_README=1 OPENBLAS_NUM_THREADS=1 swift test --filter ReadmeTests` writes
/// each command's fresh output into README.md in place (every other line stays as it was); read the diff before
/// committing it.
@Suite struct ReadmeTests {
    static let path = CLI.root.appendingPathComponent("README.md")

    /// What `curl` commands talk to: `leadscore serve` with the README's example arguments.
    static let serverArguments = ["--model", "models/sample.json", "--rules", "datasets/rules/seed.json"]

    /// Blocks that show output but are not transcripts, by their first line, each with why it is not re-run.
    static let exemptions: [(firstLine: String, reason: String)] = [
        ("leadscore: error: column \"Lifecycle Stage\" gives the outcome away",
         "The leak guard's message on the HubSpot export with \"Lifecycle Stage\" kept in: no shipped file keeps that column (the "
            + "shipped source description leaves it out, as it should), so no command on the repository's files prints it. "
            + "CRMExportCommandTests.aLeakingProfileColumnStopsTheRun keeps it in a copy and checks the message shown."),
    ]

    static func readme() throws -> Readme {
        Readme(text: try String(contentsOf: path, encoding: .utf8))
    }

    @Test func everyTranscriptMatchesAFreshRun() throws {
        let readme = try Self.readme()
        let steps = readme.steps
        #expect(steps.count >= 3, "found \(steps.count) README commands with output")
        let runner = try TranscriptRunner()
        var outputs: [String] = []
        for step in steps {
            let output = try runner.run(step.command)
            outputs.append(output)
            let firstLine = step.command.prefix { $0 != "\n" }
            #expect(Notebook.normalised(output) == Notebook.normalised(step.output),
                    "README.md:\(step.line + 1): `\(firstLine)` printed something else:\n\(output)")
        }
        if ProcessInfo.processInfo.environment["LEADSCORE_UPDATE_README"] == "1" {
            try readme.rewritten(with: outputs).write(to: Self.path, atomically: true, encoding: .utf8)
        }
    }

    /// The convention holds: output appears only in transcripts or in a listed exemption, and every exemption still
    /// names a block, so neither a new example nor a stale exemption can slip past.
    @Test func everyBlockThatShowsOutputIsATranscriptOrExempt() throws {
        let readme = try Self.readme()
        var used = Set<String>()
        for block in readme.blocks {
            let at = "README.md:\(block.start)"
            switch block.info {
            case "console":
                #expect(block.lines.first?.hasPrefix(Readme.prompt) == true, "\(at): a console block starts with a `$ ` command")
            case "sh":
                for line in block.lines {
                    #expect(!line.hasPrefix(Readme.prompt), "\(at): `$ ` commands with output go in a console block: \(line)")
                    #expect(!line.hasPrefix("#"), "\(at): a comment alone in an sh block reads as shown output; show output in a console transcript: \(line)")
                }
            case "json", "":
                break  // files to write, and the layout diagrams
            default:
                let first = block.lines.first ?? ""
                let exemption = Self.exemptions.first { first.hasPrefix($0.firstLine) }
                #expect(exemption != nil, "\(at): a \(block.info) block shows output that no test re-runs: make it a transcript, or list it in ReadmeTests.exemptions with the reason")
                if let exemption { used.insert(exemption.firstLine) }
            }
        }
        for exemption in Self.exemptions {
            #expect(used.contains(exemption.firstLine), "ReadmeTests.exemptions names a block README.md no longer has: \(exemption.firstLine)")
        }
    }

    /// The server the transcripts talk to is started the way the README's Serving section says.
    @Test func theServerIsTheOneTheReadmeStarts() throws {
        let readme = try Self.readme()
        let serve = "leadscore serve " + Self.serverArguments.joined(separator: " ")
        #expect(readme.blocks.contains { $0.info == "sh" && $0.lines.contains { $0.hasPrefix(serve + " ") || $0 == serve } },
                "README.md no longer shows `\(serve)`")
        #expect(readme.steps.contains { $0.command.contains("/healthz") }, "the /healthz example is a transcript")
    }

    // MARK: The harness itself, on text made up here.

    static let sample = """
        Prose.

        ```console
        $ leadscore trian
        old output

        $ curl -s 'localhost:8080/v1/score?explain=1' -d '{"a": 1,
          "b": "x | y"}' \\
          | python3 -m json.tool
        {
            "a": 1
        }
        ```

        ```sh
        leadscore train --out m.json
        ```
        """

    @Test func transcriptsSplitIntoCommandsAndOutputs() throws {
        let readme = Readme(text: Self.sample)
        #expect(readme.blocks.map(\.info) == ["console", "sh"])
        let steps = readme.steps
        #expect(steps.map(\.command) == ["leadscore trian", "curl -s 'localhost:8080/v1/score?explain=1' -d '{\"a\": 1,\n  \"b\": \"x | y\"}' \\\n  | python3 -m json.tool"])
        #expect(steps.map(\.output) == ["old output", "{\n    \"a\": 1\n}"])
        let words = ShellWords.split(steps[1].command)
        #expect(words.complete)
        #expect(words.words == ["curl", "-s", "localhost:8080/v1/score?explain=1", "-d", "{\"a\": 1,\n  \"b\": \"x | y\"}", "|", "python3", "-m", "json.tool"])
        #expect(!ShellWords.split("curl -d '{\"a\":").complete)
        #expect(!ShellWords.split("leadscore train \\").complete)
    }

    @Test func rewritingReplacesOnlyTheOutputs() throws {
        let readme = Readme(text: Self.sample)
        let rewritten = readme.rewritten(with: ["new\noutput", "{}"])
        #expect(rewritten == Self.sample.replacingOccurrences(of: "old output", with: "new\noutput")
            .replacingOccurrences(of: "{\n    \"a\": 1\n}", with: "{}"))
        #expect(Readme(text: rewritten).steps.map(\.output) == ["new\noutput", "{}"])
    }

    /// The runner runs a leadscore command as the notebooks do (stdout, stderr, exit status), so a wrong output shown
    /// for it is caught.
    @Test func aLeadscoreCommandIsRunAndItsStatusShown() throws {
        let output = try TranscriptRunner().run("leadscore trian")
        #expect(output == """
            Error: Unknown subcommand 'trian'. Did you mean 'train'?
            Usage: leadscore <subcommand>
              See 'leadscore --help' for the subcommands.
            [exit status 64]
            """)
        #expect(Readme(text: Self.sample).steps[0].output != output)
        #expect(throws: TranscriptRunner.Unsupported.self) { try TranscriptRunner().run("ls -l") }
        #expect(throws: TranscriptRunner.Unsupported.self) { try TranscriptRunner().run("leadscore trian | head") }
        #expect(throws: TranscriptRunner.Unsupported.self) { try TranscriptRunner().run("curl --compressed localhost:8080/healthz") }
    }

    @Test func jsonToolIndentsAsPythonDoes() throws {
        let wire = #"{"a":1.5e-05,"b":[],"c":{},"d":[{"e":"x \"y\", z"},true,null],"f":"café"}"#
        #expect(try JSONTool.indent(wire) == """
            {
                "a": 1.5e-05,
                "b": [],
                "c": {},
                "d": [
                    {
                        "e": "x \\"y\\", z"
                    },
                    true,
                    null
                ],
                "f": "caf\\u00e9"
            }

            """)
        #expect(throws: (any Error).self) { try JSONTool.indent("{\"a\": ") }
    }
}

/// Runs one transcript command as the convention in `ReadmeTests` says, and returns what it prints (trailing line
/// breaks removed); starts the server on the first `curl`.
final class TranscriptRunner {
    struct Unsupported: Error, CustomStringConvertible {
        var description: String
    }

    let temporary: String
    private var server: ServeProcess?

    init() throws {
        temporary = try CLI.temporaryFolder().path
    }

    deinit {
        _ = server?.stop()
        try? FileManager.default.removeItem(atPath: temporary)
    }

    func run(_ command: String) throws -> String {
        let split = ShellWords.split(command)
        guard split.complete else { throw Unsupported(description: "an unfinished command (an open quote or a trailing \\): \(command)") }
        let stages = split.words.split(separator: "|", omittingEmptySubsequences: false).map(Array.init)
        var (stdout, rest) = try first(stages[0])
        for stage in stages.dropFirst() {
            guard stage == ["python3", "-m", "json.tool"] else {
                throw Unsupported(description: "a README pipe can only go to `python3 -m json.tool`, not `\(stage.joined(separator: " "))`")
            }
            stdout = try JSONTool.indent(stdout)
        }
        var output = stdout + rest
        while output.hasSuffix("\n") { output.removeLast() }
        return output
    }

    /// The first command of a pipeline: what it writes to stdout, and what follows it in the transcript (stderr,
    /// exit status).
    private func first(_ words: [String]) throws -> (stdout: String, rest: String) {
        switch words.first {
        case "leadscore":
            let args = words.dropFirst().map { $0.replacingOccurrences(of: "$TMP", with: temporary) }
            let run = try CLI.run(args, reproducing: true)
            var rest = run.stderr
            if run.status != 0 { rest += "[exit status \(run.status)]\n" }
            return (run.stdout.replacingOccurrences(of: temporary, with: "$TMP"), rest.replacingOccurrences(of: temporary, with: "$TMP"))
        case "curl":
            return (try curl(Array(words.dropFirst())), "")
        default:
            throw Unsupported(description: "only leadscore and curl commands can be re-run: \(words.joined(separator: " "))")
        }
    }

    /// curl against the test's server, with the options the README uses.
    private func curl(_ arguments: [String]) throws -> String {
        var method: String?, headers: [(String, String)] = [], body: String?, writeOut = "", url: String?
        var rest = arguments[...]
        func value(_ option: String) throws -> String {
            guard let v = rest.popFirst() else { throw Unsupported(description: "curl \(option) without its value") }
            return v
        }
        while let word = rest.popFirst() {
            switch word {
            case "-s", "--silent": break
            case "-H", "--header":
                let header = try value(word)
                guard let colon = header.firstIndex(of: ":") else { throw Unsupported(description: "curl header without a colon: \(header)") }
                headers.append((String(header[..<colon]), header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            case "-d", "--data": body = try value(word)
            case "-X", "--request": method = try value(word)
            case "-w", "--write-out": writeOut = try value(word)
            default:
                guard !word.hasPrefix("-"), url == nil else { throw Unsupported(description: "curl option the README test does not know: \(word)") }
                url = word
            }
        }
        guard var target = url else { throw Unsupported(description: "curl without a URL") }
        if target.hasPrefix("http://") { target.removeFirst("http://".count) }
        let path: String
        if let prefix = ["localhost:8080", "127.0.0.1:8080"].first(where: { target.hasPrefix($0) }) {
            path = String(target.dropFirst(prefix.count))
        } else {
            throw Unsupported(description: "curl to \(target): README commands talk to the server on localhost:8080")
        }
        if body != nil, !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))  // what curl -d sends
        }
        if server == nil { server = try ServeProcess(ReadmeTests.serverArguments, reproducing: true) }
        let answer = try HTTPConnection(port: server!.port).request(method ?? (body == nil ? "GET" : "POST"), path.isEmpty ? "/" : path,
                                                                  body: body.map { Array($0.utf8) }, headers: headers, contentType: nil)
        var written = writeOut.replacingOccurrences(of: "%{http_code}", with: String(answer.status))
            .replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\t", with: "\t")
        if written.contains("%{") { throw Unsupported(description: "curl -w knows only %{http_code} here: \(writeOut)") }
        written = answer.text + written
        return written
    }
}

/// What `python3 -m json.tool` prints for a JSON text: 4-space indents, `": "` after keys, `[]` and `{}` when empty,
/// non-ASCII characters escaped (`\u00e9`); strings and numbers otherwise as written (json.tool rewrites a number
/// only when it has more digits than a double keeps, or in a form Python would not write, which the server never does).
enum JSONTool {
    static func indent(_ text: String) throws -> String {
        _ = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        let chars = Array(text.unicodeScalars)
        var out = "", depth = 0, i = 0
        func newline() { out += "\n" + String(repeating: "    ", count: depth) }
        func nextSignificant(after index: Int) -> Unicode.Scalar? {
            var j = index + 1
            while j < chars.count, [" ", "\t", "\n", "\r"].contains(chars[j]) { j += 1 }
            return j < chars.count ? chars[j] : nil
        }
        while i < chars.count {
            let c = chars[i]
            switch c {
            case " ", "\t", "\n", "\r": break
            case "\"":
                out.unicodeScalars.append(c)
                i += 1
                while i < chars.count, chars[i] != "\"" {
                    if chars[i] == "\\", i + 1 < chars.count {
                        out.unicodeScalars.append(chars[i]); out.unicodeScalars.append(chars[i + 1]); i += 2
                        continue
                    }
                    if chars[i].value > 0x7F {
                        for unit in String(chars[i]).utf16 { out += "\\u" + String(format: "%04x", unit) }
                    } else {
                        out.unicodeScalars.append(chars[i])
                    }
                    i += 1
                }
                out += "\""
            case "{", "[":
                let close: Unicode.Scalar = c == "{" ? "}" : "]"
                if nextSignificant(after: i) == close {
                    out.unicodeScalars.append(c); out.unicodeScalars.append(close)
                    while chars[i] != close { i += 1 }
                } else {
                    out.unicodeScalars.append(c)
                    depth += 1
                    newline()
                }
            case "}", "]":
                depth -= 1
                newline()
                out.unicodeScalars.append(c)
            case ",":
                out += ","
                newline()
            case ":":
                out += ": "
            default:
                out.unicodeScalars.append(c)
            }
            i += 1
        }
        return out + "\n"
    }
}
