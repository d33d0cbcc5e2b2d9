#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The RFC 4180 record splitter behind every CSV reader of leadscore (``CSVReader``, and ``EventReader`` on its
/// hot path): fields are slices of the read buffer, not copies.
///
/// It only finds the separators (sentinel-terminated loops, eight bytes at a time where it can, no bounds check per
/// byte) and copies a field only when it has a doubled quote to unescape. A record that straddles the end of the
/// buffer is moved to the front and scanned again after the next read, so each record is always contiguous.
///
/// The grammar, pinned by tests against a reference parser on random and mutated files read in tiny chunks: a UTF-8
/// byte order mark is skipped, empty lines are skipped, LF, CRLF and lone CR end records and count as lines (inside
/// quotes too), a quote inside an unquoted field is literal, text after a closing quote is an error (the rest of the
/// line is skipped), and a quote still open at the end of the file is an error at its line.
///
/// A record longer than ``maxRecordBytes`` or with more than ``maxFields`` fields ends the file with an error: no
/// CSV export has such records, and reading one whole (`/dev/zero`, a binary file) would take all the memory there
/// is.
final class CSVScanner {
    /// The path as given, for error messages.
    let path: String
    /// The physical line (1-based) on which the last record started.
    private(set) var recordLine = 0
    /// The number of fields of the last record.
    private(set) var fieldCount = 0

    private var descriptor: Int32
    private let chunkSize: Int
    /// `capacity + 1` bytes: the data, then a sentinel LF at `available` that stops every field loop.
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var position = 0
    private var available = 0
    /// Bytes of the file moved out of the buffer before `buffer[0]`.
    private var discarded = 0
    private var atEnd = false
    /// The producer of a piped read, asked at the end whether its rows were all there.
    private var stream: CSVStream?
    private var hasRead = false
    /// Where the last record's bytes start in the buffer (for ``recordContains(_:)``).
    private var recordStart = 0

    /// The physical line of the next unread byte, and whether the byte before it was a CR.
    private var line = 1
    private var previousWasCR = false

    /// Field `i` is `buffer[starts[i]..<ends[i]]`, or, when `starts[i] < 0`, `unescaped[~starts[i]..<ends[i]]`.
    private var starts: UnsafeMutablePointer<Int>
    private var ends: UnsafeMutablePointer<Int>
    private var fieldCapacity: Int
    /// Quoted fields with doubled quotes, unescaped.
    private var unescaped: UnsafeMutablePointer<UInt8>
    private var unescapedCapacity: Int
    private var unescapedCount = 0

    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D
    private static let quote: UInt8 = 0x22
    /// The field separator (a comma unless the format says otherwise), and the highest of it and the line ends: a byte
    /// above that ends nothing.
    private let delimiter: UInt8
    private let highestSeparator: UInt8
    /// The delimiter in every byte of a word, for the eight-bytes-at-a-time search.
    private let delimiterWord: UInt64
    /// For a single-byte encoding, each byte's UTF-8 (up to 3 bytes, length in the 4th); nil for UTF-8.
    private let transcoding: [UInt32]?
    /// Raw bytes read from the file before transcoding.
    private var raw: UnsafeMutablePointer<UInt8>?

    /// The longest record read: 1 MiB.
    static let maxRecordBytes = 1 << 20
    /// The most fields a record may have.
    static let maxFields = 10_000

    /// Opens `path`; `chunkSize` bounds each read(2) (tests make it tiny to put boundaries everywhere).
    convenience init(path: String, chunkSize: Int, format: CSVFormat = .standard) throws(InputError) {
        precondition(chunkSize > 0, "chunkSize must be positive")
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        try self.init(descriptor: fd, path: path, chunkSize: chunkSize, format: format)
    }

    /// Reads `stream`: CSV written into a pipe by a producer (a database table), named in errors by its name. At the
    /// end of the bytes, the producer's own failure (a dropped connection) is thrown rather than taken for the end.
    convenience init(stream: CSVStream, chunkSize: Int, format: CSVFormat = .standard) throws(InputError) {
        try self.init(descriptor: stream.descriptor, path: stream.name, chunkSize: chunkSize, format: format)
        self.stream = stream
    }

    private init(descriptor fd: Int32, path: String, chunkSize: Int, format: CSVFormat) throws(InputError) {
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
        self.capacity = max(chunkSize, 64)
        self.buffer = .allocate(capacity: capacity + 1)
        self.buffer[0] = Self.lf
        self.fieldCapacity = 16
        self.starts = .allocate(capacity: fieldCapacity)
        self.ends = .allocate(capacity: fieldCapacity)
        self.unescapedCapacity = 256
        self.unescaped = .allocate(capacity: unescapedCapacity)
        self.delimiter = format.delimiter
        self.highestSeparator = max(format.delimiter, Self.cr)
        self.delimiterWord = 0x0101_0101_0101_0101 &* UInt64(format.delimiter)
        self.transcoding = format.encoding == .utf8 ? nil : Self.table(format.encoding)
        if transcoding != nil { raw = .allocate(capacity: max(1, chunkSize)) }
    }

    /// The UTF-8 of each byte of a single-byte encoding: bytes 0 to 3 the code units, byte 3 the count.
    private static func table(_ encoding: CSVFormat.TextEncoding) -> [UInt32] {
        // Windows-1252's 0x80-0x9F; the rest of it, and all of Latin-1, is the code point of the same number.
        let cp1252: [UInt32] = [0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
                                0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122,
                                0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178]
        return (0..<256).map { byte -> UInt32 in
            let scalar = encoding == .windows1252 && (0x80...0x9F).contains(byte) ? cp1252[byte - 0x80] : UInt32(byte)
            let utf8 = Array(String(Character(Unicode.Scalar(scalar)!)).utf8)
            var packed = UInt32(utf8.count) << 24
            for (k, unit) in utf8.enumerated() { packed |= UInt32(unit) << (8 * k) }
            return packed
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        // A reader that stopped early (a bad row) closed the pipe: the producer stops at its next write.
        stream?.abandon()
        raw?.deallocate()
        buffer.deallocate()
        starts.deallocate()
        ends.deallocate()
        unescaped.deallocate()
    }

    /// Bytes of the file consumed so far (through the end of the last record).
    var bytesConsumed: Int { discarded + position }

    /// The bytes of field `i` (0-based) of the last record; valid until the next call to ``nextRecord()``.
    @inline(__always)
    func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(i >= 0 && i < fieldCount, "field index \(i) out of range 0..<\(fieldCount)")
        let start = starts[i]
        if start >= 0 {
            return UnsafeBufferPointer(start: buffer + start, count: ends[i] - start)
        }
        return UnsafeBufferPointer(start: unescaped + ~start, count: ends[i] - ~start)
    }

    /// Whether the raw text of the last record contains `byte` (for error hints only).
    func recordContains(_ byte: UInt8) -> Bool {
        var i = recordStart
        while i < position {
            if buffer[i] == byte { return true }
            i += 1
        }
        return false
    }

    /// Reads the next record; `false` at the end of the file.
    ///
    /// After an error about one record (text after a closing quote), the rest of its line has been consumed
    /// and the next call continues with the following line; after an unbalanced quote the file is finished.
    func nextRecord() throws(InputError) -> Bool {
        while true {
            // Empty lines before the record are consumed for good.
            while position < available {
                let b = buffer[position]
                if b == Self.lf {
                    if !previousWasCR { line += 1 }
                    previousWasCR = false
                } else if b == Self.cr {
                    line += 1
                    previousWasCR = true
                } else {
                    break
                }
                position += 1
            }
            if position == available {
                if atEnd { return false }
                try refill()
                continue
            }
            let savedLine = line
            let savedCR = previousWasCR
            if try scanRecord() { return true }
            // The record runs past the buffer: scan it again from its start once more bytes are in.
            line = savedLine
            previousWasCR = savedCR
            try refill()
        }
    }

    /// Scans one record starting at `position` (not a line end); `false`, with nothing consumed, when the
    /// buffer ends first and more of the file remains to be read.
    private func scanRecord() throws(InputError) -> Bool {
        let p = buffer
        let n = available
        let final = atEnd
        var i = position
        var count = 0
        unescapedCount = 0
        recordStart = i
        recordLine = line
        previousWasCR = false

        while true {
            if count == fieldCapacity {
                if count > Self.maxFields { throw endOfFile(Self.tooManyFields) }
                growFields()
            }
            if p[i] != Self.quote {
                // Unquoted: up to a comma or a line end, eight bytes at a time while they are in the buffer;
                // then byte by byte, where the sentinel LF at `n` stops the loop.
                let start = i
                while i &+ 8 <= n {
                    let found = separators(in: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
                    if found != 0 {
                        i &+= found.trailingZeroBitCount &>> 3
                        break
                    }
                    i &+= 8
                }
                while true {
                    let b = p[i]
                    if b <= highestSeparator && (b == delimiter || b == Self.lf || b == Self.cr) { break }
                    i &+= 1
                }
                starts[count] = start
                ends[count] = i
                count += 1
                let b = p[i]
                if b == delimiter {
                    i &+= 1
                    continue
                }
                if i == n && !final { return false }
                return try endRecord(at: i, fields: count)
            }

            // Quoted: up to a quote that is not doubled; line ends inside belong to the field.
            let quoteLine = line
            i &+= 1
            var segment = i
            var escapedStart = -1  // where this field starts in `unescaped`, once it has a doubled quote
            while true {
                let b = p[i]
                if b > Self.quote || (b != Self.quote && b != Self.lf && b != Self.cr) {
                    i &+= 1
                    continue
                }
                if b == Self.quote {
                    if i + 1 == n && !final { return false }  // a doubled quote may straddle the buffer's end
                    if p[i + 1] == Self.quote {
                        if escapedStart < 0 { escapedStart = unescapedCount }
                        appendUnescaped(p + segment, count: i + 1 - segment)
                        i &+= 2
                        segment = i
                        continue
                    }
                    break
                }
                if i == n {
                    if !final { return false }
                    position = n
                    throw InputError(
                        file: path, line: quoteLine,
                        message: "unbalanced quote: the quoted field that starts here never ends")
                }
                if b == Self.cr || p[i - 1] != Self.cr { line += 1 }
                i &+= 1
            }
            if escapedStart >= 0 {
                appendUnescaped(p + segment, count: i - segment)
                starts[count] = ~escapedStart
                ends[count] = unescapedCount
            } else {
                starts[count] = segment
                ends[count] = i
            }
            count += 1
            i &+= 1  // past the closing quote
            let b = p[i]
            if b == delimiter {
                i &+= 1
                continue
            }
            if b == Self.lf || b == Self.cr {
                if i == n && !final { return false }
                return try endRecord(at: i, fields: count)
            }
            fieldCount = count
            position = i
            try skipRestOfLine()
            throw InputError(
                file: path, line: recordLine,
                message: "unexpected character after closing quote in field \(count)")
        }
    }

    /// The high bit of each byte of `word` that may be the delimiter, LF or CR; the lowest one set always is
    /// (the classic "has zero byte" test: a false positive can only sit above a true match).
    @inline(__always)
    private func separators(in word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let c = word ^ delimiterWord
        let l = word ^ (ones &* UInt64(Self.lf))
        let r = word ^ (ones &* UInt64(Self.cr))
        return ((c &- ones) & ~c | (l &- ones) & ~l | (r &- ones) & ~r) & highs
    }

    /// Ends the record at the line end (or the end of the file) at `i`.
    @inline(__always)
    private func endRecord(at i: Int, fields count: Int) throws(InputError) -> Bool {
        if count > Self.maxFields { throw endOfFile(Self.tooManyFields) }
        fieldCount = count
        if i == available {
            position = i
            return true
        }
        line += 1
        previousWasCR = buffer[i] == Self.cr
        position = i + 1
        return true
    }

    /// Consumes bytes up to and including the next line end, ignoring quotes (to resume after a bad record).
    private func skipRestOfLine() throws(InputError) {
        while true {
            while position < available {
                let b = buffer[position]
                position += 1
                if b == Self.lf || b == Self.cr {
                    line += 1
                    previousWasCR = b == Self.cr
                    return
                }
            }
            if atEnd { return }
            try refill()
        }
    }

    /// Moves the unconsumed bytes to the front and reads more after them (growing the buffer when a single
    /// record fills it); at the end of the file sets `atEnd` instead. The first read skips a byte order mark.
    private func refill() throws(InputError) {
        if position > 0 {
            let remaining = available - position
            if remaining > 0 { buffer.update(from: buffer + position, count: remaining) }
            discarded += position
            available = remaining
            position = 0
        }
        var grew = false
        // A transcoded read needs room for three bytes of UTF-8 per byte read.
        if capacity - available < (transcoding == nil ? 1 : 3) {
            // The record being scanned fills the buffer.
            if available >= Self.maxRecordBytes { throw endOfFile(Self.tooLong) }
            grew = true
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2 + 1)
            grown.update(from: buffer, count: available)
            buffer.deallocate()
            buffer = grown
            capacity *= 2
        }
        // The first read gathers at least 3 bytes (if the file has them) so the BOM can be checked at once.
        // After growing, fill the buffer, so a record far longer than a chunk is rescanned only
        // logarithmically often.
        let wanted = !hasRead ? 3 : grew ? capacity : available + 1
        while available < wanted && !atEnd {
            let count = transcoding == nil
                ? read(descriptor, buffer + available, min(chunkSize, capacity - available))
                : readTranscoded(into: buffer + available, room: capacity - available)
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw InputError(file: path, line: nil, message: "cannot read the file: \(String(cString: strerror(code)))")
            }
            if count == 0 {
                atEnd = true
                close(descriptor)
                descriptor = -1
                try stream?.finish()
            }
            available += count
        }
        if !hasRead {
            hasRead = true
            if available >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
                position = 3
            }
        }
        buffer[available] = Self.lf
    }

    /// Reads up to a third of `room` bytes (each may become three) and writes their UTF-8 at `out`; the count
    /// written, 0 at the end of the file, or -1 with `errno` set.
    private func readTranscoded(into out: UnsafeMutablePointer<UInt8>, room: Int) -> Int {
        guard let raw, let table = transcoding else { return -1 }
        let count = read(descriptor, raw, min(chunkSize, room / 3))
        guard count > 0 else { return count }
        var written = 0
        table.withUnsafeBufferPointer { units in
            for k in 0..<count {
                let packed = units[Int(raw[k])]
                let length = Int(packed >> 24)
                out[written] = UInt8(truncatingIfNeeded: packed)
                if length > 1 { out[written + 1] = UInt8(truncatingIfNeeded: packed >> 8) }
                if length > 2 { out[written + 2] = UInt8(truncatingIfNeeded: packed >> 16) }
                written += length
            }
        }
        return written
    }

    private static let tooLong = "a record longer than \(maxRecordBytes >> 20) MiB: this does not look like a CSV file (is it the right file?)"
    private static let tooManyFields = "a record with more than \(maxFields) fields: this does not look like a CSV file (is it the right file?)"

    /// An error at the record being scanned that ends the file: what follows cannot be read as records.
    private func endOfFile(_ message: String) -> InputError {
        position = available
        atEnd = true
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        return InputError(file: path, line: recordLine, message: message)
    }

    private func appendUnescaped(_ bytes: UnsafePointer<UInt8>, count: Int) {
        if unescapedCount + count > unescapedCapacity {
            var grownCapacity = unescapedCapacity * 2
            while grownCapacity < unescapedCount + count { grownCapacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: grownCapacity)
            grown.update(from: unescaped, count: unescapedCount)
            unescaped.deallocate()
            unescaped = grown
            unescapedCapacity = grownCapacity
        }
        (unescaped + unescapedCount).update(from: bytes, count: count)
        unescapedCount += count
    }

    private func growFields() {
        let grownCapacity = fieldCapacity * 2
        let grownStarts = UnsafeMutablePointer<Int>.allocate(capacity: grownCapacity)
        let grownEnds = UnsafeMutablePointer<Int>.allocate(capacity: grownCapacity)
        grownStarts.update(from: starts, count: fieldCapacity)
        grownEnds.update(from: ends, count: fieldCapacity)
        starts.deallocate()
        ends.deallocate()
        starts = grownStarts
        ends = grownEnds
        fieldCapacity = grownCapacity
    }
}
