/// The names `events.csv` gives the event types: the default names, the `--new-event` name, and from the change
/// date on the `--rename-event` name in place of the old one.
struct EventNames {
    /// Every name a run can write, in the order of their indexes: the default names in ``EventKind`` order, then
    /// the `--new-event` name, then the `--rename-event` new name. The summary counts rows by these.
    let names: [String]
    private let bytes: [[UInt8]]
    /// Indexes into ``names`` by ``EventKind`` raw value, for events before the change date and from it on.
    private let before: [Int], after: [Int]
    private let changeAt: Int64
    /// The longest name, in bytes.
    let longest: Int

    init(_ change: ProcessChange) {
        var names = EventKind.allCases.compactMap { $0.name?.description }
        var before = Array(names.indices)
        if let newEvent = change.newEvent {
            before.append(names.count)
            names.append(newEvent)
        }
        var after = before
        if let (old, new) = change.renamed, let kind = EventKind.named(old) {
            after[Int(kind.rawValue)] = names.count
            names.append(new)
        }
        self.names = names
        bytes = names.map { Array($0.utf8) }
        self.before = before
        self.after = after
        changeAt = change.at ?? .max
        longest = bytes.map(\.count).max()!
    }

    /// The index in ``names`` of the name `event` is written under.
    @inline(__always)
    func index(of event: SyntheticEvent) -> Int {
        (event.time >= changeAt ? after : before)[Int(event.kind.rawValue)]
    }

    /// Writes the name with index `index`.
    @inline(__always)
    func write(_ index: Int, to row: inout RowWriter) {
        row.bytes(bytes[index])
    }
}
