import Foundation
import LeadData
import Testing

/// Streaming a file into place: nothing visible until the commit, and nothing left behind without one.
@Suite struct AtomicFileWriterTests {
    @Test func replacesTheFileOnlyAtCommit() throws {
        let folder = TemporaryFiles.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/scores.csv"
        try "old\n".write(toFile: path, atomically: true, encoding: .utf8)
        let writer = try AtomicFileWriter(path: path)
        try writer.write(Array("new,".utf8))
        try writer.write(Array("rows\n".utf8))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        try writer.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new,rows\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["scores.csv"])
    }

    @Test func aWriterDroppedWithoutCommitLeavesTheOldFileAndNoTemporary() throws {
        let folder = TemporaryFiles.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/scores.csv"
        try "old\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            let writer = try AtomicFileWriter(path: path)
            try writer.write(Array("half a fi".utf8))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["scores.csv"])
    }

    @Test func aMissingFolderFailsBeforeAnyWork() {
        #expect(throws: OutputError(file: "/no/such/folder/x.csv", message: "cannot write the file: the folder \"/no/such/folder\" does not exist")) {
            _ = try AtomicFileWriter(path: "/no/such/folder/x.csv")
        }
    }
}
