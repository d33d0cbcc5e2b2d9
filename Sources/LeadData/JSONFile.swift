import Foundation

/// Reads the JSON files leadscore keeps or people edit (model files, rules files, feature specs), with one phrasing of
/// every problem: `the file is empty`; broken syntax at `file:line:column`; `the JSON ends early at line N: the file is
/// truncated`; or a value of the wrong kind at its key path (`"events[0].points" should be a number, found a string`).
public enum JSONFile {
    /// The bytes of the file at `path`; `what` names the file in the message when it cannot be read ("the rules file").
    public static func read(path: String, what: String) throws(InputError) -> Data {
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
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, path: String) throws(InputError) -> T {
        try checkSyntax(data, path: path)
        do { return try DeterministicJSON.decoder().decode(T.self, from: data) } catch let error as DecodingError {
            throw InputError(file: path, line: nil, message: StrictDecoding.describe(error))
        } catch {
            throw InputError(file: path, line: nil, message: "\(error)")
        }
    }

    /// Throws when `data` is not one well-formed JSON value, saying where and, for a cut-off file, that it is truncated.
    public static func checkSyntax(_ data: Data, path: String) throws(InputError) {
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
