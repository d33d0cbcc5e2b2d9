public import Foundation  // Data, in screenshot()'s result
#if canImport(Glibc)
import Glibc
#endif

/// A real headless Chromium driven over WebDriver, for tests of the server's web page: open a page, fill a form,
/// click, read text, check that nothing was logged as an error, take a screenshot, run axe-core, at a phone's width
/// or a desktop's.
///
/// Each `Browser` starts a `chromedriver` of its own (a free loopback port) and one session in it, so tests running in
/// parallel share nothing; ``close()`` (also run by `deinit`) ends the session and stops chromedriver and every
/// Chromium process. Chromium and chromedriver come from Debian's `chromium` and `chromium-driver`
/// (`sh .ci/install`); ``init(width:)`` throws a ``Failure`` saying so when they are missing.
///
/// Every method blocks until WebDriver answers, like ``HTTPConnection``: call them from a thread of their own, never
/// on the Swift concurrency pool, which an in-process server under test needs. ``run(width:_:)`` does both: a thread
/// from ``Blocking/run(_:)``, and a browser closed however the work ends:
///
/// ```swift
/// let heading = try await Browser.run(width: .phone) { browser in
///     try browser.open("http://127.0.0.1:\(port)/")
///     return try browser.text("h1")
/// }
/// ```
///
/// One thread at a time may use a browser. Every failure is a ``Failure`` of one line naming what was asked (the
/// selector, the URL) and what WebDriver answered (its `error` and the first line of its `message`).
///
/// Processes are not left behind when the test process ends without closing a browser: an `atexit` handler stops
/// every browser still open, and a watchdog per browser (`sh`, in a session of its own) kills chromedriver's process
/// group, which holds Chromium's processes too, when the test process dies without running it (a crash, a kill).
/// That is ``PostgresCluster``'s way, whose process helpers this file uses.
public final class Browser: @unchecked Sendable {
    /// The viewport a browser is made with.
    public enum Width: Sendable, CustomStringConvertible {
        /// 390 x 844 CSS pixels at a device pixel ratio of 1, with touch (Chrome's mobile emulation): an iPhone's
        /// width. Emulated because Chromium clamps a window narrower than 500 pixels.
        case phone
        /// A 1280 x 900 window: the page is 1280 wide and, less the window's frame, 813 high (Chromium 156).
        case desktop

        /// The page's width in CSS pixels (`window.innerWidth`), which is also a screenshot's width in pixels.
        public var pixels: Int {
            switch self {
            case .phone: 390
            case .desktop: 1280
            }
        }

        public var description: String {
            switch self {
            case .phone: "phone"
            case .desktop: "desktop"
            }
        }
    }

    /// What went wrong, in one line.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// What WebDriver calls an element in JSON: an object with this key and the element's id.
    public static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    /// `elementID` (from ``element(_:)``) as an argument of ``execute(_:_:)``, where the script sees the DOM element.
    public static func reference(_ elementID: String) -> [String: String] { [elementKey: elementID] }

    /// The width this browser was made with.
    public let width: Width
    /// chromedriver's process id (Chromium's processes are in its process group); for tests of this harness.
    public var driverProcessID: Int32 { driver.pid }
    /// The process id of Chromium's browser process, as chromedriver reported it; for tests of this harness.
    public let browserProcessID: Int32?

    private let driver: Driver
    private let lock = NSLock()
    /// The session's id; nil once closed.
    private var session: String?

    /// Starts chromedriver and a new headless Chromium session at `width`; the session's timeouts are 30 s for a page
    /// load and for a script. Takes 0.7-0.8 s on an idle 2-core machine (and ``close()`` 0.5 s).
    public init(width: Width) throws {
        let driver = try Driver.start()
        let started: (id: String, processID: pid_t?)
        do {
            started = try Self.newSession(port: driver.port, width: width, profile: driver.folder + "/profile")
        } catch {
            driver.stop()
            throw error
        }
        self.width = width
        self.driver = driver
        session = started.id
        browserProcessID = started.processID
    }

    deinit { close() }

    /// Runs `body` with a new browser on a thread of its own (``Blocking/run(_:)``), and closes the browser when
    /// `body` returns or throws.
    public static func run<T: Sendable>(width: Width, _ body: @escaping @Sendable (Browser) throws -> T) async throws -> T {
        try await Blocking.run {
            let browser = try Browser(width: width)
            defer { browser.close() }
            return try body(browser)
        }
    }

    /// Ends the session (Chromium quits), stops chromedriver, kills whatever is left in its process group, waits for
    /// it, and removes the browser's temporary folder (profile and log). Safe to call more than once; the browser
    /// cannot be used afterwards.
    public func close() {
        let session: String? = lock.withLock {
            defer { self.session = nil }
            return self.session
        }
        guard !driver.isStopped else { return }
        if let session {
            _ = try? Self.send(port: driver.port, "DELETE", "/session/\(session)", nil, timeout: 20)
        }
        driver.stop()
    }

    // MARK: Navigation

    /// Opens `url` and waits for the page to load (its `load` event), at most 30 s.
    public func open(_ url: String) throws {
        try command("POST", "/url", ["url": url], asked: "open(\(Self.quoted(url)))")
    }

    /// The page's title.
    public var title: String {
        get throws { try command("GET", "/title", asked: "title") as? String ?? "" }
    }

    /// The URL of the page now shown (after redirects, or a script's navigation).
    public var currentURL: String {
        get throws { try command("GET", "/url", asked: "currentURL") as? String ?? "" }
    }

    // MARK: Elements

    /// The WebDriver id of the first element `css` matches; throws naming the selector when none does.
    public func element(_ css: String) throws -> String {
        try find(css, asked: "element(\(Self.quoted(css)))")
    }

    /// The WebDriver ids of every element `css` matches, in document order; empty when none does.
    public func elements(_ css: String) throws -> [String] {
        let found = try command("POST", "/elements", ["using": "css selector", "value": css], asked: "elements(\(Self.quoted(css)))")
        return (found as? [[String: Any]] ?? []).compactMap { $0[Self.elementKey] as? String }
    }

    /// Waits until `css` matches an element (present in the document, not necessarily visible), checking every
    /// 100 ms; throws when `timeout` seconds pass first.
    public func waitFor(_ css: String, timeout: Double = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try elements(css).isEmpty {
            guard Date() < deadline else {
                throw Failure(description: "waitFor(\(Self.quoted(css))): nothing matched within \(Self.seconds(timeout))")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// Clears the field `css` matches, then types `text` into it as keystrokes (so `input` and `change` events fire).
    public func type(_ text: String, into css: String) throws {
        let asked = "type(\(Self.quoted(text)), into: \(Self.quoted(css)))"
        let id = try find(css, asked: asked)
        try command("POST", "/element/\(id)/clear", [:], asked: asked)
        try command("POST", "/element/\(id)/value", ["text": text], asked: asked)
    }

    /// Selects the option whose value is `value` in the `<select>` that `css` matches, and fires `input` and `change`
    /// as a user's choice does. Done by script: a native select's popup is not part of the page.
    public func select(_ value: String, in css: String) throws {
        let asked = "select(\(Self.quoted(value)), in: \(Self.quoted(css)))"
        let id = try find(css, asked: asked)
        let script = """
            const select = arguments[0], value = arguments[1];
            if (select.tagName !== 'SELECT') return 'it is a <' + select.tagName.toLowerCase() + '>, not a <select>';
            const values = Array.from(select.options, o => o.value);
            if (!values.includes(value)) return 'no option has that value (values: ' + values.map(v => JSON.stringify(v)).join(', ') + ')';
            select.value = value;
            select.dispatchEvent(new Event('input', {bubbles: true}));
            select.dispatchEvent(new Event('change', {bubbles: true}));
            return null;
            """
        if let problem = try command("POST", "/execute/sync", ["script": script, "args": [Self.reference(id), value]], asked: asked) as? String {
            throw Failure(description: "\(asked): \(problem)")
        }
    }

    /// Clicks the middle of the element `css` matches, as a user does: it is scrolled into view first, and WebDriver
    /// refuses (`element click intercepted`, `element not interactable`) when something covers it or it is hidden.
    public func click(_ css: String) throws {
        let asked = "click(\(Self.quoted(css)))"
        let id = try find(css, asked: asked)
        try command("POST", "/element/\(id)/click", [:], asked: asked)
    }

    /// The rendered text of the element `css` matches, as a user sees it: hidden parts left out, whitespace as laid out.
    public func text(_ css: String) throws -> String {
        let asked = "text(\(Self.quoted(css)))"
        let id = try find(css, asked: asked)
        return try command("GET", "/element/\(id)/text", asked: asked) as? String ?? ""
    }

    /// The attribute `name` of the element `css` matches as the document has it now (the markup, or what a script
    /// set), or nil when it has none. Not what a user typed: that is the `value` ``property(_:of:)``.
    public func attribute(_ name: String, of css: String) throws -> String? {
        let asked = "attribute(\(Self.quoted(name)), of: \(Self.quoted(css)))"
        let id = try find(css, asked: asked)
        let value = try command("GET", "/element/\(id)/attribute/\(Self.pathComponent(name))", asked: asked)
        return value.map { $0 as? String ?? "\($0)" }
    }

    /// The DOM property `name` of the element `css` matches (`value`: what is in a field now; `checked`; `disabled`),
    /// JSON-decoded as ``execute(_:_:)`` decodes; nil for `null` and `undefined`.
    public func property(_ name: String, of css: String) throws -> Any? {
        let asked = "property(\(Self.quoted(name)), of: \(Self.quoted(css)))"
        let id = try find(css, asked: asked)
        return try command("GET", "/element/\(id)/property/\(Self.pathComponent(name))", asked: asked)
    }

    // MARK: Scripts

    /// Runs `script` as the body of a function in the page, with `args` as `arguments` (JSON values, or
    /// ``reference(_:)``s to elements), and returns what it returns, JSON-decoded: `String`, numbers (as `Int` or
    /// `Double` through `NSNumber`), `Bool`, arrays, dictionaries; nil for `null` and `undefined`. A script that throws
    /// is a ``Failure`` with its message.
    @discardableResult
    public func execute(_ script: String, _ args: [Any] = []) throws -> Any? {
        try command("POST", "/execute/sync", ["script": script, "args": args], asked: "execute(\(Self.quoted(script)))")
    }

    /// Like ``execute(_:_:)``, but the script ends by calling its last argument with the result (for promises:
    /// `arguments[arguments.length - 1]`), at most 30 s after it starts.
    @discardableResult
    public func executeAsync(_ script: String, _ args: [Any] = []) throws -> Any? {
        try command("POST", "/execute/async", ["script": script, "args": args], asked: "executeAsync(\(Self.quoted(script)))")
    }

    // MARK: Checks

    /// The messages the page logged at level SEVERE since the last call (or since the browser started): calls of
    /// `console.error`, uncaught exceptions, resources that failed to load (a missing favicon too: give the page
    /// `<link rel="icon" href="data:,">` or serve one). Reading empties the log.
    public func consoleErrors() throws -> [String] {
        let asked = "consoleErrors()"
        let entries: Any?
        do {
            entries = try command("POST", "/se/log", ["type": "browser"], asked: asked)
        } catch let failure as Failure where failure.description.contains("unknown command") {
            entries = try command("POST", "/log", ["type": "browser"], asked: asked)
        }
        return (entries as? [[String: Any]] ?? []).compactMap { entry in
            entry["level"] as? String == "SEVERE" ? entry["message"] as? String ?? "" : nil
        }
    }

    /// A PNG of the viewport: ``Width/pixels`` wide.
    public func screenshot() throws -> Data {
        let encoded = try command("GET", "/screenshot", asked: "screenshot()") as? String ?? ""
        guard let png = Data(base64Encoded: encoded) else {
            throw Failure(description: "screenshot(): WebDriver's answer is not base64 (\(encoded.count) characters)")
        }
        return png
    }

    /// What axe-core finds wrong with the page now shown, one violation per rule broken; empty when nothing is.
    ///
    /// `axeScript` is the source of `axe.min.js` (the tests vendor one; this module does not know where), injected
    /// into the page when it has no `axe` yet. `tags` chooses the rules: by default WCAG 2 A and AA and axe's best
    /// practices, which include having one `<main>`, an `<h1>`, and all content inside landmarks.
    public func accessibilityViolations(axeScript: String, tags: [String] = ["wcag2a", "wcag2aa", "best-practice"])
        throws -> [AccessibilityViolation] {
        let asked = "accessibilityViolations()"
        if try command("POST", "/execute/sync", ["script": "return typeof window.axe", "args": []], asked: asked) as? String != "object" {
            try command("POST", "/execute/sync", ["script": axeScript, "args": []], asked: asked + " injecting axe")
        }
        let script = """
            const done = arguments[arguments.length - 1];
            if (typeof axe === 'undefined') { done('ERROR the script given as axe-core did not define axe'); return; }
            axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})
                .then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                                       nodes: v.nodes.map(n => n.target.join(' '))})))))
                .catch(e => done('ERROR ' + e));
            """
        let result = try command("POST", "/execute/async", ["script": script, "args": [tags]], asked: asked) as? String ?? ""
        if result.hasPrefix("ERROR ") { throw Failure(description: "\(asked): axe.run failed: \(result.dropFirst(6))") }
        do {
            return try JSONDecoder().decode([AccessibilityViolation].self, from: Data(result.utf8))
        } catch {
            throw Failure(description: "\(asked): cannot read axe's answer (\(error)): \(result.prefix(200))")
        }
    }

    // MARK: WebDriver

    /// A new session's id and Chromium's process id.
    private static func newSession(port: Int, width: Width, profile: String) throws -> (id: String, processID: pid_t?) {
        var arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--user-data-dir=\(profile)", "--no-first-run", "--no-default-browser-check",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--lang=en-US", "--force-color-profile=srgb"]
        var chromeOptions: [String: Any] = [:]
        switch width {
        case .phone:
            chromeOptions["mobileEmulation"] = ["deviceMetrics": ["width": 390, "height": 844, "pixelRatio": 1]]
        case .desktop:
            arguments.append("--window-size=1280,900")
        }
        chromeOptions["args"] = arguments
        if let binary = findBrowser() { chromeOptions["binary"] = binary }
        let capabilities: [String: Any] = [
            "browserName": "chrome",
            "timeouts": ["script": 30_000, "pageLoad": 30_000, "implicit": 0],
            "goog:chromeOptions": chromeOptions,
            "goog:loggingPrefs": ["browser": "ALL"],
        ]
        let asked = "Browser(width: .\(width)): new session"
        let value: Any?
        do {
            value = try unwrap(send(port: port, "POST", "/session", ["capabilities": ["alwaysMatch": capabilities]], timeout: 90),
                               asked: asked)
        } catch let failure as Failure where failure.description.contains("cannot find Chrome binary") {
            throw Failure(description: failure.description + " (Chromium is not installed: run `sh .ci/install`)")
        }
        guard let object = value as? [String: Any], let id = object["sessionId"] as? String else {
            throw Failure(description: "\(asked): no sessionId in chromedriver's answer")
        }
        let processID = ((object["capabilities"] as? [String: Any])?["goog:processID"] as? NSNumber).map { pid_t($0.int32Value) }
        return (id, processID)
    }

    /// The element `css` matches first, for a method described by `asked`.
    private func find(_ css: String, asked: String) throws -> String {
        let found = try command("POST", "/element", ["using": "css selector", "value": css], asked: asked)
        guard let id = (found as? [String: Any])?[Self.elementKey] as? String else {
            throw Failure(description: "\(asked): WebDriver's answer names no element")
        }
        return id
    }

    /// Sends a command of this session (`path` after `/session/{id}`) and returns its `value`, or throws naming
    /// `asked`, or that the browser is closed or chromedriver gone.
    @discardableResult
    private func command(_ method: String, _ path: String, _ body: [String: Any]? = nil, asked: String) throws -> Any? {
        guard let session = lock.withLock({ self.session }) else {
            throw Failure(description: "\(asked): the browser is closed")
        }
        if let body, !JSONSerialization.isValidJSONObject(body) {
            throw Failure(description: "\(asked): an argument is not a JSON value")
        }
        let response: HTTPResult
        do {
            response = try Self.send(port: driver.port, method, "/session/\(session)\(path)", body, timeout: 90)
        } catch {
            throw Failure(description: "\(asked): \(driver.whyNotAnswering(error))")
        }
        return try Self.unwrap(response, asked: asked)
    }

    /// One request to chromedriver on a fresh connection (cheap on loopback, and nothing stale to reuse).
    private static func send(port: Int, _ method: String, _ path: String, _ body: [String: Any]?, timeout: Double) throws -> HTTPResult {
        let bytes = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) }
        return try HTTPConnection(port: port, timeout: timeout).request(method, path, body: bytes, contentType: "application/json; charset=utf-8")
    }

    /// A response's `value`; a WebDriver error as a ``Failure``: "asked: error: first line of message".
    private static func unwrap(_ response: HTTPResult, asked: String) throws -> Any? {
        let object = try? response.object()
        let value = object?["value"]
        if response.status != 200 || (value as? [String: Any])?["error"] != nil {
            let error = (value as? [String: Any])?["error"] as? String ?? "HTTP \(response.status)"
            let message = ((value as? [String: Any])?["message"] as? String ?? response.text)
                .split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
            let said = message.hasPrefix(error) ? message : "\(error): \(message)"
            throw Failure(description: "\(asked): \(said)")
        }
        return value is NSNull ? nil : value
    }

    // MARK: chromedriver

    /// One chromedriver: its process, port and temporary folder, and the watchdog that stops it if this process dies.
    private final class Driver: @unchecked Sendable {
        let pid: pid_t
        let port: Int
        /// `/tmp/lsbrowser.XXXXXX`: chromedriver's output (`chromedriver.log`), its process id (`driver.pid`,
        /// for the watchdog), Chromium's profile (`profile/`), and the TMPDIR (`tmp/`) and XDG_CONFIG_HOME (`config/`)
        /// of both.
        let folder: String
        let watchdog: pid_t?
        private let lock = NSLock()
        private var exitStatus: Int32?
        private var stopped = false

        private init(pid: pid_t, port: Int, folder: String, watchdog: pid_t?) {
            (self.pid, self.port, self.folder, self.watchdog) = (pid, port, folder, watchdog)
        }

        var isStopped: Bool { lock.withLock { stopped } }

        /// Makes the folder and the watchdog, then starts chromedriver on a free port and waits until `/status` says
        /// it is ready (another process may take the port first: then another port, up to 5 tries).
        static func start() throws -> Driver {
            guard let executable = Browser.which("chromedriver") ?? ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
                .first(where: FileManager.default.isExecutableFile) else {
                throw Failure(description: "Browser: chromedriver is not installed (not on the PATH nor in /usr/bin): run `sh .ci/install`")
            }
            var template = Array("/tmp/lsbrowser.XXXXXX".utf8CString)
            guard let made = mkdtemp(&template) else { throw Failure(description: "Browser: cannot make a folder in /tmp (errno \(errno))") }
            let folder = String(cString: made)
            let watchdog = startWatchdog(folder: folder)
            // Chromium's temporary files and folders (its process-singleton socket, chromedriver's scoped folders) and
            // its crash reporter's database (~/.config/chromium) go in the browser's folder too: a process killed at the
            // end cannot leave them in /tmp, and the tests write nothing in the home folder.
            var environment = ProcessInfo.processInfo.environment
            environment["TMPDIR"] = folder + "/tmp"
            environment["XDG_CONFIG_HOME"] = folder + "/config"
            for name in ["tmp", "config"] { try? FileManager.default.createDirectory(atPath: folder + "/" + name, withIntermediateDirectories: false) }
            var lastLog = ""
            for _ in 0..<5 {
                let port: Int
                do { port = try PostgresCluster.freePort() } catch { throw Failure(description: "Browser: \(error)") }
                let log = folder + "/chromedriver.log"
                guard let pid = PostgresCluster.spawn([executable, "--port=\(port)"], environment: environment, output: log,
                                                      newSession: true) else {
                    let failure = Failure(description: "Browser: cannot run \(executable) (errno \(errno))")
                    Driver(pid: 0, port: port, folder: folder, watchdog: watchdog).stop()
                    throw failure
                }
                let driver = Driver(pid: pid, port: port, folder: folder, watchdog: watchdog)
                try? String(pid).write(toFile: folder + "/driver.pid", atomically: true, encoding: .utf8)
                registry.add(driver)
                let deadline = Date().addingTimeInterval(30)
                while Date() < deadline, driver.hasExited == nil {
                    if let status = try? HTTPConnection(port: port, timeout: 2).request("GET", "/status"), status.status == 200,
                       ((try? status.object())?["value"] as? [String: Any])?["ready"] as? Bool == true {
                        return driver
                    }
                    Thread.sleep(forTimeInterval: 0.02)
                }
                lastLog = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                let exited = driver.hasExited
                let busy = lastLog.contains("Address already in use") || lastLog.contains("port not available")
                guard exited != nil, busy else {
                    driver.stop()
                    let said = lastLog.split(separator: "\n").last.map(String.init) ?? "nothing"
                    throw Failure(description: exited.map { "Browser: chromedriver exited at start (status \($0)); its last line: \(said)" }
                                  ?? "Browser: chromedriver did not say it was ready within 30 s on port \(port); its last line: \(said)")
                }
                driver.forget()
            }
            Driver(pid: 0, port: 0, folder: folder, watchdog: watchdog).stop()
            throw Failure(description: "Browser: chromedriver found no free port in 5 tries: \(lastLog.split(separator: "\n").last ?? "")")
        }

        /// chromedriver's exit status once it has ended (reaping it), nil while it runs.
        var hasExited: Int32? {
            lock.withLock {
                guard exitStatus == nil, pid > 0 else { return exitStatus }
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid {
                    exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                }
                return exitStatus
            }
        }

        /// Why a request got no answer: `error`, and chromedriver's end and last line if it has ended.
        func whyNotAnswering(_ error: any Error) -> String {
            guard let status = hasExited else { return "chromedriver did not answer: \(error)" }
            let log = (try? String(contentsOfFile: folder + "/chromedriver.log", encoding: .utf8)) ?? ""
            return "chromedriver has exited (status \(status)); its last line: \(log.split(separator: "\n").last ?? "nothing")"
        }

        /// Stops chromedriver (SIGTERM, then after 5 s SIGKILL) and waits for it, kills whatever is left in its process
        /// group (Chromium's processes, if the session did not end), removes the folder, and ends the watchdog.
        func stop() {
            let first = lock.withLock { defer { stopped = true }; return !stopped }
            guard first else { return }
            if pid > 0 {
                if hasExited == nil {
                    kill(pid, SIGTERM)
                    let deadline = Date().addingTimeInterval(5)
                    while hasExited == nil, Date() < deadline { usleep(10_000) }
                    if hasExited == nil {
                        kill(-pid, SIGKILL)
                        let status = PostgresCluster.waitFor(pid)
                        lock.withLock { exitStatus = status }
                    }
                }
                kill(-pid, SIGKILL)
            }
            // Killed processes may still be closing files in the profile: one more try after a moment.
            if (try? FileManager.default.removeItem(atPath: folder)) == nil {
                usleep(200_000)
                try? FileManager.default.removeItem(atPath: folder)
            }
            if let watchdog {
                kill(-watchdog, SIGKILL)
                _ = PostgresCluster.waitFor(watchdog)
            }
            Browser.registry.remove(self)
        }

        /// A chromedriver that exited at start (its port taken): reaped already, so only the registry forgets it.
        func forget() { Browser.registry.remove(self) }

        /// At the end of the test process: no waiting for chromedriver's manners, and no Foundation (it may be partly
        /// torn down): kill the group, reap, remove the folder with `rm`, end the watchdog.
        func stopAtExit() {
            if pid > 0, hasExited == nil {
                kill(-pid, SIGKILL)
                _ = PostgresCluster.waitFor(pid)
            }
            if let rm = PostgresCluster.spawn(["/bin/rm", "-rf", folder]) { _ = PostgresCluster.waitFor(rm) }
            if let watchdog {
                kill(-watchdog, SIGKILL)
                _ = PostgresCluster.waitFor(watchdog)
            }
        }

        /// `sh` in a session of its own, with no descriptor of this process: once a second it checks that this
        /// process is alive (and not a zombie) and that the folder still exists (``stop()`` removes it first); when
        /// this process has died, it kills the process group of the chromedriver named in `driver.pid` and
        /// removes the folder.
        private static func startWatchdog(folder: String) -> pid_t? {
            let me = getpid()
            let quoted = PostgresCluster.shellQuoted(folder)
            let watch = """
                while kill -0 \(me) 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' /proc/\(me)/status; do
                    [ -d \(quoted) ] || exit 0
                    sleep 1
                done
                pid=$(cat \(quoted)/driver.pid 2>/dev/null) && kill -9 "-$pid" 2>/dev/null
                rm -rf \(quoted)
                """
            return PostgresCluster.spawn(["/bin/sh", "-c", watch], newSession: true)
        }
    }

    /// The chromedrivers running, for the `atexit` handler.
    private static let registry = Registry()

    private final class Registry: @unchecked Sendable {
        private let lock = NSLock()
        private var drivers: [ObjectIdentifier: Driver] = [:]
        private var handlerInstalled = false

        func add(_ driver: Driver) {
            let install = lock.withLock {
                drivers[ObjectIdentifier(driver)] = driver
                defer { handlerInstalled = true }
                return !handlerInstalled
            }
            if install { atexit { Browser.registry.stopAll() } }
        }

        func remove(_ driver: Driver) {
            _ = lock.withLock { drivers.removeValue(forKey: ObjectIdentifier(driver)) }
        }

        func stopAll() {
            let all = lock.withLock { defer { drivers = [:] }; return Array(drivers.values) }
            for driver in all { driver.stopAtExit() }
        }
    }

    // MARK: Helpers

    /// Debian's Chromium (`chromium`, or `chromium-browser` elsewhere) on the PATH or in /usr/bin; nil lets
    /// chromedriver look for Chrome where it is usually installed.
    private static func findBrowser() -> String? {
        which("chromium") ?? which("chromium-browser") ?? ["/usr/bin/chromium"].first(where: FileManager.default.isExecutableFile)
    }

    /// The first executable called `name` on the PATH.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first(where: FileManager.default.isExecutableFile)
    }

    /// `text` in double quotes for a message, on one line and cut to 80 characters (a data: URL can be long).
    static func quoted(_ text: String) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return "\"" + (line.count > 80 ? line.prefix(77) + "..." : line) + "\""
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    /// `name` percent-encoded for a URL path segment.
    static func pathComponent(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? name
    }
}

/// One axe-core rule the page breaks, with the elements that break it.
public struct AccessibilityViolation: Sendable, Codable, Equatable, CustomStringConvertible {
    /// The rule's id, such as `label` or `color-contrast`.
    public var id: String
    /// `minor`, `moderate`, `serious` or `critical`.
    public var impact: String?
    /// What the rule asks, in a sentence.
    public var help: String
    /// The CSS selectors of the elements that break it.
    public var nodes: [String]

    public init(id: String, impact: String?, help: String, nodes: [String]) {
        (self.id, self.impact, self.help, self.nodes) = (id, impact, help, nodes)
    }

    /// `id (impact): help: node, node`, for a test's failure message.
    public var description: String {
        "\(id) (\(impact ?? "no impact")): \(help): \(nodes.joined(separator: ", "))"
    }
}
