#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte-level RFC 4180 state machine behind ``CSVReader``: reads a file in chunks and splits it into
/// raw records, knowing nothing of headers.
///
/// It unescapes each record into a reusable ``CSVFieldBuffer`` and counts physical lines (LF, CRLF and
/// lone CR, inside quoted fields too) so that every record knows the line it starts on. Records may
/// straddle chunk boundaries anywhere, even inside a CRLF or a doubled quote.
final class CSVScanner {
    /// The path as given, for error messages.
    let path: String
    /// The fields of the record that the last successful ``nextRecord()`` produced.
    let fields: CSVFieldBuffer
    /// The physical line (1-based) on which the last record started.
    private(set) var recordLine = 0

    private var descriptor: Int32
    private let chunkSize: Int
    private let chunkCapacity: Int
    private let chunk: UnsafeMutablePointer<UInt8>
    private var position = 0
    private var available = 0
    private var hasRead = false
    private var atEnd = false

    /// The physical line of the next unread byte.
    private var line = 1
    /// Whether the last byte consumed was a CR, so that a following LF does not count as another line.
    private var previousWasCR = false
    /// The line on which the quoted field being read started, for the unbalanced-quote error.
    private var quoteLine = 0

    /// Where a record is between bytes.
    private enum State {
        case recordStart, fieldStart, unquoted, quoted, afterQuote
    }

    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D
    private static let quote: UInt8 = 0x22
    private static let comma: UInt8 = 0x2C

    /// Opens `path` for reading; nothing is read until the first ``nextRecord()``.
    /// `chunkSize` is the size of each read(2); tests make it tiny to put chunk boundaries everywhere.
    init(path: String, chunkSize: Int) throws(InputError) {
        precondition(chunkSize > 0, "chunkSize must be positive")
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            let reason: String
            switch code {
            case ENOENT: reason = "cannot open the file: it does not exist"
            case EACCES: reason = "cannot open the file: permission denied"
            default: reason = "cannot open the file: \(String(cString: strerror(code)))"
            }
            throw InputError(file: path, line: nil, message: reason)
        }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw InputError(file: path, line: nil, message: "this is a folder, not a CSV file")
        }
        self.path = path
        self.descriptor = fd
        self.chunkSize = chunkSize
        self.chunkCapacity = max(chunkSize, 3)
        self.chunk = .allocate(capacity: chunkCapacity)
        self.fields = CSVFieldBuffer(path: path, byteCapacity: min(chunkCapacity, 1 << 16))
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        chunk.deallocate()
    }

    /// Reads the next record into ``fields``; `false` at the end of the file.
    ///
    /// Empty lines are skipped. After an error about one record (text after a closing quote) the rest of
    /// that line has been consumed, so the next call continues with the following line.
    func nextRecord() throws(InputError) -> Bool {
        let out = fields
        out.removeAll()
        var state = State.recordStart
        var k = 0  // bytes written to `out` so far
        while true {
            if position == available {
                guard try refill() else { return try finishAtEndOfFile(state, written: k) }
            }
            // Unescaping never makes a field longer, so this much room lets the loops below store unchecked.
            out.byteCount = k
            out.reserve(extraBytes: available - position)
            let o = out.bytes
            let p = chunk
            let n = available
            var i = position

            scan: while i < n {
                switch state {
                case .recordStart:
                    let b = p[i]
                    if b == Self.lf {
                        if !previousWasCR { line += 1 }
                        previousWasCR = false
                        i += 1
                        continue
                    }
                    if b == Self.cr {
                        line += 1
                        previousWasCR = true
                        i += 1
                        continue
                    }
                    previousWasCR = false
                    recordLine = line
                    state = .fieldStart
                    fallthrough

                case .fieldStart:
                    if p[i] == Self.quote {
                        quoteLine = line
                        i &+= 1
                        state = .quoted
                        continue
                    }
                    state = .unquoted
                    fallthrough

                case .unquoted:
                    // Runs of unquoted fields stay in this loop; a quote inside one is kept literally (as
                    // Python's csv does).
                    while true {
                        while i < n {
                            let b = p[i]
                            if b <= Self.comma && (b == Self.comma || b == Self.lf || b == Self.cr) { break }
                            o[k] = b
                            k &+= 1
                            i &+= 1
                        }
                        if i == n { break scan }
                        let b = p[i]
                        i &+= 1
                        out.endField(at: k)
                        if b == Self.comma {
                            if i < n && p[i] != Self.quote { continue }
                            state = .fieldStart
                            continue scan
                        }
                        line += 1
                        previousWasCR = b == Self.cr
                        position = i
                        return true
                    }

                case .quoted:
                    let runStart = i
                    while i < n {
                        let b = p[i]
                        if b <= Self.quote && (b == Self.quote || b == Self.lf || b == Self.cr) { break }
                        o[k] = b
                        k &+= 1
                        i &+= 1
                    }
                    if i > runStart { previousWasCR = false }
                    if i == n { break scan }
                    let b = p[i]
                    i += 1
                    if b == Self.quote {
                        previousWasCR = false
                        state = .afterQuote
                    } else {
                        // A line end inside quotes belongs to the field and still counts as a line.
                        o[k] = b
                        k += 1
                        if b == Self.cr {
                            line += 1
                            previousWasCR = true
                        } else {
                            if !previousWasCR { line += 1 }
                            previousWasCR = false
                        }
                    }

                case .afterQuote:
                    let b = p[i]
                    i += 1
                    if b == Self.quote {
                        o[k] = Self.quote
                        k += 1
                        state = .quoted
                    } else if b == Self.comma {
                        out.endField(at: k)
                        state = .fieldStart
                    } else if b == Self.lf || b == Self.cr {
                        out.endField(at: k)
                        line += 1
                        previousWasCR = b == Self.cr
                        position = i
                        return true
                    } else {
                        let field = out.fieldCount + 1
                        out.byteCount = k
                        position = i - 1
                        try skipRestOfLine()
                        throw InputError(
                            file: path, line: recordLine,
                            message: "unexpected character after closing quote in field \(field)")
                    }
                }
            }
            position = i
        }
    }

    /// Ends the record at end of file: a last line without a line end is fine, an open quote is not.
    private func finishAtEndOfFile(_ state: State, written k: Int) throws(InputError) -> Bool {
        switch state {
        case .recordStart:
            return false
        case .fieldStart, .unquoted, .afterQuote:
            fields.endField(at: k)
            return true
        case .quoted:
            fields.byteCount = k
            throw InputError(
                file: path, line: quoteLine,
                message: "unbalanced quote: the quoted field that starts here never ends")
        }
    }

    /// Consumes bytes up to and including the next line end, ignoring quotes; used to resume after a bad record.
    private func skipRestOfLine() throws(InputError) {
        while true {
            if position == available {
                guard try refill() else { return }
            }
            let b = chunk[position]
            position += 1
            if b == Self.lf || b == Self.cr {
                line += 1
                previousWasCR = b == Self.cr
                return
            }
        }
    }

    /// Reads the next chunk; `false` at the end of the file. The first read skips a UTF-8 byte order mark.
    private func refill() throws(InputError) -> Bool {
        while !atEnd {
            position = 0
            available = 0
            // The first read gathers at least 3 bytes (if the file has them) so the BOM can be checked at once.
            let wanted = hasRead ? 1 : 3
            while available < wanted {
                let count = read(descriptor, chunk + available, min(chunkSize, chunkCapacity - available))
                if count < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    throw InputError(
                        file: path, line: nil,
                        message: "cannot read the file: \(String(cString: strerror(code)))")
                }
                if count == 0 {
                    atEnd = true
                    close(descriptor)
                    descriptor = -1
                    break
                }
                available += count
            }
            if !hasRead {
                hasRead = true
                if available >= 3 && chunk[0] == 0xEF && chunk[1] == 0xBB && chunk[2] == 0xBF {
                    position = 3
                }
            }
            if position < available { return true }
        }
        return false
    }
}
