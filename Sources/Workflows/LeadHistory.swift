import Foundation
public import LeadData
import LinearAlgebra
public import Scoring

/// A whole contact history held in memory, read once: every contact with its profile and its events sorted by time,
/// and the outcomes, so that the leads open at any moment can be ranked (``LeadRanking``), and ranked again after a
/// model reload, without reading the files (or the database tables) again; and so that any one contact can be shown
/// and scored as the HTTP server scores a posted lead (``lead(_:)``).
///
/// Read with the readers `score` uses (``Contacts``, ``EventReader``, ``Outcomes``), so a bad row is refused, or
/// skipped and counted, with the same `file:line: what is wrong` as `score` gives, under the same ``BadRowPolicy``.
/// What differs is that it does not know the model yet: profile columns are kept as text, as written, and a column
/// the model reads as numbers is checked when a ranking is made (``LeadRanking``), with the message `score` gives.
///
/// Kept compactly, for a million contacts and tens of millions of events: profile columns as the contacts reader codes
/// them (one code per contact and column, each distinct value once), and each event as one 64-bit word (its time in
/// seconds and its event name's code), contact after contact, each contact's events in time order (ties by name) in
/// a range of their own. Immutable once read, so one history may be shared by any number of threads and rankings.
public final class LeadHistory: Sendable {
    /// Where the history was read from.
    public let source: HistorySource
    /// The bad-row policy it was read with; a ranking checks profile numbers with it too.
    public let policy: BadRowPolicy
    /// The contacts, in file order: ids, creation times, the lines of their rows, and every profile column (but those
    /// left out when reading) as text. A contact's index here is its index everywhere in this history.
    public let contacts: Contacts
    /// The names of the events, in the order of their UTF-8 bytes; an event's code indexes it.
    public let eventNames: [String]
    /// The number of events kept.
    public let eventCount: Int
    /// Rows skipped under a policy that skips bad rows.
    public let skipped: SkippedRows
    /// What reading found worth saying but not stopping for (outcome rows that are open stages, later decisions left
    /// out, events kept from before their contact was created).
    public let notes: [String]
    /// The latest moment in the data: the last event, or the last contact created, whichever is later; what `score`
    /// compares the scoring moment with to warn of stale data.
    public let dataEnd: Timestamp?
    /// Whether the source has outcomes; without them every contact created before a moment is open at it.
    public var hasOutcomes: Bool { outcomes != nil }

    private let outcomes: Outcomes?
    /// Each contact's row in ``outcomes``, or -1 when it is undecided.
    private let outcomeRow: [Int32]
    /// Where each contact's events start in ``events``; one more entry, the end of the last contact's.
    private let eventStarts: [Int]
    /// Every event as `time << 24 | code`: ordered by time, then name.
    private let events: ChunkedStore<Int64>
    /// For each profile column (as ``Contacts/profile``), each contact's code and what each code is as a posted lead's
    /// profile value: text as written, empty as missing.
    private let profileCodes: [[Int32]]
    private let profileValues: [[ProfileValue]]
    /// Contacts in the order of their ids' UTF-8 bytes, and each contact's place in that order.
    let idOrder: [Int32]
    let idRank: [Int32]

    static let codeBits: Int64 = 24
    static let codeMask: Int64 = (1 << codeBits) - 1
    /// Times beyond ±2^39 seconds (17,000 years from 1970) would not fit beside a code; no date format gives them.
    static let timeLimit: Int64 = 1 << 39

    /// Reads `source` whole: its contacts (every column but `excluded`, the profile columns a source description
    /// leaves out, kept as text), its outcomes when it has them, then its events, which may come in any order.
    ///
    /// Bad rows stop the read with `file:line: what is wrong`, or with `policy.skip` are left out and counted in
    /// ``skipped``, exactly as `score` reads the same source; `progress` is told how the reading of the events goes.
    public convenience init(source: HistorySource, excluded: [String] = [], policy: BadRowPolicy = .init(), progress: ProgressReport? = nil) throws(InputError) {
        try self.init(source: source, excluded: excluded, policy: policy, progress: progress, chunkShift: 20)
    }

    /// As ``init(source:excluded:policy:progress:)`` with events stored in chunks of `2^chunkShift`, for tests of
    /// contacts whose events straddle chunks.
    init(source: HistorySource, excluded: [String], policy: BadRowPolicy, progress: ProgressReport?, chunkShift: Int) throws(InputError) {
        self.source = source
        self.policy = policy
        var skipped = SkippedRows()
        var options = TableReadOptions(ignore: Set(excluded), kindsMayNameAbsentColumns: true)
        options.keepsText = true
        // In the order `score` reads them, so that of several bad files the same one is named.
        let contacts = try Contacts.read(file: source.contacts, options: options, policy: policy, skipped: &skipped)
        let outcomes = try source.readOutcomes(contacts: contacts, policy: policy, skipped: &skipped)
        let reader = try EventReader(file: source.events, early: source.earlyEvents)
        reader.progress = progress

        // Events in file order, each with its contact; counted per contact.
        let owners = ChunkedStore<Int32>(shift: chunkShift)
        let packed = ChunkedStore<Int64>(shift: chunkShift)
        var perContact = [Int](repeating: 0, count: contacts.count)
        var lastEvent = Int64.min
        var outOfRange: Int64?
        var words: [Int64] = []
        try reader.forEachBatch(contacts: contacts, policy: policy, skipped: &skipped) { batch in
            words.removeAll(keepingCapacity: true)
            for k in 0..<batch.count {
                let c = batch.contacts[k], t = batch.times[k].seconds
                if t >= Self.timeLimit || t <= -Self.timeLimit { outOfRange = t }
                perContact[Int(c)] += 1
                words.append(t << Self.codeBits | Int64(batch.events[k]))
                if t > lastEvent { lastEvent = t }
            }
            owners.append(contentsOf: batch.contacts)
            words.withUnsafeBufferPointer { packed.append(contentsOf: $0) }
        }
        if let outOfRange {
            throw InputError(file: source.events.path, line: nil, message: "an event at \(outOfRange) seconds from 1970 is out of the range of times leadscore holds")
        }
        guard Int64(reader.eventNames.count) <= Self.codeMask + 1 else {
            throw InputError(file: source.events.path, line: nil, message: "\(reader.eventNames.count) distinct event names, more than the \(Self.codeMask + 1) leadscore holds")
        }

        // Names in byte order, so that sorting a contact's events by their words orders them by time, then name.
        let byteOrder = reader.eventNames.indices.sorted { reader.eventNames[$0].utf8.lexicographicallyPrecedes(reader.eventNames[$1].utf8) }
        var newCode = [Int64](repeating: 0, count: reader.eventNames.count)
        for (rank, code) in byteOrder.enumerated() { newCode[code] = Int64(rank) }
        eventNames = byteOrder.map { reader.eventNames[$0] }

        var starts = [Int](repeating: 0, count: contacts.count + 1)
        for c in 0..<contacts.count { starts[c + 1] = starts[c] + perContact[c] }
        perContact = []
        Self.group(packed, owners: owners, starts: starts)
        owners.release()
        Self.sortEachContact(packed, starts: starts, newCode: newCode)

        self.contacts = contacts
        self.outcomes = outcomes
        outcomeRow = outcomes?.byContact(count: contacts.count) ?? []
        events = packed
        eventStarts = starts
        eventCount = packed.count
        self.skipped = skipped
        notes = HistorySource.readingNotes(contacts: contacts, outcomes: outcomes, events: reader)
        let end = max(lastEvent, contacts.createdAt.max()?.seconds ?? .min)
        dataEnd = end == .min ? nil : Timestamp(seconds: end)
        var codes: [[Int32]] = [], values: [[ProfileValue]] = []
        for column in contacts.profile {
            guard case .categorical(let columnCodes, let levels) = column.values else {
                preconditionFailure("profile columns are read as text")
            }
            codes.append(columnCodes)
            values.append(levels.map { $0.isEmpty ? .missing : .text($0) })
        }
        profileCodes = codes
        profileValues = values
        idOrder = Self.byteOrder(contacts.ids)
        var rank = [Int32](repeating: 0, count: contacts.count)
        for (position, c) in idOrder.enumerated() { rank[Int(c)] = Int32(position) }
        idRank = rank
    }

    // MARK: Contacts

    /// The number of contacts.
    public var count: Int { contacts.count }

    /// The index of the contact with this id (O(1)), or nil when no contact has it.
    public func index(of id: String) -> Int? {
        contacts.index(of: id).map(Int.init)
    }

    /// The names of the profile columns, in the order of the contacts' header.
    public var profileFields: [String] { contacts.profile.map(\.name) }

    /// The contact `id` as `POST /v1/score` would receive it from a webhook sending this row of the contacts and its
    /// events: its profile as text, as the file writes it (an empty value missing), and every event, oldest first
    /// (ties by name, as `GET /v1/leads/{contact_id}` orders them); nil when no contact has the id.
    ///
    /// ``HistoryLeadScorer`` scores it as `score` scores the same contact read from the files (with
    /// `keepingEarlyEvents`: events before its creation are here only when the source keeps them). A file whose numbers
    /// are written with a thousands separator or a decimal comma is the exception: its text is not a number to a posted
    /// lead; ``LeadRanking/lead(_:)`` gives the lead with those numbers read.
    public func lead(_ id: String) -> HistoryLead? {
        index(of: id).map { lead(at: $0) }
    }

    /// As ``lead(_:)`` for the contact at `index`.
    public func lead(at index: Int) -> HistoryLead {
        lead(at: index, columns: profileValues.indices.map { ($0, profileValues[$0]) }, before: nil)
    }

    /// The lead at contact `c` with only the profile columns of `columns`, each with its own values by code, and only
    /// the events before `asOf` (all when nil).
    func lead(at c: Int, columns: [(index: Int, values: [ProfileValue])], before asOf: Timestamp?) -> HistoryLead {
        var profile: [String: ProfileValue] = [:]
        profile.reserveCapacity(columns.count)
        for (j, values) in columns {
            profile[contacts.profile[j].name] = values[Int(profileCodes[j][c])]
        }
        let range = asOf.map { eventRange(of: c, before: $0) } ?? eventStarts[c]..<eventStarts[c + 1]
        var list: [LeadEvent] = []
        list.reserveCapacity(range.count)
        let chunks = events.chunks, shift = events.shift, mask = events.mask
        for i in range {
            let word = chunks[i >> shift][i & mask]
            list.append(LeadEvent(time: Timestamp(seconds: word >> Self.codeBits), name: eventNames[Int(word & Self.codeMask)]))
        }
        return HistoryLead(contactID: contacts.ids[c], createdAt: contacts.createdAt[c], profile: profile, events: list)
    }

    /// The events of contact `c` strictly before `asOf`: a range of ``events``, found by binary search.
    func eventRange(of c: Int, before asOf: Timestamp) -> Range<Int> {
        var lo = eventStarts[c], hi = eventStarts[c + 1]
        let start = lo
        // The first word at or after asOf's, whatever its code: every code sorts after a word whose code bits are 0.
        let bound = asOf.seconds << Self.codeBits
        while lo < hi {
            let mid = (lo + hi) / 2
            if events[mid] < bound { lo = mid + 1 } else { hi = mid }
        }
        return start..<lo
    }

    /// The time of event `i` (an index of ``eventRange(of:before:)``).
    func eventTime(_ i: Int) -> Timestamp { Timestamp(seconds: events[i] >> Self.codeBits) }

    /// The code (index into ``eventNames``) of event `i`.
    func eventCode(_ i: Int) -> Int { Int(events[i] & Self.codeMask) }

    /// Each code of profile column `j` as a posted lead's value: text as written, empty as missing.
    func profileValues(column j: Int) -> [ProfileValue] { profileValues[j] }

    /// Each contact's code in profile column `j`.
    func profileCodes(column j: Int) -> [Int32] { profileCodes[j] }

    // MARK: Outcomes

    /// Contact `id`'s outcome: won or lost, and when it was decided; nil when it is undecided (or unknown).
    public func outcome(of id: String) -> (won: Bool, decidedAt: Timestamp)? {
        guard let c = index(of: id), let outcomes, outcomeRow[c] >= 0 else { return nil }
        let k = Int(outcomeRow[c])
        return (outcomes.won[k], outcomes.decidedAt[k])
    }

    /// For each contact: whether it was decided before `asOf`, so no longer open then (`score`'s rule; all false
    /// without outcomes).
    func decided(before asOf: Timestamp) -> [Bool] {
        outcomes?.decided(before: asOf, contacts: count) ?? [Bool](repeating: false, count: count)
    }

    // MARK: Building

    /// Moves every event into its contact's range (`starts`), in place: an American flag sort, each event moved at most
    /// once to where it belongs, an event already in place (an export sorted by contact) not at all.
    private static func group(_ packed: ChunkedStore<Int64>, owners: ChunkedStore<Int32>, starts: [Int]) {
        let shift = packed.shift, mask = packed.mask
        let words = packed.chunks, contactOf = owners.chunks
        var next = starts
        next.withUnsafeMutableBufferPointer { next in
            for c in 0..<(starts.count - 1) {
                let end = starts[c + 1]
                while next[c] < end {
                    let i = next[c]
                    var owner = Int(contactOf[i >> shift][i & mask])
                    var word = words[i >> shift][i & mask]
                    // Carry the event to its range, taking the one there along, until one belongs here. Slots before a
                    // range's `next` are final: their owners are never read again.
                    while owner != c {
                        let j = next[owner]
                        next[owner] = j + 1
                        let displacedOwner = Int(contactOf[j >> shift][j & mask])
                        let displaced = words[j >> shift][j & mask]
                        words[j >> shift][j & mask] = word
                        owner = displacedOwner
                        word = displaced
                    }
                    words[i >> shift][i & mask] = word
                    next[c] = i + 1
                }
            }
        }
    }

    /// Gives every event its name's new code and sorts each contact's events by time, then name; contacts in parallel.
    private static func sortEachContact(_ packed: ChunkedStore<Int64>, starts: [Int], newCode: [Int64]) {
        let shift = packed.shift, mask = packed.mask
        let words = packed.chunks
        let contactCount = starts.count - 1
        let partitions = RowPartitions(rows: contactCount, size: 16_384, workers: ProcessInfo.processInfo.activeProcessorCount)
        _ = partitions.map { contactsRange -> Int in
            var scratch: [Int64] = []
            for c in contactsRange {
                let start = starts[c], end = starts[c + 1]
                guard end > start else { continue }
                let chunk = start >> shift
                if (end - 1) >> shift == chunk {
                    // Within one chunk: in place.
                    var run = UnsafeMutableBufferPointer(start: words[chunk] + (start & mask), count: end - start)
                    for i in run.indices { run[i] = recoded(run[i], newCode) }
                    run.sort()
                } else {
                    scratch.removeAll(keepingCapacity: true)
                    for i in start..<end { scratch.append(recoded(words[i >> shift][i & mask], newCode)) }
                    scratch.sort()
                    for (k, i) in (start..<end).enumerated() { words[i >> shift][i & mask] = scratch[k] }
                }
            }
            return 0
        }
    }

    @inline(__always)
    private static func recoded(_ word: Int64, _ newCode: [Int64]) -> Int64 {
        (word >> codeBits) << codeBits | newCode[Int(word & codeMask)]
    }

    /// The indices of `ids` in the order of their UTF-8 bytes.
    private static func byteOrder(_ ids: [String]) -> [Int32] {
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        starts.reserveCapacity(ids.count + 1)
        for id in ids {
            bytes.append(contentsOf: id.utf8)
            starts.append(bytes.count)
        }
        var order = (0..<ids.count).map { Int32($0) }
        bytes.withUnsafeBufferPointer { b in
            starts.withUnsafeBufferPointer { s in
                order.sort { x, y in
                    let a = UnsafeBufferPointer(rebasing: b[s[Int(x)]..<s[Int(x) + 1]])
                    let c = UnsafeBufferPointer(rebasing: b[s[Int(y)]..<s[Int(y) + 1]])
                    return Self.precedes(a, c)
                }
            }
        }
        return order
    }

    /// Whether `a` sorts before `b`, byte by byte (a prefix before what it begins).
    @inline(__always)
    static func precedes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = min(a.count, b.count)
        if n > 0 {
            let order = memcmp(a.baseAddress!, b.baseAddress!, n)
            if order != 0 { return order < 0 }
        }
        return a.count < b.count
    }
}
