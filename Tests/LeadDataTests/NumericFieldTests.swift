import Foundation
import LeadData
import Testing

/// Strict number parsing: what counts as a number, a missing value, a non-finite value or text.
@Suite struct NumericFieldTests {
    @Test("finite spellings parse to their value", arguments: [
        ("1", 1.0), ("-1.5e-3", -0.0015), (".5", 0.5), ("5.", 5.0), (" 7 ", 7.0), ("+3", 3.0), ("0", 0.0),
        ("-0", -0.0), ("1E3", 1000.0), ("2.5e+2", 250.0), ("007", 7.0), ("0.1", 0.1), ("123456789012345678", 123456789012345678.0),
        ("1e-999", 0.0), ("4.9e-324", Double.leastNonzeroMagnitude), ("1.7976931348623157e308", 1.7976931348623157e308), ("  -.25e1", -2.5),
        ("9007199254740993", 9007199254740992.0), ("0.30000000000000004", 0.30000000000000004),
    ])
    func finiteSpellingsParse(text: String, expected: Double) {
        #expect(NumericField.parse(text) == .value(expected))
    }

    @Test("NaN, infinities and overflow are non-finite, keeping the text", arguments: [
        ("1e999", "1e999"), ("-1e999", "-1e999"), ("nan", "nan"), ("NaN", "NaN"), ("-Inf", "-Inf"), ("inf", "inf"),
        ("Infinity", "Infinity"), ("+INFINITY", "+INFINITY"), (" NAN ", "NAN"), ("1.8e308", "1.8e308"),
    ])
    func nonFiniteSpellingsAreFlagged(text: String, expected: String) {
        #expect(NumericField.parse(text) == .nonFinite(expected))
    }

    @Test("anything else is not numeric", arguments: [
        "0x10", "1,000", "abc", "1.2.3", "1e", "1e+", "e5", ".", "+", "-", "1 2", "12abc", "$5", "5%", "١", "infinit", "nanx",
        "1_000", "--1", "1e5.5", "\t1", "\"1\"",
    ])
    func otherTextIsNotNumeric(text: String) {
        #expect(NumericField.parse(text) == .notNumeric)
    }

    @Test("empty and space-only fields are missing", arguments: ["", " ", "    "])
    func emptyIsMissing(text: String) {
        #expect(NumericField.parse(text) == .missing)
    }

    @Test func bytesAndStringsParseAlike() {
        let bytes = Array(" -12.5e1 ".utf8)
        let parsed = bytes.withUnsafeBufferPointer { NumericField.parse($0) }
        #expect(parsed == .value(-125))
        #expect(NumericField.parse(UnsafeBufferPointer<UInt8>(start: nil, count: 0)) == .missing)
    }

    @Test func resultsAreCorrectlyRoundedLikeStrtod() {
        var random = SeededGenerator(seed: 42)
        for _ in 0..<20_000 {
            let digits = 1 + Int(random.next() % 22)
            var text = (0..<digits).map { _ in String(random.next() % 10) }.joined()
            if random.next() % 2 == 0 {
                let point = Int(random.next() % UInt64(digits + 1))
                text.insert(".", at: text.index(text.startIndex, offsetBy: point))
                if text == "." { text = "0." }
            }
            if random.next() % 3 == 0 { text += "e\(Int(random.next() % 80) - 40)" }
            if random.next() % 4 == 0 { text = "-" + text }
            let expected = strtod(text, nil)
            #expect(NumericField.parse(text) == .value(expected), "\(text)")
        }
    }
}
