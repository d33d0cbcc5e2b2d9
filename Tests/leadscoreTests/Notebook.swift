import Foundation

/// A plain-text walkthrough: prose, and indented blocks of `$ leadscore ...` commands each followed by its output.
///
/// A command line is 4 spaces, `$ `, then the command; the output is the following lines indented by 4 spaces
/// (blank lines included) up to the next command or the next unindented prose line. `$TMP` in a command stands for a
/// fresh temporary folder, and is written back as `$TMP` in the output.
struct Notebook {
    struct Step {
        var command: String
        var output: String
    }

    let path: String
    let lines: [String]

    init(path: String) throws {
        self.path = path
        lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
    }

    static let indent = "    "
    static let prompt = "    $ "

    /// The commands and their recorded outputs, in order.
    var steps: [Step] {
        var steps: [Step] = []
        var i = 0
        while i < lines.count {
            guard lines[i].hasPrefix(Self.prompt) else { i += 1; continue }
            let command = String(lines[i].dropFirst(Self.prompt.count))
            var output: [String] = []
            i += 1
            while i < lines.count, !lines[i].hasPrefix(Self.prompt), lines[i].hasPrefix(Self.indent) || lines[i].isEmpty {
                output.append(lines[i].isEmpty ? "" : String(lines[i].dropFirst(Self.indent.count)))
                i += 1
            }
            while output.last == "" { output.removeLast() }
            steps.append(Step(command: command, output: output.joined(separator: "\n")))
        }
        return steps
    }

    /// The notebook with each command's output replaced by `outputs` (in order), for regenerating transcripts.
    func rewritten(with outputs: [String]) -> String {
        var out: [String] = []
        var k = 0
        var i = 0
        while i < lines.count {
            if lines[i].hasPrefix(Self.prompt) {
                out.append(lines[i])
                i += 1
                var block: [String] = []
                while i < lines.count, !lines[i].hasPrefix(Self.prompt), lines[i].hasPrefix(Self.indent) || lines[i].isEmpty {
                    block.append(lines[i])
                    i += 1
                }
                // Keep the blank lines that separated the old output from what follows.
                let trailing = block.reversed().prefix { $0.isEmpty }.count
                out += outputs[k].components(separatedBy: "\n").map { $0.isEmpty ? "" : Self.indent + $0 }
                out += Array(repeating: "", count: trailing)
                k += 1
            } else {
                out.append(lines[i])
                i += 1
            }
        }
        return out.joined(separator: "\n")
    }

    /// Splits a command line into arguments: spaces separate, double quotes group.
    static func arguments(_ command: String) -> [String] {
        var args: [String] = [], current = "", quoted = false, started = false
        for c in command {
            if c == "\"" { quoted.toggle(); started = true }
            else if c == " " && !quoted { if started { args.append(current) }; current = ""; started = false }
            else { current.append(c); started = true }
        }
        if started { args.append(current) }
        return args
    }

    /// Output with what legitimately changes between runs (timings) masked on purpose; nothing else.
    static func normalised(_ text: String) -> String {
        var lines: [String] = []
        for line in text.components(separatedBy: "\n") {
            var l = line
            for pattern in [#"(solver time )[0-9.]+( s)"#, #"("[a-z_]*seconds" : )[0-9.e+-]+"#] {
                l = l.replacingOccurrences(of: pattern, with: "$1…$2", options: .regularExpression)
            }
            lines.append(l)
        }
        return lines.joined(separator: "\n")
    }
}
