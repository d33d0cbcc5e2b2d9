@testable import LeadData

/// Everything a reader produced from one file: records with their lines, or the error that stopped it.
struct ParsedCSV: Equatable, CustomStringConvertible {
    var header: [String] = []
    var records: [Row] = []
    var error: InputError?

    struct Row: Equatable {
        var line: Int
        var fields: [String]
    }

    var description: String {
        "header \(header), \(records.map { "\($0.line): \($0.fields)" }), error \(error.map(String.init(describing:)) ?? "none")"
    }

    /// Reads the whole file with ``CSVReader`` and the given chunk size, stopping at the first error.
    static func read(_ path: String, chunkSize: Int = CSVReader.defaultChunkSize) -> ParsedCSV {
        var result = ParsedCSV()
        do throws(InputError) {
            let reader = try CSVReader(path: path, chunkSize: chunkSize)
            result.header = reader.header
            while try reader.next() {
                let record = reader.record
                var fields: [String] = []
                for i in 0..<record.count { fields.append(try record.string(at: i)) }
                result.records.append(Row(line: record.line, fields: fields))
            }
        } catch {
            result.error = error
        }
        return result
    }
}
