import Foundation
import Testing

/// The README's "Errors" section quotes messages as leadscore prints them: each one must be part of a message the
/// bad-input corpus expects, so a reworded message cannot leave the README behind.
@Suite struct ReadmeErrorsTests {
    /// The first `code span` of each row of the messages table in the README's "Errors" section.
    static func quotedMessages() throws -> [String] {
        let readme = try String(contentsOf: CLI.root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "\n## Errors\n") else { return [] }
        let section = readme[start.upperBound...]
        let body = section.range(of: "\n## ").map { section[..<$0.lowerBound] } ?? section
        return body.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `") else { return nil }
            let text = line.dropFirst(3)
            return text.firstIndex(of: "`").map { String(text[..<$0]) }
        }
    }

    /// Every message the corpus expects on stderr or stdout.
    static func corpusMessages() throws -> [String] {
        try BadInputCorpusTests.cases.map { name in
            let data = try Data(contentsOf: BadInputCorpusTests.folder.appendingPathComponent("\(name)/case.json"))
            let expected = try JSONDecoder().decode(BadInputCorpusTests.Case.self, from: data)
            return (expected.stderr_contains ?? "") + "\n" + (expected.stdout_contains ?? "")
        }
    }

    @Test func everyQuotedMessageIsOneTheCorpusExpects() throws {
        let quoted = try Self.quotedMessages(), corpus = try Self.corpusMessages()
        #expect(quoted.count >= 15, "found \(quoted.count) quoted messages")
        for message in quoted {
            #expect(corpus.contains { $0.contains(message) }, "the README quotes a message no corpus case expects: \(message)")
        }
    }
}
