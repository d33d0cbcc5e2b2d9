import Foundation
import LeadData

/// A random well-formed CSV file together with what a reader must find in it (fields and start lines).
///
/// Fields mix commas, quotes, CR, LF, CRLF, spaces and multi-byte UTF-8; records end with LF, CRLF or a
/// lone CR; some files start with a BOM or with empty lines, and empty lines appear between records.
struct RandomCSV {
    var bytes: [UInt8] = []
    var header: [String] = []
    var rows: [ParsedCSV.Row] = []

    init(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        func chance(_ p: Double) -> Bool { random.nextDouble() < p }
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }

        let pieces = ["a", "b", "7", ".", "-", " ", ",", "\"", "\n", "\r", "\r\n", "é", "日", ";", "x\"y"]
        func randomText() -> String {
            (0..<Int(random.next() % 7)).map { _ in pick(pieces) }.joined()
        }
        func encode(_ field: String, alone: Bool) -> [UInt8] {
            let special = field.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            if special || (alone && field.isEmpty) || chance(0.2) {
                return Array(("\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"").utf8)
            }
            return Array(field.utf8)
        }
        let lineEnds = ["\n", "\r\n", "\r"]

        var starts: [Int] = []  // byte offset where each record (header first) starts
        func emit(_ fields: [String]) {
            starts.append(bytes.count)
            for (k, field) in fields.enumerated() {
                if k > 0 { bytes.append(0x2C) }
                bytes += encode(field, alone: fields.count == 1)
            }
        }

        if chance(0.2) { bytes += [0xEF, 0xBB, 0xBF] }
        if chance(0.1) { bytes += Array(pick(lineEnds).utf8) }
        let columns = 1 + Int(random.next() % 5)
        header = (0..<columns).map { j in pick(["id", "name, full", "say \"hi\"", "two\nlines", "é"]) + "\(j)" }
        emit(header)
        let rowCount = Int(random.next() % 12)
        var fieldsByRow: [[String]] = []
        for _ in 0..<rowCount {
            bytes += Array(pick(lineEnds).utf8)
            if chance(0.1) { bytes += Array(pick(lineEnds).utf8) }
            let fields = (0..<columns).map { _ in randomText() }
            emit(fields)
            fieldsByRow.append(fields)
        }
        if chance(0.5) { bytes += Array(pick(lineEnds).utf8) }

        // Lines from the bytes themselves: a CR, or an LF not right after a CR, ends a line.
        func line(at offset: Int) -> Int {
            var line = 1
            for k in 0..<offset where bytes[k] == 0x0D || (bytes[k] == 0x0A && (k == 0 || bytes[k - 1] != 0x0D)) {
                line += 1
            }
            return line
        }
        rows = zip(fieldsByRow, starts.dropFirst()).map { ParsedCSV.Row(line: line(at: $1), fields: $0) }
    }
}
