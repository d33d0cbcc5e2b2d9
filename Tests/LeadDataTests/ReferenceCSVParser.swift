/// A deliberately simple whole-buffer CSV parser with the same rules as ``CSVScanner``, for comparison.
///
/// Written index by index over an array, with none of the scanner's chunking or state machine, so that
/// the two agreeing on random input is evidence that both follow the rules.
enum ReferenceCSVParser {
    enum Event: Equatable {
        case record(line: Int, fields: [[UInt8]])
        case error(line: Int, message: String)
    }

    static func parse(_ bytes: [UInt8]) -> [Event] {
        let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        let n = bytes.count
        func lineEnd(_ j: Int) -> Int? {
            guard j < n else { return nil }
            if bytes[j] == lf { return 1 }
            if bytes[j] == cr { return j + 1 < n && bytes[j + 1] == lf ? 2 : 1 }
            return nil
        }
        var events: [Event] = []
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        records: while i < n {
            if let length = lineEnd(i) {  // an empty line
                line += 1
                i += length
                continue
            }
            let start = line
            var fields: [[UInt8]] = []
            while true {
                var field: [UInt8] = []
                if i < n && bytes[i] == quote {
                    let quoteLine = line
                    i += 1
                    while true {
                        guard i < n else {
                            events.append(.error(line: quoteLine, message: "unbalanced quote: the quoted field that starts here never ends"))
                            return events
                        }
                        if bytes[i] == quote {
                            if i + 1 < n && bytes[i + 1] == quote {
                                field.append(quote)
                                i += 2
                                continue
                            }
                            i += 1
                            break
                        }
                        if let length = lineEnd(i) {
                            field += bytes[i..<(i + length)]
                            line += 1
                            i += length
                            continue
                        }
                        field.append(bytes[i])
                        i += 1
                    }
                    fields.append(field)
                    if i >= n { break }
                    if bytes[i] == comma {
                        i += 1
                        continue
                    }
                    if let length = lineEnd(i) {
                        line += 1
                        i += length
                        break
                    }
                    events.append(.error(line: start, message: "unexpected character after closing quote in field \(fields.count)"))
                    while i < n && lineEnd(i) == nil { i += 1 }
                    if let length = lineEnd(i) {
                        line += 1
                        i += length
                    }
                    continue records
                } else {
                    while i < n && bytes[i] != comma && lineEnd(i) == nil {
                        field.append(bytes[i])
                        i += 1
                    }
                    fields.append(field)
                    if i >= n { break }
                    if bytes[i] == comma {
                        i += 1
                        continue
                    }
                    line += 1
                    i += lineEnd(i)!
                    break
                }
            }
            events.append(.record(line: start, fields: fields))
        }
        return events
    }
}
