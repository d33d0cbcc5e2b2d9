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

    /// Reads `outcomes.csv`: `contact_id`, `outcome` and `decided_at` are required, other columns ignored.
    ///
    /// `outcome` is `won`/`lost`, `1`/`0`, `true`/`false` or `yes`/`no`, in any case. Bad rows (an empty or
    /// unknown contact id, another outcome value, a decided_at that is not ISO 8601 or is before the contact
    /// was created, a second outcome for the same contact, a malformed record) stop the read with
    /// `file:line: reason`, or with `policy.skip` are left out and counted; for a contact decided twice the
    /// first row is kept. A missing column, an empty file and a file whose every row is bad always stop.
    package static func read(
        path: String, contacts: Contacts, policy: BadRowPolicy = .init(), skipped: inout SkippedRows
    ) throws(InputError) -> Outcomes {
        try read(path: path, contacts: contacts, policy: policy, skipped: &skipped, chunkSize: CSVReader.defaultChunkSize)
    }

    /// As ``read(path:contacts:policy:skipped:)`` with a chosen read size, for tests.
    static func read(
        path: String, contacts: Contacts, policy: BadRowPolicy, skipped: inout SkippedRows, chunkSize: Int
    ) throws(InputError) -> Outcomes {
        typealias Reason = HistoryRows.Reason
        let reader = try CSVReader(path: path, chunkSize: chunkSize)
        let idColumn = try reader.requireColumn("contact_id")
        let outcomeColumn = try reader.requireColumn("outcome")
        let decidedColumn = try reader.requireColumn("decided_at")

        var contact: [Int32] = []
        var won: [Bool] = []
        var decidedAt: [Timestamp] = []
        var rowLines: [Int32] = []
        var rowOfContact = [Int32](repeating: -1, count: contacts.count)
        let dataRows = try HistoryRows.forEachRow(of: reader, idColumn: idColumn, policy: policy, skipped: &skipped) {
            record, line, reject throws(InputError) in
            guard let c = record.withBytes(at: idColumn, { contacts.index(ofBytes: $0) }) else {
                try reject(record.withBytes(at: idColumn) { HistoryRows.unknownContact($0, contactsPath: contacts.path) },
                           Reason.unknownContact)
                return
            }
            guard let isWin = record.withBytes(at: outcomeColumn, parseOutcome) else {
                try reject("outcome \(Echo.quoted(record.withBytes(at: outcomeColumn, HistoryRows.shown))) is not won/lost (also accepted: 1/0, true/false, yes/no)",
                           Reason.badOutcome)
                return
            }
            guard let decided = record.withBytes(at: decidedColumn, { Timestamp.parse($0) }) else {
                try reject(record.withBytes(at: decidedColumn) { HistoryRows.badTimestamp(column: "decided_at", $0) },
                           Reason.badTimestamp)
                return
            }
            let first = rowOfContact[Int(c)]
            if first >= 0 {
                try reject("a second outcome for contact \(Echo.quoted(contacts.ids[Int(c)])) (first on line \(rowLines[Int(first)]))",
                           Reason.secondOutcome)
                return
            }
            let created = contacts.createdAt[Int(c)]
            if decided < created {
                try reject("decided_at \(decided.iso8601) is before the contact was created (\(created.iso8601))",
                           Reason.decidedBeforeCreated)
                return
            }
            rowOfContact[Int(c)] = Int32(contact.count)
            contact.append(c)
            won.append(isWin)
            decidedAt.append(decided)
            rowLines.append(line)
        }
        try HistoryRows.requireUsableRows(kept: contact.count, of: dataRows, path: path)
        return Outcomes(path: path, contact: contact, won: won, decidedAt: decidedAt, rowLines: rowLines)
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
