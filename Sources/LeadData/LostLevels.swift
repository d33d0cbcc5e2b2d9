/// The profile values of the rows a skipping read left out, so that it can tell a few bad rows from a misread file:
/// when every row of some category level is bad (every contact from "España" in a Windows-1252 file read as UTF-8),
/// skipping would silently drop a whole country, so the read stops instead.
struct LostLevels {
    /// A level must lose at least this many rows to count as lost: a value seen once or twice may be free text.
    static let minimumRows = 3
    /// Distinct values remembered per column, so a column of free text cannot grow without bound.
    static let maximumValues = 10_000

    private let columns: [Int]
    private let names: [String]
    private var rows: [[String: Int]]
    private var examples: [[String: String]]

    /// Watches the columns `columns` of `header`.
    init(columns: [Int], header: [String]) {
        self.columns = columns
        names = columns.map { header[$0] }
        rows = columns.map { _ in [:] }
        examples = columns.map { _ in [:] }
    }

    /// Notes the values of a row left out as bad, `error` being why.
    mutating func note(_ record: CSVRecord, error: String) {
        for (k, j) in columns.enumerated() {
            let value = record.withBytes(at: j) { String(decoding: $0, as: UTF8.self) }
            guard !value.isEmpty, rows[k][value] != nil || rows[k].count < Self.maximumValues else { continue }
            rows[k][value, default: 0] += 1
            if examples[k][value] == nil { examples[k][value] = error }
        }
    }

    /// Stops when a categorical column of `kept` (the columns read from the rows kept) lost every row of a level that
    /// had at least ``minimumRows`` rows.
    func check(kept: [TableColumn], path: String) throws(InputError) {
        for column in kept {
            guard case .categorical(_, let levels) = column.values, let k = names.firstIndex(of: column.name), !rows[k].isEmpty else { continue }
            let present = Set(levels)
            let lost = rows[k].filter { $0.value >= Self.minimumRows && !present.contains($0.key) }
            guard let worst = lost.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) else { continue }
            throw InputError(
                file: path, line: nil,
                message: "every row with \(Echo.quoted(column.name)) = \(Echo.quoted(worst.key)) (\(worst.value) rows) is bad, so skipping would leave that whole category out (first: \(examples[k][worst.key]!)); is the file's encoding or format described right?")
        }
    }
}
