import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain HTTP/1.1 client over one loopback TCP connection (keep-alive), blocking: what a webhook sender does,
/// with nothing between the test and the server's socket. Use it from ``Blocking/run(_:)``, never on the Swift
/// concurrency pool, which the server needs.
public final class HTTPConnection {
    private let fd: Int32
    private var pending: [UInt8] = []

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Connects to 127.0.0.1:`port`; reads wait at most `timeout` seconds, so a broken server fails the test rather
    /// than hanging it.
    ///
    /// The socket becomes this connection's only once it is connected: a class whose initializer throws after its
    /// properties are set is deinitialized, so a socket closed here and again by `deinit` would close whatever the
    /// process opened under that number in between (another thread's socket: NIO stopped on the EBADF once).
    public init(port: Int, timeout: Double = 60) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed: \(errno)") }
        Self.setTimeout(timeout, on: descriptor)
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            let code = errno
            close(descriptor)
            throw Failure(description: "cannot connect to 127.0.0.1:\(port) (errno \(code))")
        }
        fd = descriptor
    }

    deinit { close(fd) }

    /// How long a read may wait, in seconds.
    public func setTimeout(_ seconds: Double) {
        Self.setTimeout(seconds, on: fd)
    }

    private static func setTimeout(_ seconds: Double, on socket: Int32) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends what it can of `bytes` without waiting on a full buffer for long; false once the connection refuses more.
    @discardableResult
    public func trySend(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) } >= 0 || errno == EAGAIN
    }

    /// Reads and drops whatever comes until the server closes the connection (true), or `seconds` pass with the
    /// connection still open (false).
    public func waitForClose(within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            setTimeout(max(0.01, deadline.timeIntervalSinceNow))
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET || errno == EPIPE }
        }
        return false
    }

    /// Whether the server has sent anything not yet read (looked at without waiting or reading it).
    public var hasDataWaiting: Bool {
        guard pending.isEmpty else { return true }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) > 0
    }

    /// Sends raw bytes (a request, or garbage).
    public func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send failed (errno \(errno))") }
            sent += n
        }
    }

    /// Sends one request and reads its response.
    public func request(_ method: String, _ path: String, body: [UInt8]? = nil, headers: [(String, String)] = [],
                        contentType: String? = "application/json") throws -> HTTPResult {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body {
            if let contentType { head += "Content-Type: \(contentType)\r\n" }
            head += "Content-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        try send(Array(head.utf8) + (body ?? []))
        return try readResponse(bodyless: method == "HEAD")
    }

    /// Reads one response: status line, headers, and a body by Content-Length or chunks; none when `bodyless` (the
    /// answer to a HEAD, whose Content-Length is the GET's).
    public func readResponse(bodyless: Bool = false) throws -> HTTPResult {
        let headEnd = try readUntil([13, 10, 13, 10])
        let head = String(decoding: pending[..<headEnd], as: UTF8.self)
        pending.removeFirst(headEnd + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line in \(head)") }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body: [UInt8] = []
        if bodyless {
        } else if let length = headers["content-length"].flatMap({ Int($0) }) {
            try fill(length)
            body = Array(pending[..<length])
            pending.removeFirst(length)
        } else if headers["transfer-encoding"]?.lowercased() == "chunked" {
            while true {
                let end = try readUntil([13, 10])
                let size = Int(String(decoding: pending[..<end], as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
                pending.removeFirst(end + 2)
                try fill(size + 2)
                body += pending[..<size]
                pending.removeFirst(size + 2)
                if size == 0 { break }
            }
        }
        return HTTPResult(status: status, headers: headers, body: body)
    }

    /// Whether the server has closed the connection (reads 0 bytes, or fails).
    public func isClosedByPeer() -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) <= 0
    }

    private func readMore() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw Failure(description: n == 0 ? "the server closed the connection" : "recv failed (errno \(errno))") }
        pending += chunk[..<n]
    }

    private func fill(_ count: Int) throws {
        while pending.count < count { try readMore() }
    }

    private func readUntil(_ marker: [UInt8]) throws -> Int {
        var from = 0
        while true {
            if pending.count >= marker.count {
                for i in from...(pending.count - marker.count) where Array(pending[i..<(i + marker.count)]) == marker { return i }
                from = pending.count - marker.count + 1
            }
            try readMore()
        }
    }
}

/// One HTTP response as read off the wire.
public struct HTTPResult: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a Foundation JSON object (dictionary, array...).
    public func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(body)) }

    /// The body as a dictionary; empty when it is something else.
    public func object() throws -> [String: Any] { try json() as? [String: Any] ?? [:] }
}

/// Runs blocking socket work on a thread of its own, away from the Swift concurrency pool that the in-process
/// server's request tasks need (on a 2-core machine the pool has 2 threads).
public enum Blocking {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// One request on a fresh connection.
    public static func request(port: Int, _ method: String, _ path: String, body: [UInt8]? = nil,
                        headers: [(String, String)] = []) async throws -> HTTPResult {
        try await run { try HTTPConnection(port: port).request(method, path, body: body, headers: headers) }
    }
}
