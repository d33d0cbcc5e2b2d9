package import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Output files and folders: contents already in memory written through ``AtomicFileWriter``, report folders made,
/// and the reasons writing fails, phrased for a person.
package enum AtomicFile {
    /// Replaces the file at `path` with `data`, atomically; throws an ``OutputError`` naming `path` on failure.
    package static func write(_ data: Data, to path: String) throws {
        try write(data, to: path, beforeRename: { _ in })
    }

    /// Writes a report's files (name and text) into `folder`, made if missing: every file is written in full before any
    /// is renamed into place, so a failure (a full disk) leaves the previous report whole rather than half old, half new.
    package static func writeReport(_ files: [(name: String, contents: String)], into folder: String) throws {
        try makeFolder(folder)
        let writers = try files.map { file throws(OutputError) in
            try AtomicFileWriter(path: (folder as NSString).appendingPathComponent(file.name))
        }
        for (writer, file) in zip(writers, files) { try writer.write(Data(file.contents.utf8)) }
        for writer in writers { try writer.commit() }
    }

    /// As ``write(_:to:)``; `beforeRename` runs with the complete temporary file in place (tests make it fail).
    static func write(_ data: Data, to path: String, beforeRename: (String) throws -> Void) throws {
        let writer = try AtomicFileWriter(path: path)
        try writer.write(data)
        try writer.commit(beforeRename: beforeRename)
    }

    /// Creates the folder `path`, and any missing parents, for output files (`compare --report DIR`); an existing
    /// folder is fine. Throws an ``OutputError`` naming `path` when a file is in the way or the folder cannot be made.
    package static func makeFolder(_ path: String) throws(OutputError) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw OutputError(file: path, message: "cannot create the folder: a file with this name is in the way")
            }
            return
        }
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            let code = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.code
            let why = code.map { reason(Int32($0), folder: folderName(of: path)) } ?? error.localizedDescription
            throw OutputError(file: path, message: "cannot create the folder: \(why)")
        }
    }

    /// The folder part of `path`, `.` for a bare file name.
    static func folderName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// A person's reading of `errno` while writing into `folder`.
    static func reason(_ code: Int32, folder: String) -> String {
        var info = stat()
        let exists = stat(folder, &info) == 0
        let isFolder = exists && (info.st_mode & S_IFMT) == S_IFDIR
        switch code {
        case ENOENT where isFolder, EOPNOTSUPP:
            return "files cannot be created in the folder \"\(folder)\" (a special file system, such as /proc)"
        case ENOTDIR where exists && !isFolder:
            return "\"\(folder)\" is a file, not a folder"
        default:
            break
        }
        return switch code {
        case ENOENT, ENOTDIR: "the folder \"\(folder)\" does not exist"
        case EACCES, EPERM: "permission denied in the folder \"\(folder)\""
        case EROFS: "the folder \"\(folder)\" is on a read-only file system"
        case ENOSPC, EDQUOT: "no space left on the device"
        default: String(cString: strerror(code))
        }
    }
}
