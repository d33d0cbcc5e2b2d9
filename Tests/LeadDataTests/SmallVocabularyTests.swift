@testable import LeadData
import Testing

/// The event-name table: codes by first appearance, exact matches only, for names of every length.
@Suite struct SmallVocabularyTests {
    @Test func findsEveryNameAndNoNearMiss() {
        var vocabulary = SmallVocabulary()
        var names: [String] = []
        for length in 0...40 {
            for variant in ["a", "b"] {
                names.append(String(repeating: "x", count: max(0, length - 1)) + (length > 0 ? variant : ""))
            }
        }
        names = Array(Set(names)).sorted()
        for (k, name) in names.enumerated() {
            var bytes = Array(name.utf8)
            #expect(bytes.withUnsafeBufferPointer { vocabulary.intern($0) } == Int32(k))
            bytes = Array(name.utf8)
            #expect(bytes.withUnsafeBufferPointer { vocabulary.code(of: $0) } == Int32(k))
        }
        #expect(vocabulary.strings == names)
        for (k, name) in names.enumerated() {
            #expect(Array(name.utf8).withUnsafeBufferPointer { vocabulary.code(of: $0) } == Int32(k))
            for near in ["y" + name.dropFirst(), name + "x" + "z", String(name.dropLast()) + "c"] where !names.contains(near) {
                #expect(Array(near.utf8).withUnsafeBufferPointer { vocabulary.code(of: $0) } == nil, "\(near)")
            }
        }
        // A change in the middle of a long name.
        let long = "pricing_page_view_from_campaign_2026"
        var changed = Array(long.utf8)
        changed[17] = UInt8(ascii: "X")
        _ = Array(long.utf8).withUnsafeBufferPointer { vocabulary.intern($0) }
        #expect(changed.withUnsafeBufferPointer { vocabulary.code(of: $0) } == nil)
    }

    @Test func invalidUTF8IsNotAdded() {
        var vocabulary = SmallVocabulary()
        #expect([UInt8(0xE9)].withUnsafeBufferPointer { vocabulary.intern($0) } == nil)
        #expect(vocabulary.count == 0)
    }
}
