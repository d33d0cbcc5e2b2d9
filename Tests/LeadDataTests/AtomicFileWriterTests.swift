import Foundation
@testable import LeadData
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

    /// A write that fails part of the way through, as on a full disk: the error names the file and the cause; the
    /// partial output is never visible in the folder, and once the writer is gone the previous file is byte for byte
    /// as it was, with nothing beside it.
    @Test func aDiskFullHalfwayLeavesThePreviousFileByteIdenticalAndNoTemporary() throws {
        let folder = TemporaryFiles.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/scores.csv"
        let previous = Data((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try previous.write(to: URL(fileURLWithPath: path))
        do {
            let writer = try AtomicFileWriter(path: path)
            // The first 4,096 bytes reach the disk; then the device is full.
            var allowed = 4096
            writer.systemWrite = { fd, bytes, count in
                guard allowed > 0 else { errno = ENOSPC; return -1 }
                let written = Foundation.write(fd, bytes, min(count, allowed))
                allowed -= written
                return written
            }
            try writer.write(Array(repeating: UInt8(ascii: "a"), count: 3000))
            #expect(throws: OutputError(file: path, message: "cannot write the file: no space left on the device")) {
                try writer.write(Array(repeating: UInt8(ascii: "b"), count: 3000))
            }
            #expect(writer.bytesWritten == 3000, "the failure came after partial output")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["scores.csv"])
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == previous)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["scores.csv"])
    }

    /// Nothing new appears in the folder until the commit, and then only the file itself.
    @Test func nothingIsVisibleBeforeTheCommit() throws {
        let folder = TemporaryFiles.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/model.json"
        let writer = try AtomicFileWriter(path: path)
        try writer.write(Array("{}".utf8))
        try writer.finish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        try writer.commit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["model.json"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{}")
    }

    @Test(arguments: [("/proc/x.json", "files cannot be created in the folder \"/proc\""),
                      ("/no/such/folder/x.csv", "the folder \"/no/such/folder\" does not exist"),
                      ("/etc/hostname/x.csv", "\"/etc/hostname\" is a file, not a folder")])
    func anUnwritablePathNamesTheRealCause(path: String, cause: String) {
        do {
            let writer = try AtomicFileWriter(path: path)
            try writer.write(Array("x".utf8))
            try writer.commit()
            Issue.record("\(path) was written")
        } catch {
            #expect(error.message.contains(cause), "\(error)")
        }
    }

    @Test func aProducerThatThrowsAfterPartialOutputLeavesThePreviousFile() throws {
        struct BadRow: Error {}
        let folder = TemporaryFiles.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/model.json"
        let previous = Data("{\"format_version\": 2}\n".utf8)
        try previous.write(to: URL(fileURLWithPath: path))
        func produce(into writer: AtomicFileWriter) throws {
            for chunk in 0..<100 {
                if chunk == 60 { throw BadRow() }
                try writer.write(Array("row \(chunk)\n".utf8))
            }
            try writer.commit()
        }
        #expect(throws: BadRow.self) { try produce(into: try AtomicFileWriter(path: path)) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == previous)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["model.json"])
    }
}
