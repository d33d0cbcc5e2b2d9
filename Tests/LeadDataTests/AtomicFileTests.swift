import Foundation
@testable import LeadData
import Testing

/// Atomic writes: new contents appear whole, and a failure leaves the old file and no temporary file.
@Suite struct AtomicFileTests {
    func entries(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func writesANewFileAndReplacesAnOldOne() throws {
        let folder = TemporaryFiles.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/model.json"
        try AtomicFile.write(Data("first".utf8), to: path)
        #expect(contents(path) == "first")
        try AtomicFile.write(Data("second, longer".utf8), to: path)
        #expect(contents(path) == "second, longer")
        try AtomicFile.write(Data(), to: path)
        #expect(contents(path) == "")
        #expect(entries(folder) == ["model.json"])
    }

    @Test func keepsThePermissionsOfTheReplacedFile() throws {
        let folder = TemporaryFiles.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/model.json"
        try AtomicFile.write(Data("old".utf8), to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try AtomicFile.write(Data("new".utf8), to: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func failureBeforeTheRenameLeavesTheOldFileAndNoTemporaryFile() throws {
        struct Interrupted: Error {}
        let folder = TemporaryFiles.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/model.json"
        try AtomicFile.write(Data("good model".utf8), to: path)
        var sawTemporary: String?
        #expect(throws: Interrupted.self) {
            try AtomicFile.write(Data("half a model".utf8), to: path) { temporary in
                sawTemporary = contents(temporary)
                throw Interrupted()
            }
        }
        #expect(sawTemporary == "half a model")
        #expect(contents(path) == "good model")
        #expect(entries(folder) == ["model.json"])
    }

    @Test func missingFolderIsAClearError() {
        let folder = TemporaryFiles.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/no/such/folder/model.json"
        #expect(throws: OutputError(file: path, message: "cannot write the file: the folder \"\(folder)/no/such/folder\" does not exist")) {
            try AtomicFile.write(Data("x".utf8), to: path)
        }
        #expect(entries(folder) == [])
    }

    @Test func folderInTheWayIsAClearErrorAndLeavesNoTemporaryFile() throws {
        let folder = TemporaryFiles.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/model.json"
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        #expect(throws: OutputError(file: path, message: "cannot write the file: a folder with this name is in the way")) {
            try AtomicFile.write(Data("x".utf8), to: path)
        }
        #expect(entries(folder) == ["model.json"])
        #expect(entries(path) == ["inside"])
    }

    @Test(.enabled(if: geteuid() != 0, "root may write into read-only folders"))
    func readOnlyFolderLeavesTheOldFileIntact() throws {
        let folder = TemporaryFiles.makeFolder()
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
            try? FileManager.default.removeItem(atPath: folder)
        }
        let path = folder + "/model.json"
        try AtomicFile.write(Data("good model".utf8), to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
        #expect(throws: OutputError(file: path, message: "cannot write the file: permission denied in the folder \"\(folder)\"")) {
            try AtomicFile.write(Data("new".utf8), to: path)
        }
        #expect(contents(path) == "good model")
        #expect(entries(folder) == ["model.json"])
    }
}
