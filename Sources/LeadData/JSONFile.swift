package import Foundation

/// Reads the JSON files leadscore keeps or people edit (model files, rules files, feature specs), with one phrasing of
/// every problem: `the file is empty`; broken syntax at `file:line:column`; `the JSON ends early at line N: the file is
/// truncated`; or a value of the wrong kind at its key path (`"events[0].points" should be a number, found a string`).
package enum JSONFile {
    /// The bytes of the file at `path`; `what` names the file in the message when it cannot be read ("the rules file").
    package static func read(path: String, what: String) throws(InputError) -> Data {
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            throw InputError(file: path, line: nil, message: "cannot read \(what): there is no such file")
        }
        if isFolder.boolValue { throw InputError(file: path, line: nil, message: "cannot read \(what): this is a folder") }
        do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputError(file: path, line: nil, message: "cannot read \(what) (\(error.localizedDescription))")
        }
    }

    /// `data` (the contents of `path`) decoded as `T` with the snake_case decoder of ``DeterministicJSON``.
    package static func decode<T: Decodable>(_ type: T.Type, from data: Data, path: String) throws(InputError) -> T {
        try checkSyntax(data, path: path)
        do { return try DeterministicJSON.decoder().decode(T.self, from: data) } catch let error as DecodingError {
            if isNumberThatDoesNotFit(error), let number = numberThatDoesNotFit(T.self, in: [UInt8](data)) {
                throw InputError(file: path, line: number.line, column: number.column,
                                 message: "the number \(number.text) does not fit here: this field takes a whole number, or a smaller one")
            }
            throw InputError(file: path, line: nil, message: StrictDecoding.describe(error))
        } catch {
            throw InputError(file: path, line: nil, message: "\(error)")
        }
    }

    /// Foundation's report of a well-formed number that does not fit its field (1.5 or 1e30 for a whole number): no key
    /// path, and the same words as for broken syntax, which ``checkSyntax(_:path:)`` has already ruled out.
    static func isNumberThatDoesNotFit(_ error: DecodingError) -> Bool {
        guard case .dataCorrupted(let context) = error else { return false }
        return context.codingPath.isEmpty && context.debugDescription == "The given data was not valid JSON."
    }

    /// Finds a number that does not fit, since Foundation does not say which: the candidates (fractions, exponents,
    /// long digit runs) are replaced by 0 a prefix at a time, and the shortest prefix after which decoding no longer
    /// fails that way ends with one at fault (zeroing never makes a number misfit, so a binary search finds it).
    static func numberThatDoesNotFit<T: Decodable>(_ type: T.Type, in bytes: [UInt8]) -> (line: Int, column: Int, text: String)? {
        let candidates = JSONSyntax.numbers(in: bytes).filter { range in
            range.count > 18 || bytes[range].contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        }
        func decodes(zeroing count: Int) -> Bool {
            var copy: [UInt8] = [], start = 0
            copy.reserveCapacity(bytes.count)
            for range in candidates.prefix(count) {
                copy += bytes[start..<range.lowerBound]
                copy.append(UInt8(ascii: "0"))
                start = range.upperBound
            }
            copy += bytes[start...]
            do { _ = try DeterministicJSON.decoder().decode(T.self, from: Data(copy)) } catch let error as DecodingError {
                return !isNumberThatDoesNotFit(error)
            } catch {}
            return true
        }
        guard decodes(zeroing: candidates.count) else { return nil }
        var fails = 0, passes = candidates.count
        while passes - fails > 1 {
            let middle = (fails + passes) / 2
            if decodes(zeroing: middle) { passes = middle } else { fails = middle }
        }
        let culprit = candidates[passes - 1]
        let (line, column) = JSONSyntax.position(of: culprit.lowerBound, in: bytes)
        return (line, column, String(decoding: bytes[culprit], as: UTF8.self))
    }

    /// Throws when `data` is not one well-formed JSON value, saying where and, for a cut-off file, that it is truncated.
    package static func checkSyntax(_ data: Data, path: String) throws(InputError) {
        switch JSONSyntax.firstProblem(in: data) {
        case nil:
            return
        case .empty:
            throw InputError(file: path, line: nil, message: "the file is empty")
        case .endsEarly(let line):
            throw InputError(file: path, line: nil, message: "the JSON ends early at line \(line): the file is truncated")
        case .unexpected(let line, let column, let found, let expected):
            throw InputError(file: path, line: line, column: column, message: "not JSON (found \(found) where \(expected) should be)")
        }
    }
}
