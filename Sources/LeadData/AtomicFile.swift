import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see either the old contents or the new, never a mix: a temporary file
/// in the same folder, fsync, then rename.
///
/// A failed write (a missing folder, permissions, a full disk) leaves the old file as it was and no
/// temporary file behind, so a half-written model never replaces a good one.
public enum AtomicFile {
    /// Replaces the file at `path` with `data`, atomically; throws an ``OutputError`` naming `path` on failure.
    public static func write(_ data: Data, to path: String) throws {
        try write(data, to: path, beforeRename: { _ in })
    }

    /// As ``write(_:to:)``; `beforeRename` runs with the complete temporary file in place (tests make it fail).
    static func write(_ data: Data, to path: String, beforeRename: (String) throws -> Void) throws {
        let writer = try AtomicFileWriter(path: path)
        try writer.write(data)
        try writer.commit(beforeRename: beforeRename)
    }

    /// The folder part of `path`, `.` for a bare file name.
    static func folderName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// A person's reading of `errno` while writing into `folder`.
    static func reason(_ code: Int32, folder: String) -> String {
        switch code {
        case ENOENT, ENOTDIR: "the folder \"\(folder)\" does not exist"
        case EACCES, EPERM: "permission denied in the folder \"\(folder)\""
        case EROFS: "the folder \"\(folder)\" is on a read-only file system"
        case ENOSPC, EDQUOT: "no space left on the device"
        default: String(cString: strerror(code))
        }
    }
}
