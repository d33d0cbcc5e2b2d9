import LeadData
@testable import LeadServer
import Testing

/// The request parser: strict JSON, exact numbers, and errors with an offset.
@Suite struct JSONParserTests {
    @Test func readsEveryKindOfValue() throws {
        let value = try JSONParser.parse(Array(#" {"a": [1, -2.5e3, true, false, null, "x\"\u00e9\ud83d\ude00\n"], "b": {}} "#.utf8))
        #expect(value == .object(["a": .array([.number(1), .number(-2500), .bool(true), .bool(false), .null, .string("x\"é😀\n")]), "b": .object([:])]))
    }

    @Test func numbersAreCorrectlyRounded() throws {
        #expect(try JSONParser.parse(Array("0.1".utf8)) == .number(0.1))
        #expect(try JSONParser.parse(Array("123456789012345678901234567890".utf8)) == .number(123456789012345678901234567890.0))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "+1", "NaN", "1e999", "\"\\x\"", "\"\u{1}\"", "tru",
                      "{\"a\":1,\"a\":2}", "\"\\ud800\"", "[1] 2", String(repeating: "[", count: 65) + String(repeating: "]", count: 65)])
    func refusesWhatIsNotStrictJSON(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    /// The grammar is the one that checks model and rules files (`JSONScanner`): its errors, with the byte offset.
    @Test func errorsSayWhereAndWhat() {
        func error(_ text: String) -> JSONSyntaxError? {
            do { _ = try JSONParser.parse(Array(text.utf8)); return nil } catch { return error }
        }
        #expect(error(#"{"a":1,}"#) == JSONSyntaxError(offset: 7, message: "found \"}\" where a key in double quotes should be"))
        #expect(error("[1 2]") == JSONSyntaxError(offset: 3, message: "found \"2\" where \",\" or \"]\" should be"))
        #expect(error(#"{"a": [1, "#) == JSONSyntaxError(offset: 10, message: "unexpected end of the body: a value is not complete"))
        #expect(error(#"{"a": 1, "a": 2}"#) == JSONSyntaxError(offset: 9, message: "the key \"a\" appears twice in one object"))
        #expect(error("[1e999]")?.offset == 1)
        #expect(JSONSyntax.firstProblem(in: Array("[01]".utf8)) == .unexpected(line: 1, column: 3, found: "\"1\"", expected: "\",\" or \"]\""))
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
    }
}
