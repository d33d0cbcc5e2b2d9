import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL cluster for the tests that read from a database: one per test process, started on first
/// use by ``shared()`` and gone when the process ends, so the suite needs PostgreSQL's programs (`sh .ci/install`)
/// but never a running system service, a password file or a database someone else uses.
///
/// The cluster lives in a fresh folder `/tmp/lspg.XXXXXX` (short, because the Unix socket's path must stay under 107
/// bytes) and listens on 127.0.0.1 and a free port. Unix-socket connections are trusted, which is how
/// ``psql(_:database:)`` sets up and inspects data; TCP connections must give ``password`` (SCRAM-SHA-256), so that
/// tests of the code under test see a real authentication, a real failure of one, and can check that the password is
/// never printed.
/// Durability is off (`fsync`, `synchronous_commit`, `full_page_writes`): nothing in it outlives the test run.
///
/// Tests run in parallel: each makes its own database with ``createDatabase(_:)`` rather than sharing one.
///
/// Every method blocks while `psql` runs; from an async test that also runs an in-process server, call them from
/// ``Blocking/run(_:)``, away from the Swift concurrency pool.
public final class PostgresCluster: Sendable {
    /// Why the cluster could not start, or what `psql` said when a command failed.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The host the server listens on for TCP connections.
    public let host = "127.0.0.1"
    /// The TCP port, free when the cluster started.
    public let port: Int
    /// The folder holding the Unix socket (`.s.PGSQL.<port>`), the data folder and the server log.
    public var socketDirectory: String { server.folder }
    /// The superuser, the only role.
    public let user = "leadscore"
    /// The superuser's password for TCP connections. Fixed and of letters and digits only, so that it needs no
    /// escaping in ``url(database:)``, and distinctive, so that a test can search any output for it.
    public let password = "Kq7vTz3mWx9pLr2sHd5n"
    /// The folder of `initdb`, `pg_ctl` and `postgres`.
    public var binDirectory: String { server.binDirectory }
    /// The `psql` the helpers run; tests that need other connection options (TCP, a password) may run it too.
    public let psqlPath: String

    /// The server's programs, folders and owner.
    private let server: Server
    private let databaseCounter = Counter()

    /// The cluster of this test process, started on the first call (by whichever test gets there first; the others
    /// wait for it) and reused afterwards. A failure to start is remembered, so every test reports it at once.
    public static func shared() throws -> PostgresCluster {
        try started.get()
    }

    /// Swift runs a static's initialiser once, and makes concurrent first readers wait for it.
    private static let started = Result { try PostgresCluster() }

    /// `postgresql://leadscore:PASSWORD@127.0.0.1:PORT/database`: a TCP connection with password authentication.
    public func url(database: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        let name = database.addingPercentEncoding(withAllowedCharacters: allowed) ?? database
        return "postgresql://\(user):\(password)@\(host):\(port)/\(name)"
    }

    /// Creates an empty database for one test and returns its name: `name` in lower case, characters other than
    /// letters, digits and `_` replaced by `_`, cut to 40 characters, and a number unique in this cluster.
    public func createDatabase(_ name: String) throws -> String {
        var base = String(name.lowercased().unicodeScalars.map {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) ? Character($0) : "_"
        }.prefix(40))
        if base.isEmpty || base.first!.isNumber { base = "db_" + base }
        let database = "\(base)_\(databaseCounter.next())"
        _ = try psql("CREATE DATABASE \(Self.identifier(database))", database: "postgres")
        return database
    }

    /// Runs `sql` (statements and psql meta-commands such as `\copy`, one script) over the Unix socket as the
    /// superuser, with `psql -X -v ON_ERROR_STOP=1 -At`: no startup file, stop at the first error, unaligned rows
    /// without headers (fields separated by `|`). Returns what psql printed; throws with its error output when a
    /// statement fails.
    @discardableResult
    public func psql(_ sql: String, database: String) throws -> String {
        let result = try Self.run(psqlPath, ["-X", "-v", "ON_ERROR_STOP=1", "-At", "-h", socketDirectory, "-p", String(port),
                                             "-U", user, "-d", database],
                                  environment: Self.clientEnvironment(), input: sql)
        guard result.status == 0 else {
            let first = sql.split(separator: "\n").first.map(String.init) ?? ""
            throw Failure(description: "psql on database \(database) failed (status \(result.status)) running "
                          + "\"\(first.prefix(80))\"...: \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return result.stdout
    }

    /// Creates the tables `contacts`, `events` and `outcomes` in `database` from `contacts.csv`, `events.csv` and
    /// `outcomes.csv` in `folder` (history mode's three files, such as `datasets/sample/`), and loads them with
    /// `\copy ... (FORMAT csv, HEADER true)`.
    ///
    /// Columns get the types a CRM database would have, so that a reader of the database meets real timestamps and
    /// numbers rather than strings. The columns history mode requires are declared, so that a bad value stops the
    /// load: `contact_id`, `event` and `outcome` as `text`, `created_at`, `timestamp` and `decided_at` as
    /// `timestamptz`. Every other column is loaded as `text` and then given the narrowest type all of its values
    /// fit: `integer` (at most 9 digits), `bigint` (at most 18), `numeric`, `timestamptz` (ISO 8601 dates and
    /// times), or left `text`; a column named `id` or ending in `_id` stays `text`, and so does an empty one. The
    /// server runs in UTC, so a date without a time is midnight UTC, as in history mode.
    public func loadSample(into database: String, folder: String) throws {
        let declared = ["contact_id": "text", "event": "text", "outcome": "text",
                        "created_at": "timestamptz", "timestamp": "timestamptz", "decided_at": "timestamptz"]
        var script = "BEGIN;\n"
        for table in ["contacts", "events", "outcomes"] {
            let path = URL(fileURLWithPath: folder).appendingPathComponent("\(table).csv").path
            guard !path.contains("'"), !path.contains("\n") else {
                throw Failure(description: "\(path): \\copy cannot read a path with a quote or a line break in it")
            }
            let columns = try Self.header(of: path)
            let definitions = columns.map { "\(Self.identifier($0)) \(declared[$0] ?? "text")" }
            script += "CREATE TABLE \(table) (\(definitions.joined(separator: ", ")));\n"
            script += "\\copy \(table) FROM '\(path)' WITH (FORMAT csv, HEADER true)\n"
            let inferred = columns.filter { declared[$0] == nil }.map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }
            if !inferred.isEmpty {
                script += "SELECT pg_temp.infer_types('\(table)', ARRAY[\(inferred.joined(separator: ", "))]);\n"
            }
        }
        script += "COMMIT;\n"
        try psql(Self.inferTypesFunction + script, database: database)
    }

    /// Ends every connection to `database` (`pg_terminate_backend`, waiting up to 5 s for each to go), for tests of
    /// what the code under test does when its connection drops. Returns how many it ended.
    @discardableResult
    public func terminateConnections(database: String) throws -> Int {
        let output = try psql("""
            SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity
            WHERE datname = \(Self.literal(database)) AND pid <> pg_backend_pid()
            """, database: "postgres")
        return Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    // MARK: Starting

    private init() throws {
        let binDirectory = try Self.findBinaries()
        let bundled = binDirectory + "/psql"
        psqlPath = FileManager.default.isExecutableFile(atPath: bundled) ? bundled : Self.which("psql") ?? bundled

        // The owner: root may not run the server, so it runs as `postgres` (or `nobody`) and owns the folder.
        var owner: passwd?
        var asOwner: [String] = []
        if getuid() == 0 {
            guard let account = getpwnam("postgres") ?? getpwnam("nobody"),
                  let runuser = ["/usr/sbin/runuser", "/sbin/runuser"].first(where: FileManager.default.isExecutableFile)
                      ?? Self.which("runuser")
            else {
                throw Failure(description: "PostgreSQL cannot run as root, and there is no `postgres` or `nobody` user "
                              + "with runuser to run it as")
            }
            owner = account.pointee
            asOwner = [runuser, "-u", String(cString: account.pointee.pw_name), "--"]
        }

        var template = Array("/tmp/lspg.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure(description: "cannot make a folder in /tmp (errno \(errno))") }
        let folder = String(cString: made)
        server = Server(binDirectory: binDirectory, folder: folder, asOwner: asOwner)
        Self.registerStop(server)
        do {
            if let owner, chown(folder, owner.pw_uid, owner.pw_gid) != 0 {
                throw Failure(description: "cannot give \(folder) to the server's user (errno \(errno))")
            }
            try server.initialise(user: user, password: password, host: host, owner: owner)
            port = try server.startOnAFreePort()
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    /// Where the server's programs and files are, and who runs them.
    private struct Server: Sendable {
        /// The folder of `initdb`, `pg_ctl` and `postgres`.
        var binDirectory: String
        /// The cluster's folder: socket, `data/`, `log`.
        var folder: String
        /// The command prefix that runs a server program as the unprivileged owner of the cluster: `runuser -u
        /// postgres --` (or `nobody`) when this process is root, which PostgreSQL refuses to run as; empty otherwise.
        var asOwner: [String]

        var dataDirectory: String { folder + "/data" }
        var logFile: String { folder + "/log" }

        /// `initdb`: the superuser `user` with `password`, trust over the socket, SCRAM over TCP, UTF-8 without
        /// locale; then the listening and fast settings appended to postgresql.conf.
        func initialise(user: String, password: String, host: String, owner: passwd?) throws {
            let passwordFile = folder + "/password"
            guard FileManager.default.createFile(atPath: passwordFile, contents: Data((password + "\n").utf8),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw Failure(description: "cannot write \(passwordFile)")
            }
            if let owner { _ = chown(passwordFile, owner.pw_uid, owner.pw_gid) }
            defer { try? FileManager.default.removeItem(atPath: passwordFile) }
            let initdb = try run("initdb", ["-D", dataDirectory, "-U", user, "--pwfile=\(passwordFile)",
                                            "--auth-local=trust", "--auth-host=scram-sha-256",
                                            "--encoding=UTF8", "--no-locale", "--no-sync", "--no-instructions"])
            guard initdb.status == 0 else {
                throw Failure(description: "initdb failed (status \(initdb.status)): \(initdb.stderr)\(initdb.stdout)")
            }
            let settings = """

                # leadscore tests: a throwaway cluster (Tests/_TestSupport/PostgresCluster.swift)
                listen_addresses = '\(host)'
                unix_socket_directories = '\(folder)'
                timezone = 'UTC'
                fsync = off
                synchronous_commit = off
                full_page_writes = off

                """
            let conf = try FileHandle(forWritingTo: URL(fileURLWithPath: dataDirectory + "/postgresql.conf"))
            defer { try? conf.close() }
            try conf.seekToEnd()
            try conf.write(contentsOf: Data(settings.utf8))
        }

        /// `pg_ctl start` on a port that was free a moment ago; another process may take it first, so a failure to
        /// bind is tried again on another port.
        func startOnAFreePort() throws -> Int {
            var lastLog = ""
            for _ in 0..<5 {
                let port = try PostgresCluster.freePort()
                try? FileManager.default.removeItem(atPath: logFile)
                let start = try run("pg_ctl", ["-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "-o", "-p \(port)", "start"])
                if start.status == 0 { return port }
                lastLog = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
                guard lastLog.contains("could not bind") || lastLog.contains("already in use") else {
                    _ = try? run("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"])
                    throw Failure(description: "pg_ctl start failed (status \(start.status)): \(start.stderr)\(start.stdout)\n"
                                  + "server log:\n\(lastLog)")
                }
            }
            throw Failure(description: "pg_ctl start found no free port in 5 tries; server log:\n\(lastLog)")
        }

        /// The shell command that stops the server at once and removes the folder; it does not fail.
        var stopCommand: String {
            (asOwner + [binDirectory + "/pg_ctl", "-D", dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"])
                .map(PostgresCluster.shellQuoted).joined(separator: " ")
                + " >/dev/null 2>&1; rm -rf " + PostgresCluster.shellQuoted(folder)
        }

        /// Runs one of the server's programs as the owner, in the cluster's folder (the owner may not be allowed into
        /// the current one), and returns its exit status and what it printed.
        ///
        /// Not with Foundation's `Process`: on Linux it learns that a child ended when the last holder of a socket it
        /// gives the child closes it, and `pg_ctl start` leaves the server holding that socket, so `waitUntilExit()`
        /// would wait for the server to stop. ``PostgresCluster/spawn(_:environment:output:newSession:)`` passes the
        /// child no descriptor but its standard ones, and `waitpid` waits for the child alone.
        private func run(_ program: String, _ arguments: [String]) throws -> Run {
            let output = folder + "/\(program).out"
            defer { try? FileManager.default.removeItem(atPath: output) }
            let command = ["/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", folder]
                + asOwner + [binDirectory + "/" + program] + arguments
            guard let pid = PostgresCluster.spawn(command, environment: PostgresCluster.clientEnvironment(), output: output) else {
                throw Failure(description: "cannot run \(binDirectory)/\(program) (errno \(errno))")
            }
            let status = PostgresCluster.waitFor(pid)
            return Run(status: status, stdout: (try? String(contentsOfFile: output, encoding: .utf8)) ?? "", stderr: "")
        }
    }

    /// The folder of PostgreSQL's server programs: `pg_config --bindir` when pg_config is on the PATH and that folder
    /// has them (Debian's /usr/bin/pg_config may belong to libpq-dev alone), else the newest /usr/lib/postgresql/*/bin.
    private static func findBinaries() throws -> String {
        var candidates: [String] = []
        if let pgConfig = which("pg_config"), let result = try? run(pgConfig, ["--bindir"]), result.status == 0 {
            candidates.append(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.sorted { (Double($0) ?? 0) > (Double($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        let found = candidates.first { folder in
            ["initdb", "pg_ctl", "postgres"].allSatisfy { FileManager.default.isExecutableFile(atPath: folder + "/" + $0) }
        }
        guard let found else {
            throw Failure(description: "PostgreSQL is not installed (no initdb, pg_ctl and postgres in pg_config --bindir "
                          + "or /usr/lib/postgresql/*/bin): run `sh .ci/install`")
        }
        return found
    }

    // MARK: Stopping

    /// Stops the cluster when the test process ends, twice over: an atexit handler for an orderly exit, and a watchdog
    /// for a crash or a kill, when atexit handlers do not run. Both are in place before `initdb` runs, so a test run
    /// killed while the cluster starts leaves nothing behind either.
    ///
    /// The watchdog is `sh`, in a session of its own (Ctrl-C on the test run does not reach it) with /dev/null for
    /// its input and output and no other descriptor of this process, so `swift test` never waits for it: it checks
    /// once a second that this process is alive, and when it is not, stops the server and removes the folder.
    /// The atexit handler stops the server with `pg_ctl stop -m immediate` (nothing is worth keeping), removes the
    /// folder, then ends the watchdog.
    private static func registerStop(_ server: Server) {
        let stop = server.stopCommand
        let folder = shellQuoted(server.folder)
        let me = getpid()
        let watch = """
            while kill -0 \(me) 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' /proc/\(me)/status; do
                [ -d \(folder) ] || exit 0
                sleep 1
            done
            \(stop)
            """
        let watchdog = spawn(["/bin/sh", "-c", watch], newSession: true)
        atExit.set(stop: stop, watchdog: watchdog)
        atexit { PostgresCluster.atExit.run() }
    }

    /// What the atexit handler does; set once, when the cluster has started.
    private static let atExit = ExitWork()

    private final class ExitWork: @unchecked Sendable {
        private let lock = NSLock()
        private var stop: String?
        private var watchdog: pid_t?

        func set(stop: String, watchdog: pid_t?) {
            lock.withLock { (self.stop, self.watchdog) = (stop, watchdog) }
        }

        /// Runs the stop command, then kills the watchdog's process group and reaps it. Plain posix_spawn and waitpid:
        /// Foundation may be partly torn down while the process exits.
        func run() {
            let (stop, watchdog) = lock.withLock { (self.stop, self.watchdog) }
            guard let stop else { return }
            if let shell = PostgresCluster.spawn(["/bin/sh", "-c", stop]) { _ = PostgresCluster.waitFor(shell) }
            if let watchdog {
                kill(-watchdog, SIGKILL)
                _ = PostgresCluster.waitFor(watchdog)
            }
        }
    }

    /// Starts `arguments` (an absolute path first) with /dev/null as its standard input, `output` (a file, created or
    /// emptied) or /dev/null as its standard output and error, no other open descriptor, default signal handling
    /// (Dispatch's threads block signals, and a child would inherit that), and with `newSession`, a session of its own,
    /// out of reach of a Ctrl-C on the test run. Returns its process id, or nil when it could not start.
    /// ``Browser`` starts chromedriver with it too.
    static func spawn(_ arguments: [String], environment: [String: String]? = nil, output: String? = nil,
                      newSession: Bool = false) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (newSession ? posixSpawnSetSID : 0)))

        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status: Int32
        if let environment {
            var envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { envp.forEach { free($0) } }
            status = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, &envp)
        } else {
            status = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        }
        guard status == 0 else { errno = status; return nil }
        return pid
    }

    /// Waits for a child started by ``spawn(_:environment:output:newSession:)``; returns its exit status, or 128 plus
    /// the signal that ended it.
    static func waitFor(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return -1 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Adds to `actions` the closing of every descriptor from 3 up: with glibc's
    /// posix_spawn_file_actions_addclosefrom_np (2.34 and later, not in Swift's view of its headers), else one by one
    /// as /proc/self/fd lists them.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            return
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            if let fd = Int32(name), fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        }
    }

    /// glibc's POSIX_SPAWN_SETSID (since 2.26), which its headers show only with _GNU_SOURCE.
    private static let posixSpawnSetSID: Int32 = 0x80

    // MARK: Helpers

    /// What `run` returns.
    fileprivate struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program and returns its exit status and what it printed; `input` is written to its standard input
    /// while both outputs are read, so that no pipe fills up.
    fileprivate static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                            directory: String? = nil, input: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try process.run()
        let errBox = DataBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        if let input {
            let writer = inPipe.fileHandleForWriting
            DispatchQueue.global().async(group: group) {
                try? writer.write(contentsOf: Data(input.utf8))
                try? writer.close()
            }
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    /// Bytes handed from the reading queue back to the caller, after `group.wait()`.
    private final class DataBox: @unchecked Sendable {
        var data = Data()
    }

    /// This process's environment without the PG* variables that would point the programs elsewhere (PGHOST,
    /// PGDATA, PGPASSWORD, ...), with C messages and UTF-8 on the client side.
    fileprivate static func clientEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["LC_ALL"] = "C"
        environment["PGCLIENTENCODING"] = "UTF8"
        environment["PGCONNECT_TIMEOUT"] = "10"
        return environment
    }

    /// The first line of a CSV file split at commas (a header has no quoted commas in practice; quotes are removed).
    private static func header(of path: String) throws -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure(description: "cannot read \(path)") }
        defer { try? handle.close() }
        let start = (try handle.read(upToCount: 65536)) ?? Data()
        var line = String(decoding: start.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        if line.hasPrefix("\u{FEFF}") { line.removeFirst() }
        if line.hasSuffix("\r") { line.removeLast() }
        let columns = line.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        guard !line.isEmpty, !columns.contains("") else { throw Failure(description: "\(path): no header line") }
        return columns
    }

    /// A PL/pgSQL function for this session only (pg_temp) that gives each named text column of a table the
    /// narrowest type all its values fit, as ``loadSample(into:folder:)`` describes.
    private static let inferTypesFunction = #"""
        CREATE FUNCTION pg_temp.infer_types(tab text, cols text[]) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            col text;
            kind text;
        BEGIN
            FOREACH col IN ARRAY cols LOOP
                CONTINUE WHEN col ~* '(^|_)id$';
                EXECUTE format($q$
                    SELECT CASE
                        WHEN count(nullif(%1$I, '')) = 0 THEN 'text'
                        WHEN bool_and(nullif(%1$I, '') ~ '^[+-]?[0-9]{1,9}$') THEN 'integer'
                        WHEN bool_and(nullif(%1$I, '') ~ '^[+-]?[0-9]{1,18}$') THEN 'bigint'
                        WHEN bool_and(nullif(%1$I, '') ~ '^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$') THEN 'numeric'
                        WHEN bool_and(nullif(%1$I, '') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$') THEN 'timestamptz'
                        ELSE 'text' END
                    FROM %2$I $q$, col, tab) INTO kind;
                IF kind <> 'text' THEN
                    EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE %s USING nullif(%I, '''')::%s',
                                   tab, col, kind, col, kind);
                END IF;
            END LOOP;
        END $$;

        """#

    /// `name` as an SQL identifier, in double quotes.
    static func identifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// `text` as an SQL string literal.
    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    /// `text` in single quotes for sh.
    static func shellQuoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The first executable called `name` on the PATH.
    private static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first(where: FileManager.default.isExecutableFile)
    }

    /// A TCP port on 127.0.0.1 that nobody listens on: bind port 0, read which port the kernel chose, release it.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "cannot bind a port on 127.0.0.1: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Numbers for database names, unique in this process and so in its cluster.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int { lock.withLock { value += 1; return value } }
    }
}
