/// How a reader treats a bad row: stop with its `file:line: reason` (the default), or skip it and count it
/// in ``SkippedRows`` (`--skip-bad-rows`).
///
/// Only rows can be skipped: a missing column, an empty file or a file that cannot be read always stops.
public struct BadRowPolicy: Sendable, Equatable {
    /// Whether bad rows are skipped and counted instead of stopping the read.
    public var skip: Bool

    public init(skip: Bool = false) {
        self.skip = skip
    }

    /// Stop at the first bad row.
    public static let stop = BadRowPolicy(skip: false)
    /// Skip bad rows and count them.
    public static let skipBadRows = BadRowPolicy(skip: true)
}
