import Foundation

/// The first rows of an export, read as its bytes suggest: the character encoding (UTF-8 when every byte sequence is
/// valid UTF-8, Windows-1252 otherwise) and the separator (the most frequent of `,` `;` tab `|` in the header, outside
/// quotes). What `leadscore source --init` looks at to propose a source description.
package struct SniffedFile: Sendable {
    package let path: String
    /// The database table read, when it is one (``path`` is then its name in messages).
    package var table: DatabaseTable? = nil
    package let format: CSVFormat
    package let header: [String]
    /// The values of the first rows read, by column.
    package let columns: [[String]]
    /// Rows read, at most ``SourceSniffer/maximumRows``.
    package let rows: Int
    /// Whether the file has more rows than were read.
    package let truncated: Bool

    /// The values of column `name`.
    package func values(_ name: String) -> [String] {
        header.firstIndex(of: name).map { columns[$0] } ?? []
    }
}

package enum SourceSniffer {
    /// Rows read from each file: enough to see every outcome value and date shape of a CRM export's first months.
    package static let maximumRows = 200_000
    /// Bytes looked at to tell the encoding.
    static let encodingProbe = 4 << 20

    /// Reads the start of `path`, guessing its encoding and separator.
    package static func sniff(path: String) throws(InputError) -> SniffedFile {
        let probe: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            probe = Array(try handle.read(upToCount: encodingProbe) ?? Data())
        } catch {
            throw InputError(file: path, line: nil, message: "cannot read the file (\(error.localizedDescription))")
        }
        guard !probe.isEmpty else { throw InputError(file: path, line: nil, message: "the file is empty: expected a header row") }
        var format = CSVFormat.standard
        format.encoding = isUTF8(probe) ? .utf8 : .windows1252
        format.delimiter = delimiter(ofFirstLine: probe)
        return try firstRows(of: try CSVReader(path: path, format: format), path: path, format: format)
    }

    /// Reads the first rows of a database table, written as the stream writes it (UTF-8, commas).
    package static func sniff(file: SourceFile) throws(InputError) -> SniffedFile {
        var sniffed = try firstRows(of: try file.reader(), path: file.path, format: file.format)
        sniffed.table = file.table
        return sniffed
    }

    private static func firstRows(of reader: CSVReader, path: String, format: CSVFormat) throws(InputError) -> SniffedFile {
        var columns = reader.header.map { _ in [String]() }
        var rows = 0
        var truncated = false
        while try reader.next() {
            if rows == maximumRows {
                truncated = true
                break
            }
            for j in columns.indices {
                columns[j].append(reader.record.withBytes(at: j) { String(decoding: $0, as: UTF8.self) })
            }
            rows += 1
        }
        return SniffedFile(path: path, format: format, header: reader.header, columns: columns, rows: rows, truncated: truncated)
    }

    /// Whether `bytes` is UTF-8, allowing a character cut at the end of the probe.
    static func isUTF8(_ bytes: [UInt8]) -> Bool {
        for cut in 0...min(3, bytes.count) where String(validating: bytes.dropLast(cut), as: UTF8.self) != nil {
            return true
        }
        return false
    }

    /// The most frequent separator in the first line outside quotes; `,` when there is none.
    static func delimiter(ofFirstLine bytes: [UInt8]) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]
        var counts = [Int](repeating: 0, count: candidates.count)
        var quoted = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted, byte == 0x0A || byte == 0x0D { break }
            if !quoted, let k = candidates.firstIndex(of: byte) { counts[k] += 1 }
        }
        guard let best = counts.indices.max(by: { (counts[$0], -$0) < (counts[$1], -$1) }), counts[best] > 0 else { return UInt8(ascii: ",") }
        return candidates[best]
    }
}

/// How the values of a date column are written: ISO 8601, or a family of patterns (month first, day first, ...),
/// told apart from the values themselves, and never guessed when the values fit two families.
package enum DateSniffer {
    /// Pattern families, each a reading of the same shape with and without a time of day.
    static let families: [(name: String, patterns: [String])] = [
        ("month first", ["MM/DD/YYYY HH:mm:ss", "MM/DD/YYYY HH:mm", "MM/DD/YYYY hh:mm:ss a", "MM/DD/YYYY hh:mm a", "MM/DD/YYYY", "MM/DD/YY HH:mm", "MM/DD/YY"]),
        ("day first", ["DD/MM/YYYY HH:mm:ss", "DD/MM/YYYY HH:mm", "DD/MM/YYYY", "DD/MM/YY HH:mm", "DD/MM/YY"]),
        ("day first, dots", ["DD.MM.YYYY HH:mm:ss", "DD.MM.YYYY HH:mm", "DD.MM.YYYY", "DD.MM.YY"]),
        ("day first, dashes", ["DD-MM-YYYY HH:mm:ss", "DD-MM-YYYY HH:mm", "DD-MM-YYYY"]),
        ("year first", ["YYYY-MM-DD HH:mm:ss", "YYYY-MM-DD HH:mm", "YYYY/MM/DD HH:mm:ss", "YYYY/MM/DD HH:mm", "YYYY/MM/DD"]),
    ]

    /// What a column's values are.
    package enum Reading: Equatable {
        /// ISO 8601 throughout (with or without offsets): no pattern needed.
        case iso
        /// These patterns read every value; `example` is a value that only this reading fits (a day above 12 where
        /// the other reading wants a month), when there is one.
        case patterns([String], example: String?)
        /// Two readings fit every value: the day cannot be told from the month.
        case ambiguous(first: [String], second: [String], example: String)
        /// No reading fits this value.
        case unreadable(example: String)
        /// The column has no values.
        case empty
    }

    /// The reading of `values` (empty values skipped); `given` patterns, when the user named them, are checked instead.
    package static func reading(of values: [String], given: [String]? = nil) -> Reading {
        let present = values.filter { !$0.isEmpty }
        guard !present.isEmpty else { return .empty }
        if given == nil, present.allSatisfy({ Timestamp.parse($0) != nil }) { return .iso }
        let candidates: [(name: String, patterns: [String])] = given.map { [("given", $0)] } ?? families
        var fits: [(patterns: [String], used: [String])] = []
        var firstFailure: String?
        for family in candidates {
            let parsers = family.patterns.compactMap(DatePattern.init).map { DateParser(DateFormats(patterns: [$0])) }
            var used = Set<Int>()
            var failed: String?
            for value in present {
                let bytes = Array(value.utf8)
                let hit = bytes.withUnsafeBufferPointer { buffer in
                    Timestamp.parse(buffer) != nil ? -1 : parsers.firstIndex { $0.parse(buffer) != nil }
                }
                guard let hit else {
                    failed = value
                    break
                }
                if hit >= 0 { used.insert(hit) }
            }
            if let failed {
                if firstFailure == nil { firstFailure = failed }
                continue
            }
            fits.append((family.patterns, used.sorted().map { family.patterns[$0] }))
        }
        switch fits.count {
        case 0:
            return .unreadable(example: firstFailure ?? present[0])
        case 1:
            let example = families.count > 1 ? distinguishing(present, for: fits[0].patterns) : nil
            return .patterns(fits[0].used.isEmpty ? fits[0].patterns : fits[0].used, example: example)
        default:
            return .ambiguous(first: fits[0].used, second: fits[1].used, example: present.first { Timestamp.parse($0) == nil } ?? present[0])
        }
    }

    /// A value that the other families cannot read, to show why this one was chosen.
    private static func distinguishing(_ values: [String], for patterns: [String]) -> String? {
        let others = families.filter { $0.patterns != patterns }.flatMap(\.patterns).compactMap(DatePattern.init)
            .map { DateParser(DateFormats(patterns: [$0])) }
        return values.first { value in
            Array(value.utf8).withUnsafeBufferPointer { buffer in
                Timestamp.parse(buffer) == nil && !others.contains { $0.parse(buffer) != nil }
            }
        }
    }
}
