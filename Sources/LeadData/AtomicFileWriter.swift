package import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file into place atomically: the one way leadscore writes an output (models, scores, feature matrices,
/// reports, rules, generated data). Readers see the old file or the whole new one, never a part.
///
/// Bytes go to a file in the same folder that has no name yet (Linux's `O_TMPFILE`); ``commit()`` syncs it, gives it a
/// temporary name, renames that over `path`, and syncs the folder so that the rename itself is durable. Until the
/// commit nothing new is visible in the folder, so a run that fails, is interrupted, or is killed outright (SIGKILL, a
/// power cut) leaves the previous file byte for byte as it was and nothing beside it: the kernel frees a file without
/// a name when its descriptor closes.
///
/// Where the file system has no unnamed files, the bytes go to a named temporary file (`.NAME.<random>.tmp`), created
/// at the first write rather than at once, removed when the writer is dropped uncommitted, and removed on SIGINT or
/// SIGTERM before the process exits (``TemporaryOutputs``); only SIGKILL can leave it behind.
package final class AtomicFileWriter {
    /// The path as the caller gave it; errors name it.
    package let path: String
    private let folder: String
    private let base: String
    private var fd: Int32 = -1
    /// The named temporary file, once made (always at commit; from the first write where unnamed files are not
    /// supported).
    private var temporary: String?
    private var unnamed = false
    private var synced = false
    private var finished = false
    /// Bytes written so far.
    package private(set) var bytesWritten: Int64 = 0
    /// The permissions of the file being replaced, kept for the new one.
    private let mode: mode_t?
    /// The system call that writes bytes (`write(2)`); tests put in one that fails part of the way through.
    var systemWrite: (Int32, UnsafeRawPointer, Int) -> Int = { Foundation.write($0, $1, $2) }

    /// Checks that `path` can be written (its folder exists and takes files, it names no folder) and opens the unnamed
    /// file: fails at once, before any work, otherwise.
    package init(path: String) throws(OutputError) {
        let folder = AtomicFile.folderName(of: path)
        let base = String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        if base.isEmpty || base == "." || base == ".." {
            throw OutputError(file: path, message: "cannot write the file: the path names a folder, not a file")
        }
        var existing = stat()
        if stat(path, &existing) == 0, (existing.st_mode & S_IFMT) == S_IFDIR {
            throw OutputError(file: path, message: "cannot write the file: a folder with this name is in the way")
        }
        self.path = path
        self.folder = folder
        self.base = base
        mode = stat(path, &existing) == 0 && (existing.st_mode & S_IFMT) == S_IFREG ? existing.st_mode & 0o7777 : nil
        #if os(Linux)
        let descriptor = open(folder, Self.unnamedFile | O_WRONLY | O_CLOEXEC, 0o666)
        if descriptor >= 0 {
            fd = descriptor
            unnamed = true
            if let mode { _ = fchmod(fd, mode) }
            return
        }
        let code = errno
        // No unnamed files here (an older or a network file system): a named temporary file at the first write.
        guard code == EOPNOTSUPP || code == EISDIR || code == EINVAL else { throw fail(code) }
        #endif
        var info = stat()
        guard stat(folder, &info) == 0 else { throw fail(errno) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw fail(ENOTDIR) }
        guard access(folder, W_OK) == 0 else { throw fail(errno) }
    }

    /// Appends bytes.
    package func write(_ bytes: some ContiguousBytes) throws(OutputError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(OutputError) in try write(raw) } }.get()
    }

    /// Appends the bytes of `raw`.
    package func write(_ raw: UnsafeRawBufferPointer) throws(OutputError) {
        precondition(!finished && !synced, "write after finish or commit")
        if fd < 0 { try createNamed() }
        var offset = 0
        while offset < raw.count {
            let count = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw fail(errno)
            }
            offset += count
        }
        bytesWritten += Int64(raw.count)
    }

    /// Makes the contents durable, so that ``commit()`` has only the renaming left: a writer of several files
    /// finishes them all before it commits any.
    package func finish() throws(OutputError) {
        precondition(!finished, "finish after commit")
        guard !synced else { return }
        if fd < 0 { try createNamed() }
        if fsync(fd) != 0 { throw fail(errno) }
        synced = true
    }

    /// Puts the file in place: from here on, readers see the new file.
    package func commit() throws(OutputError) {
        do { try commit(beforeRename: { _ in }) } catch let error as OutputError { throw error } catch {
            preconditionFailure("only the test hook throws other errors")
        }
    }

    /// As ``commit()``; `beforeRename` runs with the complete temporary file in place (tests make it fail).
    func commit(beforeRename: (String) throws -> Void) throws {
        precondition(!finished, "commit twice")
        try finish()
        if unnamed {
            // Name the unnamed file, in the same folder, then rename that name over the target.
            let name = temporaryName()
            let link = linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, name, AT_SYMLINK_FOLLOW)
            if link != 0 { throw fail(errno) }
            temporary = name
            TemporaryOutputs.register(name)
        }
        let closed = close(fd)
        fd = -1
        if closed != 0 { throw fail(errno) }
        guard let temporary else { preconditionFailure("a finished writer has a file") }
        try beforeRename(temporary)
        if rename(temporary, path) != 0 {
            let code = errno
            let why = code == EISDIR || code == ENOTEMPTY || code == EEXIST
                ? "a folder with this name is in the way" : AtomicFile.reason(code, folder: folder)
            throw OutputError(file: path, message: "cannot write the file: \(why)")
        }
        TemporaryOutputs.unregister(temporary)
        self.temporary = nil
        finished = true
        // Make the rename itself durable; a failure here loses nothing already visible, so it is not an error.
        let folderFD = open(folder, O_RDONLY | O_CLOEXEC)
        if folderFD >= 0 {
            _ = fsync(folderFD)
            close(folderFD)
        }
    }

    /// Drops what was written, unless committed: the previous file stays as it was, and no temporary file remains.
    package func discard() {
        guard !finished else { return }
        finished = true
        if fd >= 0 { close(fd) }
        fd = -1
        if let temporary {
            unlink(temporary)
            TemporaryOutputs.unregister(temporary)
        }
    }

    deinit {
        discard()
    }

    #if os(Linux)
    /// Linux's `O_TMPFILE` (`__O_TMPFILE | O_DIRECTORY`), a macro Swift cannot import.
    private static let unnamedFile: Int32 = 0o20000000 | O_DIRECTORY
    #endif

    /// `.NAME.<random>.tmp` beside the target.
    private func temporaryName() -> String {
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return (folder == "." && !path.hasPrefix("./") ? "" : folder + "/") + ".\(base).\(suffix).tmp"
    }

    /// The named temporary file, for file systems without unnamed files.
    private func createNamed() throws(OutputError) {
        let name = temporaryName()
        let descriptor = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        if descriptor < 0 { throw fail(errno) }
        TemporaryOutputs.register(name)
        if let mode { _ = fchmod(descriptor, mode) }
        fd = descriptor
        temporary = name
    }

    private func fail(_ code: Int32) -> OutputError {
        OutputError(file: path, message: "cannot write the file: \(AtomicFile.reason(code, folder: folder))")
    }
}
