#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LeadData

/// An output file streamed into a temporary file in the same folder and renamed into place only when complete.
///
/// Readers see the old file or the whole new one, never a part; if the run fails, ``discard()`` (or `deinit`)
/// removes the temporary file. `LeadData.AtomicFile` does the same for contents that fit in memory.
final class StagedFile {
    /// The final path, as the caller gave it.
    let path: String
    /// Where the bytes go until ``commit()``.
    let temporaryPath: String
    private var descriptor: Int32
    private var committed = false
    /// Bytes written so far.
    private(set) var bytesWritten: Int64 = 0

    init(path: String) throws(OutputError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) + "/" } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = folder + ".\(name).\(String(UInt32.random(in: 0...UInt32.max), radix: 16)).tmp"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor < 0 {
            throw OutputError(file: path, message: "cannot write the file: \(Self.reason(errno))")
        }
    }

    deinit {
        discard()
    }

    /// Appends the contents of `buffer`.
    func write(_ buffer: ByteBuffer) throws(OutputError) {
        try check(buffer.withBytes { append($0) })
    }

    /// Appends `text` as UTF-8 (headers).
    func write(_ text: String) throws(OutputError) {
        try check(Array(text.utf8).withUnsafeBytes { append($0) })
    }

    /// Writes all of `bytes`; returns 0 or the `errno` of the failure.
    private func append(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        bytesWritten += Int64(bytes.count)
        return 0
    }

    private func check(_ failure: Int32) throws(OutputError) {
        if failure != 0 {
            throw OutputError(file: path, message: "cannot write the file: \(Self.reason(failure))")
        }
    }

    /// Makes the contents durable and closes the temporary file; ``commit()`` then renames it.
    func finish() throws(OutputError) {
        let synced = fsync(descriptor) == 0 ? 0 : errno
        let closed = close(descriptor) == 0 ? 0 : errno
        descriptor = -1
        if synced != 0 || closed != 0 {
            throw OutputError(file: path, message: "cannot write the file: \(Self.reason(synced != 0 ? synced : closed))")
        }
    }

    /// Renames the finished temporary file to ``path``, replacing what was there.
    func commit() throws(OutputError) {
        if rename(temporaryPath, path) != 0 {
            let code = errno
            let why = code == EISDIR || code == ENOTEMPTY || code == EEXIST ? "a folder with this name is in the way" : Self.reason(code)
            throw OutputError(file: path, message: "cannot write the file: \(why)")
        }
        committed = true
    }

    /// Closes and removes the temporary file unless it was committed.
    func discard() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        if !committed {
            unlink(temporaryPath)
            committed = true
        }
    }

    private static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT, ENOTDIR: "the folder does not exist"
        case EACCES, EPERM: "permission denied"
        case EROFS: "the file system is read-only"
        case ENOSPC, EDQUOT: "no space left on the device"
        default: String(cString: strerror(code))
        }
    }
}

/// The C library's `write`, out of reach of the method of the same name inside ``StagedFile``.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
