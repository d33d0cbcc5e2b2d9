import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a file into place atomically, for output too large to hold in memory: bytes go to a temporary file in the
/// same folder, and ``commit()`` syncs it and renames it over `path`.
///
/// Until the commit, and whenever anything fails, a previous file at `path` stays exactly as it was; a writer that is
/// dropped without a commit removes its temporary file. So a scoring run that stops at a bad row writes nothing.
/// (``AtomicFile`` does the same for data already in memory.)
public final class AtomicFileWriter {
    /// The path as the caller gave it; errors name it.
    public let path: String
    private let folder: String
    private let temporary: String
    private var fd: Int32
    private var finished = false
    /// The system call that writes bytes (`write(2)`); tests put in one that fails part of the way through.
    var systemWrite: (Int32, UnsafeRawPointer, Int) -> Int = { Foundation.write($0, $1, $2) }

    /// Creates the temporary file; fails at once, before any work, when the folder is missing or not writable.
    public init(path: String) throws(OutputError) {
        let folder = AtomicFile.folderName(of: path)
        let base = String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        if base.isEmpty || base == "." || base == ".." {
            throw OutputError(file: path, message: "cannot write the file: the path names a folder, not a file")
        }
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let temporary = (folder == "." && !path.hasPrefix("./") ? "" : folder + "/") + ".\(base).\(suffix).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        if fd < 0 {
            throw OutputError(file: path, message: "cannot write the file: \(AtomicFile.reason(errno, folder: folder))")
        }
        // Keep the permissions of the file being replaced (the new one gets the umask default otherwise).
        var old = stat()
        if stat(path, &old) == 0 && (old.st_mode & S_IFMT) == S_IFREG {
            _ = fchmod(fd, old.st_mode & 0o7777)
        }
        self.path = path
        self.folder = folder
        self.temporary = temporary
        self.fd = fd
    }

    /// Appends bytes to the temporary file.
    public func write(_ bytes: some ContiguousBytes) throws(OutputError) {
        precondition(!finished, "write after commit")
        let failure: Int32 = bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let count = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += count
            }
            return 0
        }
        if failure != 0 { throw fail(failure) }
    }

    /// Syncs the temporary file and renames it over `path`: from here on, readers see the new file.
    public func commit() throws(OutputError) {
        do { try commit(beforeRename: { _ in }) } catch let error as OutputError { throw error } catch {
            preconditionFailure("only the test hook throws other errors")
        }
    }

    /// As ``commit()``; `beforeRename` runs with the complete temporary file in place (tests make it fail).
    func commit(beforeRename: (String) throws -> Void) throws {
        precondition(!finished, "commit twice")
        if fsync(fd) != 0 { throw fail(errno) }
        let closed = close(fd)
        fd = -1
        if closed != 0 { throw fail(errno) }
        try beforeRename(temporary)
        if rename(temporary, path) != 0 {
            let code = errno
            let why = code == EISDIR || code == ENOTEMPTY || code == EEXIST
                ? "a folder with this name is in the way" : AtomicFile.reason(code, folder: folder)
            throw OutputError(file: path, message: "cannot write the file: \(why)")
        }
        finished = true
        // Make the rename itself durable; a failure here loses nothing already visible, so it is not an error.
        let folderFD = open(folder, O_RDONLY | O_CLOEXEC)
        if folderFD >= 0 {
            _ = fsync(folderFD)
            close(folderFD)
        }
    }

    /// Removes the temporary file unless the writer committed.
    deinit {
        guard !finished else { return }
        if fd >= 0 { close(fd) }
        unlink(temporary)
    }

    private func fail(_ code: Int32) -> OutputError {
        OutputError(file: path, message: "cannot write the file: \(AtomicFile.reason(code, folder: folder))")
    }
}
