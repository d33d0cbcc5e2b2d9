/// How a reader treats a bad row: stop with its `file:line: reason` (the default), or skip it and count it
/// in ``SkippedRows`` (`--skip-bad-rows`), up to a limit per file.
///
/// Only rows can be skipped: a missing column, an empty file or a file that cannot be read always stops. Skipping
/// also stops when a file loses more rows than ``limit`` allows, when it loses every row, or when a category level
/// loses every one of its rows (a whole country dropped because its name is not valid UTF-8): those are a misread
/// file, not a few bad rows.
public struct BadRowPolicy: Sendable, Equatable {
    /// Whether bad rows are skipped and counted instead of stopping the read.
    public var skip: Bool
    /// How many bad rows a file may have before skipping stops the run.
    public var limit: Limit

    /// The most bad rows a file may lose: a number of rows, or a share of the file's data rows.
    public enum Limit: Sendable, Equatable, CustomStringConvertible {
        case rows(Int)
        case share(Double)

        /// 1% of the rows.
        public static let standard = Limit.share(0.01)

        /// `"250"` or `"2.5%"`; nil for anything else (negative, a share above 100%).
        public init?(_ text: String) {
            if text.hasSuffix("%") {
                guard let percent = Double(text.dropLast()), percent.isFinite, percent >= 0, percent <= 100 else { return nil }
                self = .share(percent / 100)
            } else {
                guard let rows = Int(text), rows >= 0 else { return nil }
                self = .rows(rows)
            }
        }

        /// Whether `bad` of `rows` rows is more than the limit allows.
        func exceeded(bad: Int, of rows: Int) -> Bool {
            switch self {
            case .rows(let most): bad > most
            case .share(let most): Double(bad) > most * Double(rows)
            }
        }

        /// `250 rows` or `1%`.
        public var description: String {
            switch self {
            case .rows(let most): "\(most) row\(most == 1 ? "" : "s")"
            case .share(let most): DecimalText.readable(most * 100) + "%"
            }
        }
    }

    public init(skip: Bool = false, limit: Limit = .standard) {
        self.skip = skip
        self.limit = limit
    }

    /// Stop at the first bad row.
    public static let stop = BadRowPolicy(skip: false)
    /// Skip bad rows and count them, up to the standard limit.
    public static let skipBadRows = BadRowPolicy(skip: true)

    /// Stops a read of `path` that skipped more of its `rows` data rows than the limit allows, or all of them: the
    /// message gives the count, the share, and each reason with its first example.
    package func checkLimit(_ skipped: SkippedRows, path: String, rows: Int) throws(InputError) {
        guard skip, rows > 0 else { return }
        let bad = skipped.count(inFile: path)
        guard bad > 0 else { return }
        let share = DecimalText.readable(Double(bad) / Double(rows) * 100)
        let reasons = skipped.reasons(inFile: path).map { "\($0.reason) \($0.count) (first: \($0.example))" }.joined(separator: "; ")
        if bad == rows {
            throw InputError(file: path, line: nil,
                             message: "every one of the \(rows) data row\(rows == 1 ? " is" : "s is") bad, so the file was misread, not a few rows: \(reasons)")
        }
        if limit.exceeded(bad: bad, of: rows) {
            throw InputError(file: path, line: nil,
                             message: "\(bad) of \(rows) data rows (\(share)%) are bad, more than the limit of \(limit): \(reasons)",
                             remedy: .allowMoreBadRows)
        }
    }
}
