/// The decided contacts of a history export (`outcomes.csv`): which contact, won or lost, and when.
///
/// At most one outcome per contact; contacts without one are undecided (open), not lost.
package struct Outcomes: Sendable {
    /// The path as given to ``read(path:contacts:policy:skipped:)``.
    package let path: String
    /// The contact (index into ``Contacts``) of each outcome row, in file order.
    package let contact: [Int32]
    /// Whether each outcome is a win.
    package let won: [Bool]
    /// When each decision was made (`decided_at`): the default cutoff for the contact's features.
    package let decidedAt: [Timestamp]
    /// The physical line on which each outcome's row starts.
    package let rowLines: [Int32]
    /// Rows whose value means neither won nor lost (an open deal stage), left out.
    package var openRows = 0
    /// Decided rows of contacts with an earlier decided one (renewals, upsells), left out.
    package var laterRows = 0
    /// Contacts with more than one decided row.
    package var contactsWithSeveral = 0

    /// Assembles outcomes from columns (tests, generators); every array must have the same length.
    package init(path: String, contact: [Int32], won: [Bool], decidedAt: [Timestamp], rowLines: [Int32]? = nil) {
        precondition(won.count == contact.count && decidedAt.count == contact.count, "outcome columns differ in length")
        self.path = path
        self.contact = contact
        self.won = won
        self.decidedAt = decidedAt
        self.rowLines = rowLines ?? contact.indices.map { Int32($0 + 2) }
        precondition(self.rowLines.count == contact.count, "\(self.rowLines.count) row lines for \(contact.count) outcomes")
    }

    /// The number of outcomes (decided contacts).
    package var count: Int { contact.count }

    /// For each of `count` contacts (by index): its outcome's row index here, or -1 when it is undecided.
    package func byContact(count: Int) -> [Int32] {
        var rows = [Int32](repeating: -1, count: count)
        for (row, c) in contact.enumerated() {
            rows[Int(c)] = Int32(row)
        }
        return rows
    }

    /// For each of `count` contacts (by index): whether it was decided (won or lost) strictly before `asOf`, so that it
    /// is no longer an open lead at that moment. The one rule of "open as of": scoring (`score` leaves these out
    /// unless `--all`) and the ranking of open leads both ask it here.
    package func decided(before asOf: Timestamp, contacts count: Int) -> [Bool] {
        var decided = [Bool](repeating: false, count: count)
        for k in 0..<self.count where decidedAt[k] < asOf { decided[Int(contact[k])] = true }
        return decided
    }

    /// Reads `outcomes.csv`: `contact_id`, `outcome` and `decided_at` are required, other columns ignored.
    ///
    /// Without `values`, `outcome` is `won`/`lost`, `1`/`0`, `true`/`false` or `yes`/`no`, in any case, and any other
    /// value is a bad row; with them, their won and lost values decide and any other value means still open (the row is
    /// left out and counted). A contact's outcome is its first decided row (the earliest `decided_at`; later ones are
    /// renewals or upsells, left out and counted), unless `several` is `.refuse`. Bad rows (an empty or unknown contact
    /// id, a decided_at that does not read or is before the contact was created, a malformed record) stop the read
    /// with `file:line: reason`, or with `policy.skip` are left out and counted. A missing column, an empty file and a
    /// file whose every row is bad always stop.
    package static func read(
        path: String, contacts: Contacts, policy: BadRowPolicy = .init(), skipped: inout SkippedRows
    ) throws(InputError) -> Outcomes {
        try read(file: SourceFile(path: path), contacts: contacts, policy: policy, skipped: &skipped)
    }

    package static func read(
        file: SourceFile, contacts: Contacts, values: OutcomeValues? = nil, several: SeveralOutcomes = .first,
        policy: BadRowPolicy = .init(), skipped: inout SkippedRows, chunkSize: Int = CSVReader.defaultChunkSize
    ) throws(InputError) -> Outcomes {
        typealias Reason = HistoryRows.Reason
        let path = file.path
        let reader = try file.reader(chunkSize: chunkSize, orderRoles: ["contact_id", "decided_at", "outcome"])
        let idColumn = try file.requireColumn("contact_id", in: reader)
        let outcomeColumn = try file.requireColumn("outcome", in: reader)
        let decidedColumn = try file.requireColumn("decided_at", in: reader)

        var contact: [Int32] = []
        var won: [Bool] = []
        var decidedAt: [Timestamp] = []
        var rowLines: [Int32] = []
        var rowOfContact = [Int32](repeating: -1, count: contacts.count)
        var open = 0, later = 0
        var withSeveral = Set<Int32>()
        let dataRows = try HistoryRows.forEachRow(of: reader, idColumn: idColumn, policy: policy, skipped: &skipped) {
            record, line, reject throws(InputError) in
            guard let c = record.withBytes(at: idColumn, { contacts.index(ofBytes: $0) }) else {
                try reject(record.withBytes(at: idColumn) { HistoryRows.unknownContact($0, contactsPath: contacts.path) },
                           Reason.unknownContact)
                return
            }
            let isWin: Bool
            if let values {
                guard let decision = record.withBytes(at: outcomeColumn, values.decision) else {
                    open += 1
                    return
                }
                isWin = decision
            } else {
                guard let decision = record.withBytes(at: outcomeColumn, parseOutcome) else {
                    try reject("outcome \(Echo.quoted(record.withBytes(at: outcomeColumn, HistoryRows.shown))) is not won/lost (also accepted: 1/0, true/false, yes/no)",
                               Reason.badOutcome)
                    return
                }
                isWin = decision
            }
            guard var decided = record.withBytes(at: decidedColumn, { reader.timestamp($0) }) else {
                try reject(record.withBytes(at: decidedColumn) { HistoryRows.badTimestamp(column: file.column("decided_at"), $0, formats: file.format.dates) },
                           Reason.badTimestamp)
                return
            }
            let created = contacts.createdAt[Int(c)]
            // A date without a time (a CRM's close date) on the day the contact was created means that day, after the
            // contact existed: decided at creation, so no event counts, rather than an error.
            if decided < created, created.seconds - decided.seconds < 86_400, record.withBytes(at: decidedColumn, { $0.count <= 10 }) {
                decided = created
            }
            if decided < created {
                try reject("decided_at \(decided.iso8601) is before the contact was created (\(created.iso8601))",
                           Reason.decidedBeforeCreated)
                return
            }
            let first = rowOfContact[Int(c)]
            if first >= 0 {
                guard several == .first else {
                    try reject("a second outcome for contact \(Echo.quoted(contacts.ids[Int(c)])) (first on line \(rowLines[Int(first)]))",
                               Reason.secondOutcome)
                    return
                }
                later += 1
                withSeveral.insert(c)
                // The earliest decision counts; a tie keeps the row read first.
                if decided < decidedAt[Int(first)] {
                    won[Int(first)] = isWin
                    decidedAt[Int(first)] = decided
                    rowLines[Int(first)] = line
                }
                return
            }
            rowOfContact[Int(c)] = Int32(contact.count)
            contact.append(c)
            won.append(isWin)
            decidedAt.append(decided)
            rowLines.append(line)
        }
        if open == dataRows, let values {
            throw InputError(file: path, line: nil,
                             message: "none of the \(dataRows) rows is decided: every \(Echo.quoted(file.column("outcome"))) value is neither won (\(values.won.map { Echo.quoted($0) }.joined(separator: ", "))) nor lost (\(values.lost.map { Echo.quoted($0) }.joined(separator: ", ")))")
        }
        try policy.checkLimit(skipped, path: path, rows: dataRows)
        try HistoryRows.requireUsableRows(kept: contact.count, of: dataRows - open, path: path)
        var outcomes = Outcomes(path: path, contact: contact, won: won, decidedAt: decidedAt, rowLines: rowLines)
        outcomes.openRows = open
        outcomes.laterRows = later
        outcomes.contactsWithSeveral = withSeveral.count
        return outcomes
    }

    /// `won`/`1`/`true`/`yes` is a win, `lost`/`0`/`false`/`no` a loss (ASCII, any case, surrounding spaces
    /// ignored); anything else is nil.
    static func parseOutcome(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        var lower: [UInt8] = []
        lower.reserveCapacity(bytes.count)
        for byte in bytes where byte != UInt8(ascii: " ") || !lower.isEmpty {
            lower.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        while lower.last == UInt8(ascii: " ") { lower.removeLast() }
        switch String(decoding: lower, as: UTF8.self) {
        case "won", "1", "true", "yes": return true
        case "lost", "0", "false", "no": return false
        default: return nil
        }
    }
}
