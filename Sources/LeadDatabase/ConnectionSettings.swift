import Foundation
package import LeadData

/// Where and how to connect to PostgreSQL, read as libpq reads it, so that what works for `psql` works here: a
/// `postgresql://user:password@host:port/database?sslmode=...` URL, whose missing parts come from the `PG*`
/// environment variables (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`, `PGSSLROOTCERT`),
/// then from `~/.pgpass` for the password (or `PGPASSFILE`), then from libpq's defaults (the local socket folder,
/// port 5432, the login name).
///
/// The password is never shown: ``redacted`` is how every message names the database.
package struct ConnectionSettings: Sendable, Equatable {
    /// A host name or address, or a folder holding the server's unix socket (a path starting with `/`).
    package var host: String
    package var port: Int
    package var user: String
    package var password: String?
    package var database: String
    package var sslMode: SSLMode
    /// A file of PEM certificates to trust for `verify-ca` and `verify-full` (the system's roots when nil).
    package var sslRootCertificate: String?
    package var connectTimeoutSeconds: Int

    /// libpq's `sslmode`: whether TLS is used and what is checked.
    package enum SSLMode: String, Sendable, Equatable, CaseIterable {
        /// Plain connections only.
        case disable
        /// TLS when the server offers it, plain otherwise (libpq tries plain first; here both are read as prefer).
        case allow, prefer
        /// TLS, without checking the server's certificate.
        case require
        /// TLS with a certificate signed by a trusted authority, for any host name.
        case verifyCA = "verify-ca"
        /// TLS with a trusted certificate for the host connected to.
        case verifyFull = "verify-full"
    }

    /// The unix socket path when ``host`` is a folder.
    package var socketPath: String? { host.hasPrefix("/") ? host + "/.s.PGSQL.\(port)" : nil }

    /// `postgresql://user@host:port/database`: the settings without the password, for messages.
    package var redacted: String {
        let place = host.hasPrefix("/") ? "localhost:\(port)" : (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
        let socket = host.hasPrefix("/") ? "?host=\(host)" : ""
        return "postgresql://\(user)@\(place)/\(database)\(socket)"
    }

    /// Reads `url` (nil: the environment alone) with `environment` for what it leaves out; `name` is what errors call
    /// the setting (`--database`, a source description's path).
    package static func resolve(url: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                                name: String) throws(InputError) -> ConnectionSettings {
        func fail(_ message: String) -> InputError { InputError(file: name, line: nil, message: message) }
        var parts: [String: String] = [:]
        if let url { parts = try parse(url, fail: fail) }
        func value(_ key: String, _ variable: String) -> String? {
            if let given = parts[key], !given.isEmpty { return given }
            if let set = environment[variable], !set.isEmpty { return set }
            return nil
        }
        let user = value("user", "PGUSER") ?? NSUserName()
        let host = value("host", "PGHOST") ?? "/var/run/postgresql"
        let portText = value("port", "PGPORT") ?? "5432"
        guard let port = Int(portText), (1...65_535).contains(port) else { throw fail("the port is \(Echo.quoted(portText)), not a number from 1 to 65535") }
        let database = value("dbname", "PGDATABASE") ?? user
        let modeText = value("sslmode", "PGSSLMODE") ?? "prefer"
        guard let mode = SSLMode(rawValue: modeText) else {
            throw fail("sslmode is \(Echo.quoted(modeText)); it takes " + SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let timeoutText = value("connect_timeout", "PGCONNECT_TIMEOUT") ?? "10"
        guard let timeout = Int(timeoutText), timeout > 0 else { throw fail("connect_timeout is \(Echo.quoted(timeoutText)), not a number of seconds") }
        var settings = ConnectionSettings(host: host, port: port, user: user, password: value("password", "PGPASSWORD"), database: database,
                                          sslMode: mode, sslRootCertificate: value("sslrootcert", "PGSSLROOTCERT"), connectTimeoutSeconds: timeout)
        if settings.password == nil { settings.password = passwordFile(environment: environment, for: settings) }
        return settings
    }

    /// The parts of a `postgresql://` (or `postgres://`) URL by libpq's key names, percent-decoded.
    private static func parse(_ url: String, fail: (String) -> InputError) throws(InputError) -> [String: String] {
        let schemes = ["postgresql://", "postgres://"]
        guard let scheme = schemes.first(where: { url.hasPrefix($0) }) else {
            throw fail("the database is \(Echo.quoted(DatabaseTable.redacted(url))), not a postgresql:// URL")
        }
        var rest = Substring(url.dropFirst(scheme.count))
        var parts: [String: String] = [:]
        func decoded(_ text: Substring, _ what: String) throws(InputError) -> String {
            guard let value = String(text).removingPercentEncoding else { throw fail("the URL's \(what) has a bad %-escape") }
            return value
        }
        if let question = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: question)...].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(kv[0])
                let known = ["sslmode", "host", "port", "user", "password", "dbname", "connect_timeout", "sslrootcert", "application_name"]
                guard known.contains(key) else {
                    throw fail("the URL has the parameter \(Echo.quoted(key)), which leadscore does not know (it knows \(known.joined(separator: ", ")))")
                }
                parts[key] = try decoded(kv.count > 1 ? kv[1] : "", key)
            }
            rest = rest[..<question]
        }
        if let slash = rest.firstIndex(of: "/") {
            let name = rest[rest.index(after: slash)...]
            if !name.isEmpty, parts["dbname"] == nil { parts["dbname"] = try decoded(name, "database name") }
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                if parts["password"] == nil { parts["password"] = try decoded(userInfo[userInfo.index(after: colon)...], "password") }
                if parts["user"] == nil { parts["user"] = try decoded(userInfo[..<colon], "user name") }
            } else if !userInfo.isEmpty, parts["user"] == nil {
                parts["user"] = try decoded(userInfo, "user name")
            }
            rest = rest[rest.index(after: at)...]
        }
        if !rest.isEmpty {
            var host = rest, port: Substring?
            if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                host = rest[rest.index(after: rest.startIndex)..<close]
                let after = rest[rest.index(after: close)...]
                if after.hasPrefix(":") { port = after.dropFirst() }
            } else if let colon = rest.lastIndex(of: ":") {
                host = rest[..<colon]
                port = rest[rest.index(after: colon)...]
            }
            if parts["host"] == nil, !host.isEmpty { parts["host"] = try decoded(host, "host") }
            if let port, parts["port"] == nil { parts["port"] = String(port) }
        }
        return parts
    }

    /// The password `~/.pgpass` (or `PGPASSFILE`) gives for these settings, as libpq reads it: lines of
    /// `host:port:database:user:password`, `*` matching anything, the first match winning. A file others can read
    /// is ignored, as libpq ignores it.
    private static func passwordFile(environment: [String: String], for settings: ConnectionSettings) -> String? {
        let path = environment["PGPASSFILE"] ?? (environment["HOME"].map { $0 + "/.pgpass" } ?? "")
        var info = stat()
        guard !path.isEmpty, stat(path, &info) == 0, info.st_mode & 0o077 == 0,
              let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let host = settings.host.hasPrefix("/") ? "localhost" : settings.host
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            // Fields are separated by unescaped colons; `\:` and `\\` are a colon and a backslash.
            var fields: [String] = [], field = "", escaped = false
            for character in line {
                if escaped { field.append(character); escaped = false } else if character == "\\" { escaped = true } else if character == ":" {
                    fields.append(field); field = ""
                } else { field.append(character) }
            }
            fields.append(field)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(settings.port), settings.database, settings.user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }
}
