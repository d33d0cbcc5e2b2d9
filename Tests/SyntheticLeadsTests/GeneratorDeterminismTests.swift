import Foundation
import LeadData
@testable import SyntheticLeads
import Testing

/// The same options give the same bytes, whatever the number of threads; another seed gives other bytes.
@Suite struct GeneratorDeterminismTests {
    func generate(_ options: GeneratorOptions, threads: Int? = nil) throws -> [String: Data] {
        let folder = TemporaryFolder.make()
        defer { TemporaryFolder.remove(folder) }
        _ = try LeadHistoryGenerator(options: options).write(to: folder, threads: threads)
        return TemporaryFolder.contents(folder)
    }

    @Test func sameOptionsGiveIdenticalFiles() throws {
        let options = GeneratorOptions(contacts: 3_000, seed: 11)
        let first = try generate(options)
        let second = try generate(options)
        #expect(Set(first.keys) == Set(LeadHistoryGenerator.fileNames))
        #expect(first == second)
    }

    @Test func threadCountDoesNotChangeTheBytes() throws {
        // Several rounds of blocks, with a short last one.
        let options = GeneratorOptions(contacts: 9_000, seed: 5, activity: 2)
        let one = try generate(options, threads: 1)
        #expect(one == (try generate(options, threads: 2)))
        #expect(one == (try generate(options, threads: 3)))
    }

    @Test func anotherSeedGivesDifferentFiles() throws {
        let first = try generate(GeneratorOptions(contacts: 2_000, seed: 1))
        let second = try generate(GeneratorOptions(contacts: 2_000, seed: 2))
        for name in LeadHistoryGenerator.fileNames {
            #expect(first[name] != second[name], "\(name)")
        }
    }

    @Test func otherStartAndDaysShiftTheData() throws {
        let options = GeneratorOptions(contacts: 500, seed: 3, start: 1_704_067_200, days: 90)
        let files = try GeneratedFiles(options)
        for contact in files.contacts.values {
            #expect(contact.created >= options.start && contact.created < options.end)
        }
        for event in files.events {
            #expect(event.time < options.end)
        }
    }

    @Test func aMissingFolderIsAnOutputErrorAndLeavesNothing() throws {
        let folder = TemporaryFolder.make()
        defer { TemporaryFolder.remove(folder) }
        let missing = folder + "/not-there"
        #expect(throws: (any Error).self) {
            _ = try LeadHistoryGenerator(options: GeneratorOptions(contacts: 10, seed: 1)).write(to: missing)
        }
        do {
            _ = try LeadHistoryGenerator(options: GeneratorOptions(contacts: 10, seed: 1)).write(to: missing)
        } catch {
            #expect(error.file.hasPrefix(missing))
        }
        #expect(TemporaryFolder.contents(folder).isEmpty)
    }

    @Test func optionsOutOfRangeAreExplained() {
        #expect(GeneratorOptions(contacts: 0, seed: 1).problem?.contains("--contacts") == true)
        #expect(GeneratorOptions(contacts: 10, seed: 1, days: 3).problem?.contains("--days") == true)
        #expect(GeneratorOptions(contacts: 10, seed: 1, activity: 0).problem?.contains("--activity") == true)
        #expect(GeneratorOptions(contacts: 10, seed: 1, activity: .nan).problem?.contains("--activity") == true)
        #expect(GeneratorOptions(contacts: 10, seed: 1).problem == nil)
    }
}
