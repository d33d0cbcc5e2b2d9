import Foundation
package import LeadData
import Logging
import NIOCore
import NIOPosix
import NIOSSL
package import PostgresNIO

/// One connection to PostgreSQL, opened with ``ConnectionSettings`` and closed by ``close()``; every failure is an
/// ``InputError`` that names the database without its password, in one line ("connection refused", "password
/// authentication failed for user", "table ... does not exist").
package final class DatabaseConnection: Sendable {
    package let settings: ConnectionSettings
    package let connection: PostgresConnection
    /// Silent: messages go through errors, not a log.
    package static let logger = Logger(label: "leadscore.database", factory: { _ in SwiftLogNoOpLogHandler() })

    private init(settings: ConnectionSettings, connection: PostgresConnection) {
        self.settings = settings
        self.connection = connection
    }

    /// Connects, and sets the session so that values read as text are read the same everywhere: times in UTC with
    /// ISO dates.
    package static func open(_ settings: ConnectionSettings) async throws(InputError) -> DatabaseConnection {
        let configuration: PostgresConnection.Configuration
        do { configuration = try settings.configuration() } catch { throw settings.failure("TLS: \(error)") }
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw settings.failure(error, connecting: true)
        }
        let opened = DatabaseConnection(settings: settings, connection: connection)
        try await opened.execute("SET TimeZone TO 'UTC'")
        try await opened.execute("SET DateStyle TO 'ISO, YMD'")
        // leadscore's statements are plain scans and aggregates, run once: compiling them costs more than it saves
        // (up to 2.6 s on 50 million events).
        try await opened.execute("SET jit TO off")
        return opened
    }

    /// Runs `sql` (with `binds`) for its effect.
    package func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) async throws(InputError) {
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: Self.logger).consume()
        } catch {
            throw settings.failure(error)
        }
    }

    /// Runs `sql` and returns its rows as text (nil for NULL): for the small queries of the catalog, whose columns must
    /// be text (`::text`), since results come in binary.
    package func rows(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) async throws(InputError) -> [[String?]] {
        do {
            var out: [[String?]] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: Self.logger) {
                out.append(row.map { cell in cell.bytes.map { String(buffer: $0) } })
            }
            return out
        } catch {
            throw settings.failure(error)
        }
    }

    package func close() async {
        try? await connection.close()
    }

    /// `"name"` with inner quotes doubled: an identifier from a source description, never spliced unquoted.
    package static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension PostgresRowSequence {
    /// Reads to the end (a statement's own rows, if any, are of no interest).
    func consume() async throws {
        for try await _ in self {}
    }
}

extension ConnectionSettings {
    /// postgres-nio's configuration: a unix socket, or TCP with TLS as `sslMode` asks.
    func configuration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketPath {
            configuration = .init(unixSocketPath: socketPath, username: user, password: password, database: database)
        } else {
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: try tls())
        }
        configuration.options.connectTimeout = .seconds(Int64(connectTimeoutSeconds))
        return configuration
    }

    private func tls() throws -> PostgresConnection.Configuration.TLS {
        switch tlsConfiguration() {
        case nil: return .disable
        case (let tls, required: false)?: return .prefer(try NIOSSLContext(configuration: tls))
        case (let tls, required: true)?: return .require(try NIOSSLContext(configuration: tls))
        }
    }

    /// The TLS that `sslMode` asks for, and whether it is required; nil for none.
    private func tlsConfiguration() -> (TLSConfiguration, required: Bool)? {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable: return nil
        case .allow, .prefer:
            tls.certificateVerification = .none
            return (tls, false)
        case .require:
            tls.certificateVerification = .none
            return (tls, true)
        case .verifyCA, .verifyFull:
            tls.certificateVerification = sslMode == .verifyCA ? .noHostnameVerification : .fullVerification
            if let sslRootCertificate { tls.trustRoots = .file(sslRootCertificate) }
            return (tls, true)
        }
    }

    /// The same settings for a pool of connections (`PostgresClient`), each of whose sessions is set up as ``DatabaseConnection/open(_:)``
    /// sets up its own: times in UTC with ISO dates (here as startup parameters, so that every new connection has them).
    func clientConfiguration(maximumConnections: Int) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketPath {
            configuration = .init(unixSocketPath: socketPath, username: user, password: password, database: database)
        } else {
            let tls: PostgresClient.Configuration.TLS = switch tlsConfiguration() {
            case nil: .disable
            case (let tls, required: false)?: .prefer(tls)
            case (let tls, required: true)?: .require(tls)
            }
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(Int64(connectTimeoutSeconds))
        configuration.options.additionalStartupParameters = [("TimeZone", "UTC"), ("DateStyle", "ISO, YMD")]
        configuration.options.minimumConnections = 1
        configuration.options.maximumConnections = max(2, maximumConnections)
        return configuration
    }

    /// An error about this database: `postgresql://user@host:port/db: message`.
    package func failure(_ message: String) -> InputError {
        InputError(file: redacted, line: nil, message: message)
    }

    /// One line for what went wrong talking to the server; `connecting` when no connection was made yet.
    package func failure(_ error: any Error, connecting: Bool = false) -> InputError {
        failure(Self.describe(error, connecting: connecting, settings: self))
    }

    static func describe(_ error: any Error, connecting: Bool, settings: ConnectionSettings) -> String {
        if let error = error as? InputError { return error.message }
        // What a COPY's writer throws when the connection is gone under it (the server ended it, the network dropped).
        if let error = error as? PostgresError, case .connectionClosed = error { return "the connection to the server was lost" }
        guard let error = error as? PSQLError else {
            return (connecting ? "cannot connect: " : "") + Self.plain(error)
        }
        if let info = error.serverInfo {
            let message = info[.message] ?? "an error"
            let state = info[.sqlState] ?? ""
            switch state {
            case "28P01", "28000": return "cannot connect: \(message)"
            case "3D000": return "cannot connect: \(message)"
            case "57P01", "57P02", "57P03": return "the server ended the connection (\(message))"
            default: return message + (info[.hint].map { " (\($0))" } ?? "")
            }
        }
        switch error.code {
        case .connectionError:
            let reason = error.underlying.map(Self.plain) ?? "no reason given"
            let place = settings.socketPath ?? "\(settings.host):\(settings.port)"
            return "cannot connect to \(place): \(reason)"
        case .sslUnsupported:
            return "cannot connect: the server does not accept TLS, and sslmode=\(settings.sslMode.rawValue) requires it"
        case .authMechanismRequiresPassword:
            return "cannot connect: the server asks for a password and none is given (in the URL, PGPASSWORD or ~/.pgpass)"
        case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return connecting ? "cannot connect: the server closed the connection" : "the connection to the server was lost"
        case .queryCancelled:
            return "the query was cancelled"
        default:
            return (connecting ? "cannot connect: " : "") + (error.underlying.map(Self.plain) ?? "\(error.code)")
        }
    }

    /// An error in plain words: "connection refused" rather than a type dump.
    private static func plain(_ error: any Error) -> String {
        if let error = error as? IOError {
            return String(cString: strerror(error.errnoCode)).lowercased()
        }
        if let error = error as? NIOConnectionError {
            let reasons = error.connectionErrors.map { plain($0.error) }
            if let first = reasons.first { return first }
            if let dns = error.dnsAAAAError ?? error.dnsAError { return "the host name does not resolve (\(dns))" }
            return "no address to connect to"
        }
        if let error = error as? ChannelError, case .connectTimeout = error { return "no answer (connect timeout)" }
        if let error = error as? NIOSSLError { return "TLS: \(error)" }
        if let error = error as? BoringSSLError { return "TLS: \(error)" }
        return String(describing: error)
    }
}
