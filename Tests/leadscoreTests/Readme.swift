import Foundation

/// A Markdown file's fenced code blocks, and in its transcript blocks the commands with the output they show.
///
/// A **transcript** is a fenced block whose info string is `console` and whose first line starts with `$ `. Each
/// `$ ` line starts a command, which goes on over the following lines while a quote is open or the line ends with a
/// backslash (as a shell reads it); the lines after it, up to the next `$ ` line or the end of the block, are the
/// output it shows.
struct Readme {
    /// One fenced block: its info string (`sh`, `console`, `json`, or empty) and the lines between its fences.
    struct Block {
        var info: String
        /// Index in `Readme.lines` of the first line inside the fences.
        var start: Int
        var lines: [String]
    }

    /// One command of a transcript and the output the file shows for it.
    struct Step {
        /// The command as written after `$ `, its continuation lines included (joined by newlines).
        var command: String
        var output: String
        /// Index in `Readme.lines` of the command's first line, and how many lines command and output take.
        var line: Int
        var commandLines: Int
        var outputLines: Int
    }

    let lines: [String]

    init(text: String) {
        lines = text.components(separatedBy: "\n")
    }

    static let fence = "```"
    static let prompt = "$ "

    var blocks: [Block] {
        var blocks: [Block] = []
        var i = 0
        while i < lines.count {
            guard lines[i].hasPrefix(Self.fence) else { i += 1; continue }
            let info = lines[i].dropFirst(Self.fence.count).trimmingCharacters(in: .whitespaces)
            var j = i + 1
            while j < lines.count, !lines[j].hasPrefix(Self.fence) { j += 1 }
            blocks.append(Block(info: info, start: i + 1, lines: Array(lines[(i + 1)..<min(j, lines.count)])))
            i = j + 1
        }
        return blocks
    }

    /// The transcript blocks: `console`, starting with a command.
    var transcripts: [Block] {
        blocks.filter { $0.info == "console" && $0.lines.first?.hasPrefix(Self.prompt) == true }
    }

    /// The commands of a transcript block, in order, each with the output shown under it.
    static func steps(of block: Block) -> [Step] {
        var steps: [Step] = []
        var i = 0
        while i < block.lines.count {
            guard block.lines[i].hasPrefix(prompt) else { i += 1; continue }
            let first = i
            var command = String(block.lines[i].dropFirst(prompt.count))
            i += 1
            while !ShellWords.split(command).complete, i < block.lines.count {
                command += "\n" + block.lines[i]
                i += 1
            }
            let commandLines = i - first
            var output: [String] = []
            while i < block.lines.count, !block.lines[i].hasPrefix(prompt) {
                output.append(block.lines[i])
                i += 1
            }
            let outputLines = output.count
            while output.last == "" { output.removeLast() }
            steps.append(Step(command: command, output: output.joined(separator: "\n"), line: block.start + first,
                              commandLines: commandLines, outputLines: outputLines))
        }
        return steps
    }

    /// Every command of every transcript, in the file's order.
    var steps: [Step] { transcripts.flatMap(Self.steps(of:)) }

    /// The file with the output of each step (in `steps` order) replaced by `outputs`, every other line as it was
    /// (blank lines that ended an old output, before the next command, included).
    func rewritten(with outputs: [String]) -> String {
        let steps = self.steps
        precondition(outputs.count == steps.count, "one output per step")
        var out: [String] = []
        var i = 0
        for (step, output) in zip(steps, outputs) {
            let outputStart = step.line + step.commandLines, end = outputStart + step.outputLines
            out += lines[i..<outputStart]
            if !output.isEmpty { out += output.components(separatedBy: "\n") }
            out += Array(repeating: "", count: lines[outputStart..<end].reversed().prefix { $0.isEmpty }.count)
            i = end
        }
        out += lines[i...]
        return out.joined(separator: "\n")
    }
}

/// Words of a command line as a POSIX shell splits them, for the few forms a README uses: blanks separate words;
/// single quotes keep everything; double quotes keep everything but `\"` and `\\`; a backslash outside quotes keeps
/// the next character, or with a newline joins two lines; `|` outside quotes is a word of its own (a pipe).
enum ShellWords {
    static func split(_ text: String) -> (words: [String], complete: Bool) {
        var words: [String] = [], current = "", started = false
        enum Quote { case none, single, double }
        var quote = Quote.none
        var chars = Array(text)[...]
        func finish() { if started { words.append(current) }; current = ""; started = false }
        while let c = chars.popFirst() {
            switch quote {
            case .single:
                if c == "'" { quote = .none } else { current.append(c) }
            case .double:
                if c == "\"" { quote = .none }
                else if c == "\\", let next = chars.first, next == "\"" || next == "\\" { current.append(next); chars.removeFirst() }
                else { current.append(c) }
            case .none:
                switch c {
                case "'": quote = .single; started = true
                case "\"": quote = .double; started = true
                case "\\":
                    guard let next = chars.popFirst() else { return (words, false) }
                    if next != "\n" { current.append(next); started = true }
                case " ", "\t", "\n": finish()
                case "|": finish(); words.append("|")
                default: current.append(c); started = true
                }
            }
        }
        finish()
        return (words, quote == .none)
    }
}
