#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The token file of `serve --token-file`, checked so that a mistake stops the server at start rather than leave it
/// open to other users of the machine or unusable. The file holds one token, surrounding whitespace and line ends
/// ignored. Refused, each in one line naming the file (``ServeError/unusableToken(path:message:)``): a file that
/// cannot be read, is a folder or is larger than 4 KB; a mode that lets other users read or change it (`chmod 600`);
/// no token, a token with whitespace or a character that is not printable ASCII inside, or one shorter than
/// ``minimumTokenLength``.
enum TokenFile {
    static let minimumTokenLength = 16
    static let maximumFileBytes = 4096
    private static let example = "such as the output of `openssl rand -hex 32`"

    /// The token's bytes.
    static func token(at path: String) throws(ServeError) -> [UInt8] {
        func refuse(_ message: String) -> ServeError { .unusableToken(path: path, message: message) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR: throw refuse("cannot read the token file: there is no such file")
            case EACCES, EPERM: throw refuse("cannot read the token file: permission denied")
            default: throw refuse("cannot read the token file: \(String(cString: strerror(errno)))")
            }
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw refuse("cannot read the token file: \(String(cString: strerror(errno)))") }
        if info.st_mode & 0o170000 == 0o040000 { throw refuse("cannot read the token file: this is a folder") }
        let mode = info.st_mode & 0o777
        if mode & 0o077 != 0 {
            throw refuse("other users may read or change the token file (mode \(String(mode, radix: 8))): chmod 600 \(path)")
        }
        var bytes = [UInt8](repeating: 0, count: maximumFileBytes + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes[count...].withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw refuse("cannot read the token file: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            count += n
        }
        guard count <= maximumFileBytes else {
            throw refuse("the token file is larger than \(maximumFileBytes) bytes: it holds one token, \(example)")
        }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || (0x09...0x0D).contains($0) }
        var token = bytes[..<count]
        while let first = token.first, isSpace(first) { token.removeFirst() }
        while let last = token.last, isSpace(last) { token.removeLast() }
        guard !token.isEmpty else { throw refuse("the token file is empty: put one token in it, \(example)") }
        if let bad = token.firstIndex(where: { !(0x21...0x7E).contains($0) }) {
            throw refuse("the token has whitespace or a character that is not printable ASCII inside (byte \(bad - token.startIndex + 1)): a token is one word, \(example)")
        }
        guard token.count >= minimumTokenLength else {
            throw refuse("the token is \(token.count) characters long: use at least \(minimumTokenLength), \(example)")
        }
        return Array(token)
    }
}
