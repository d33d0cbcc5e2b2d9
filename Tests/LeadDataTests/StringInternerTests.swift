import LeadData
import Testing

/// Dense codes for byte strings: order of first appearance, stable lookups, UTF-8 checked once.
@Suite struct StringInternerTests {
    func intern(_ interner: inout StringInterner, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBufferPointer { interner.intern($0) }
    }

    @Test func codesFollowFirstAppearance() {
        var interner = StringInterner()
        let codes = ["web", "ads", "web", "", "ads", "événement", ""].map { interner.intern($0) }
        #expect(codes == [0, 1, 0, 2, 1, 3, 2])
        #expect(interner.strings == ["web", "ads", "", "événement"])
        #expect(interner.count == 4)
    }

    @Test func lookupWithoutAddingLeavesTheVocabularyAlone() {
        var interner = StringInterner()
        _ = interner.intern("web")
        #expect(interner.code(of: "web") == 0)
        #expect(interner.code(of: "ads") == nil)
        #expect(interner.count == 1)
    }

    @Test func invalidUTF8IsRefusedAndNotAdded() {
        var interner = StringInterner()
        #expect(intern(&interner, [0x43, 0x61, 0x66, 0xE9]) == nil)
        #expect(interner.count == 0)
        #expect(intern(&interner, Array("Café".utf8)) == 0)
    }

    @Test func agreesWithADictionaryOnManySimilarStrings() {
        var interner = StringInterner()
        var reference: [String: Int32] = [:]
        var random = SeededGenerator(seed: 9)
        var mismatches = 0
        for _ in 0..<50_000 {
            // Similar strings of many lengths, sharing prefixes, to exercise hashing tails and probing.
            let length = Int(random.next() % 20)
            let text = String(repeating: "ab", count: length / 2) + String(random.next() % 3000)
            let expected = reference[text] ?? Int32(reference.count)
            reference[text] = expected
            if interner.intern(text) != expected { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(interner.count == reference.count)
        #expect(reference.allSatisfy { interner.strings[Int($0.value)] == $0.key })
    }
}
