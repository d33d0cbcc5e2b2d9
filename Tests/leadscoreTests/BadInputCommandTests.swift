import Foundation
import Testing

/// Bad input and degenerate data: a one-line cause with file and line, a documented exit status, nothing written.
@Suite struct BadInputCommandTests {
    func write(_ text: String, in folder: URL, name: String = "t.csv") throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func nonFiniteNumberNamesFileLineAndColumn() throws {
        let folder = try CLI.temporaryFolder()
        let table = try write("id,x,y\n1,0.5,1\n2,NaN,0\n3,1.5,1\n", in: folder)
        let run = try CLI.run(["train", "--table", table, "--label", "y", "--id", "id", "--out", folder.appendingPathComponent("m.json").path])
        #expect(run.status == 1)
        #expect(run.stderr == "leadscore: error: \(table):3: column \"x\": NaN is not a usable number\n")
    }

    @Test func oneClassIsExplained() throws {
        let folder = try CLI.temporaryFolder()
        let table = try write("x,y\n1,won\n2,won\n3,won\n", in: folder)
        let run = try CLI.run(["train", "--table", table, "--label", "y", "--out", folder.appendingPathComponent("m.json").path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("every one of the 3 training rows is won (1)"))
    }

    @Test func unknownLabelValuesAskForPositive() throws {
        let folder = try CLI.temporaryFolder()
        let table = try write("x,y\n1,hot\n2,cold\n3,hot\n", in: folder)
        let run = try CLI.run(["train", "--table", table, "--label", "y", "--out", folder.appendingPathComponent("m.json").path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("--positive VALUE"))
    }

    @Test func missingLabelColumnListsTheHeader() throws {
        let folder = try CLI.temporaryFolder()
        let table = try write("x,y\n1,1\n2,0\n", in: folder)
        let run = try CLI.run(["train", "--table", table, "--label", "converted", "--out", folder.appendingPathComponent("m.json").path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("missing column \"converted\""))
    }

    @Test func separableDataWithoutPenaltyIsRefusedAndThePreviousModelSurvives() throws {
        let folder = try CLI.temporaryFolder()
        let model = folder.appendingPathComponent("m.json").path
        try Data("previous model\n".utf8).write(to: URL(fileURLWithPath: model))
        let table = try write("x,y\n1,0\n2,0\n3,0\n4,1\n5,1\n6,1\n", in: folder)
        let run = try CLI.run(["train", "--table", table, "--label", "y", "--l2", "0", "--out", model])
        #expect(run.status == 2)
        #expect(run.stderr.contains("perfectly separable"))
        #expect(try String(contentsOfFile: model, encoding: .utf8) == "previous model\n")
    }

    @Test func constantAndDuplicateColumnsAreDroppedAndReported() throws {
        let folder = try CLI.temporaryFolder()
        var rows = ["a,flat,twin,y"]
        for i in 0..<40 { rows.append("\(i % 7),3,\(i % 7),\(i % 3 == 0 ? 1 : 0)") }
        let table = try write(rows.joined(separator: "\n") + "\n", in: folder)
        let run = try CLI.run(["train", "--table", table, "--label", "y", "--out", folder.appendingPathComponent("m.json").path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"flat\" dropped: the same value in every row"))
        #expect(run.stdout.contains("\"twin\" dropped: identical to (or the exact opposite of) \"a\""))
    }

    @Test func badL2IsAUsageError() throws {
        let run = try CLI.run(["train", "--table", "x.csv", "--label", "y", "--l2", "lots", "--out", "/tmp/never.json"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--l2 takes a number >= 0 or `auto`"))
    }

    @Test func modelOfAnotherFormatVersionIsRejected() throws {
        let folder = try CLI.temporaryFolder()
        let model = try write("{\"format_version\": 99}\n", in: folder, name: "m.json")
        let run = try CLI.run(["explain", "--model", model])
        #expect(run.status == 1)
        #expect(run.stderr.contains("format_version is 99"))
        let truncated = try write("{\"format_version\": 1, \"fit\": {", in: folder, name: "t.json")
        #expect(try CLI.run(["explain", "--model", truncated]).stderr.contains("truncated"))
    }
}

extension BadInputCommandTests {
    @Test func skipBadRowsIsRefusedInTableModeRatherThanIgnored() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let table = try write("x,y\n1,1\nNaN,0\n3,1\n", in: folder)
        let model = folder.appendingPathComponent("m.json").path
        let run = try CLI.run(["train", "--table", table, "--label", "y", "--skip-bad-rows", "--out", model])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--skip-bad-rows applies to history input"))
        #expect(!FileManager.default.fileExists(atPath: model))
    }
}
