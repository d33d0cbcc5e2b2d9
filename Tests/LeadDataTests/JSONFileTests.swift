import Foundation
import LeadData
import Testing

/// One phrasing for every problem in a JSON file people keep or edit: empty, broken at a line and column, cut off
/// (truncated), or a value of the wrong kind at its key path.
@Suite struct JSONFileTests {
    struct Sample: Decodable {
        var name: String?
        var points: [Double]?
        var count: Int?
    }

    func message(_ text: String) -> String? {
        do { _ = try JSONFile.decode(Sample.self, from: Data(text.utf8), path: "f.json"); return nil } catch { return error.description }
    }

    @Test(arguments: [
        ("", "f.json: the file is empty"),
        (" \n\t\n", "f.json: the file is empty"),
        (#"{"points": [1, 2"#, "f.json: the JSON ends early at line 1: the file is truncated"),
        ("{\n  \"name\": \"a\",\n  \"points\": [\n    1.5,\n", "f.json: the JSON ends early at line 5: the file is truncated"),
        (#"{"name": "unfinished"#, "f.json: the JSON ends early at line 1: the file is truncated"),
        (#"{"name": nu"#, "f.json: the JSON ends early at line 1: the file is truncated"),
        ("model,weights\n1,2\n", "f.json:1:1: not JSON (found \"m\" where a value should be)"),
        ("{\n  \"name\": \"a\",\n}", "f.json:3:1: not JSON (found \"}\" where a key in double quotes should be)"),
        (#"{"name" "a"}"#, "f.json:1:9: not JSON (found a double quote where \":\" after the key should be)"),
        (#"{"points": [1 2]}"#, "f.json:1:15: not JSON (found \"2\" where \",\" or \"]\" should be)"),
        (#"{"points": [1, -]}"#, "f.json:1:17: not JSON (found \"]\" where a digit should be)"),
        (#"{"name": "a"} x"#, "f.json:1:15: not JSON (found \"x\" where the end of the file after the value should be)"),
        ("{\"name\": \"a\nb\"}", "f.json:1:12: not JSON (found a line break where an escaped character (\\n for a line break, \\t for a tab) should be)"),
        (#"{"name": "a\x"}"#, #"f.json:1:13: not JSON (found "x" where an escape (\", \\, \/, \b, \f, \n, \r, \t or \u and four hex digits) should be)"#),
        (#"{"name": "\u00g9"}"#, #"f.json:1:15: not JSON (found "g" where an escape (\", \\, \/, \b, \f, \n, \r, \t or \u and four hex digits) should be)"#),
        (#"{"name": "é", "points": [1], "x": ñ}"#, "f.json:1:35: not JSON (found \"ñ\" where a value should be)"),
        (#"{"points": ["ten"]}"#, "f.json: \"points[0]\" should be a number, found a string"),
        (#"{"points": 3}"#, "f.json: \"points\" should be a list, found a number"),
        (#"{"name": true}"#, "f.json: \"name\" should be a string, found true or false"),
        (#"[1, 2]"#, "f.json: the file should be an object, found a list"),
        (#"{"count": 2.5}"#, "f.json:1:11: the number 2.5 does not fit here: this field takes a whole number, or a smaller one"),
        (#"{"points": [1.5, 2.5], "count": 1e30}"#, "f.json:1:33: the number 1e30 does not fit here: this field takes a whole number, or a smaller one"),
    ])
    func eachProblemHasItsMessage(text: String, expected: String) {
        #expect(message(text) == expected)
    }

    @Test func wellFormedFilesPass() throws {
        #expect(message(#"{"name": "a \"quoted\" \u00e9 name", "points": [1, -2.5e3, 0.25, 1E+2]}"#) == nil)
        #expect(message("\u{FEFF}{\"name\": null}") == nil)
        for file in ["models/leads.json", "models/sample.json", "datasets/rules/seed.json"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(JSONSyntax.firstProblem(in: data) == nil, "\(file)")
        }
    }

    /// A file cut off anywhere reads as truncated (or empty), never as valid or as some other mistake.
    @Test func everyCutOfAValidFileReadsAsTruncated() throws {
        for (file, step) in [("datasets/rules/seed.json", 1), ("models/leads.json", 211)] {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            let last = bytes.lastIndex { $0 != 0x0A && $0 != 0x20 }!
            for cut in stride(from: 0, through: last, by: step) {
                switch JSONSyntax.firstProblem(in: bytes[..<cut]) {
                case .endsEarly?, .empty?: continue
                case let other: Issue.record("\(file) cut at \(cut): \(String(describing: other))")
                }
            }
        }
    }

    @Test func deepNestingIsCheckedWithoutRecursion() {
        let open = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        #expect(JSONSyntax.firstProblem(in: open) == .endsEarly(line: 1))
        #expect(JSONSyntax.firstProblem(in: open + [UInt8](repeating: UInt8(ascii: "]"), count: 1_000_000)) == nil)
    }
}
