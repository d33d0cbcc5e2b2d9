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
        let folder = folderName(of: path)
        let base = String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        if base.isEmpty || base == "." || base == ".." {
            throw OutputError(file: path, message: "cannot write the file: the path names a folder, not a file")
        }
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let temporary = (folder == "." && !path.hasPrefix("./") ? "" : folder + "/") + ".\(base).\(suffix).tmp"

        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        if fd < 0 {
            throw OutputError(file: path, message: "cannot write the file: \(reason(errno, folder: folder))")
        }
        var isOpen = true
        var renamed = false
        defer {
            if isOpen { close(fd) }
            if !renamed { unlink(temporary) }
        }

        // Keep the permissions of the file being replaced (the new one gets the umask default otherwise).
        var old = stat()
        if stat(path, &old) == 0 && (old.st_mode & S_IFMT) == S_IFREG {
            _ = fchmod(fd, old.st_mode & 0o7777)
        }

        let writeError: Int32 = data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let count = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += count
            }
            return 0
        }
        if writeError != 0 {
            throw OutputError(file: path, message: "cannot write the file: \(reason(writeError, folder: folder))")
        }
        if fsync(fd) != 0 {
            throw OutputError(file: path, message: "cannot write the file: \(reason(errno, folder: folder))")
        }
        isOpen = false
        if close(fd) != 0 {
            throw OutputError(file: path, message: "cannot write the file: \(reason(errno, folder: folder))")
        }
        try beforeRename(temporary)
        if rename(temporary, path) != 0 {
            let code = errno
            let why = code == EISDIR || code == ENOTEMPTY || code == EEXIST
                ? "a folder with this name is in the way" : reason(code, folder: folder)
            throw OutputError(file: path, message: "cannot write the file: \(why)")
        }
        renamed = true

        // Make the rename itself durable; a failure here loses nothing already visible, so it is not an error.
        let folderFD = open(folder, O_RDONLY | O_CLOEXEC)
        if folderFD >= 0 {
            _ = fsync(folderFD)
            close(folderFD)
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
        switch code {
        case ENOENT, ENOTDIR: "the folder \"\(folder)\" does not exist"
        case EACCES, EPERM: "permission denied in the folder \"\(folder)\""
        case EROFS: "the folder \"\(folder)\" is on a read-only file system"
        case ENOSPC, EDQUOT: "no space left on the device"
        default: String(cString: strerror(code))
        }
    }
}
