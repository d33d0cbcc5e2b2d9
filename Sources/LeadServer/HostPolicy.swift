import HTTPTypes
import LeadData
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which names a request may give in its `Host` header: the listen address, `localhost`, any IP address, and the
/// names given with `--allowed-host`. Anything else is refused (421), because a browser tricked by DNS rebinding
/// (a site whose name suddenly resolves to 127.0.0.1) sends its own name there, and must not read `/v1/model` or post
/// leads as if it were a local client. A request without `Host` (HTTP/1.0 tools) is let through.
struct HostPolicy: Sendable {
    /// Lowercased names allowed besides IP addresses and `localhost`.
    let names: Set<String>

    init(listenHost: String, allowed: [String]) {
        names = Set(([listenHost, "localhost"] + allowed).map { Self.normalised($0) })
    }

    func check(_ host: String?) throws(RequestError) {
        guard let host else { return }
        let name = Self.hostPart(of: host)
        if names.contains(name) || Self.isIPAddress(name) { return }
        throw RequestError(.misdirectedRequest, field: nil,
                           "this server does not answer for the host \(Echo.quoted(host, limit: 60)): it answers for \(names.sorted().joined(separator: ", ")) and IP addresses; allow the name when the server starts if it is this server's")
    }

    /// The name in a `Host` value, without port or brackets, lowercased, without a final dot.
    static func hostPart(of value: String) -> String {
        var text = Substring(value)
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            text = text[text.index(after: text.startIndex)..<close]
        } else if let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon {
            text = text[..<colon]
        }
        return normalised(String(text))
    }

    private static func normalised(_ name: String) -> String {
        var name = name.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return name
    }

    /// Whether `name` is an IPv4 or IPv6 address literal.
    static func isIPAddress(_ name: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, name, &v4) == 1 || inet_pton(AF_INET6, name, &v6) == 1
    }
}
