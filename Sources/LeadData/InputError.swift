/// A problem with an input file, located as precisely as we can: `file:line: message`.
///
/// Every reader in the package reports bad input with this one type, so the command-line tool can print
/// the cause together with the place to look, and `--skip-bad-rows` can count and summarise what it skipped.
public struct InputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The path as the user gave it (not resolved), so the message points where they expect.
    public var file: String
    /// The 1-based physical line where the offending record starts; `nil` for whole-file problems.
    public var line: Int?
    /// The 1-based column within `line`, where it helps (a JSON syntax error); `nil` otherwise.
    public var column: Int?
    /// What is wrong, phrased for a person, without the file and line.
    public var message: String

    public init(file: String, line: Int?, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, `file:line: message`, or `file: message`, as far as the place is known.
    public var description: String {
        switch (line, column) {
        case (let line?, let column?): return "\(file):\(line):\(column): \(message)"
        case (let line?, nil): return "\(file):\(line): \(message)"
        default: return "\(file): \(message)"
        }
    }
}
