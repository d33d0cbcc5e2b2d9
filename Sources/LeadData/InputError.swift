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
    /// What the caller can do about it, when that depends on how the input was described (a flag on the command line,
    /// a key of a source description): each face phrases it in its own terms.
    public var remedy: Remedy?

    /// Remedies that name an option of the caller's.
    public enum Remedy: Sendable, Equatable {
        /// Say which label value means converted.
        case namePositiveValue
        /// Leave the columns named out of the features.
        case leaveOutColumns
        /// Say which label values mean lost (the rest are open, left out).
        case nameLostValues
        /// A column of numbers with a stray word: correct it, empty it, or read the column named as categories.
        case numberColumn(String)
        /// Name the date format of a column whose values do not tell it.
        case nameDateFormat
        /// Allow more bad rows per file, to go on without the rows that are bad.
        case allowMoreBadRows
    }

    public init(file: String, line: Int?, column: Int? = nil, message: String, remedy: Remedy? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.remedy = remedy
    }

    /// `file:line:column: `, `file:line: ` or `file: `, as far as the place is known.
    public var location: String {
        switch (line, column) {
        case (let line?, let column?): "\(file):\(line):\(column): "
        case (let line?, nil): "\(file):\(line): "
        default: "\(file): "
        }
    }

    /// `file:line: message`, with the remedy in general words.
    public var description: String {
        let advice: String? = switch remedy {
        case .namePositiveValue?: "say which value means converted"
        case .leaveOutColumns?: "leave such columns out"
        case .nameLostValues?: "say which values mean lost, and every other value is taken as still open and left out"
        case .numberColumn?: "correct it, leave it empty (a missing value is imputed), or declare the column categorical"
        case .nameDateFormat?: "name the format yourself"
        case .allowMoreBadRows?: "correct the file, or allow more bad rows"
        case nil: nil
        }
        return location + message + (advice.map { ": \($0)" } ?? "")
    }
}
