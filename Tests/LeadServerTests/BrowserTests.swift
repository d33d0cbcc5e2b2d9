import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import _TestSupport

/// The headless-Chromium harness (`Browser` in _TestSupport) against pages given as `data:` URLs: navigation, a form
/// filled and submitted by its script, console errors, screenshots, the two widths, axe-core's findings, and that a
/// browser's processes are gone once it is closed, even when the test's work throws.
// One browser at a time in this suite: a dozen Chromium sessions at once starved the timing-bounded server tests
// running beside them.
@Suite(.serialized) struct BrowserTests {
    /// `html` as a `data:text/html;base64,...` URL.
    static func page(_ html: String) -> String {
        "data:text/html;base64," + Data(html.utf8).base64EncodedString()
    }

    /// A page that passes axe's WCAG 2 A/AA and best-practice rules: language, title, one `<main>` holding everything,
    /// an `<h1>`, a labelled field, dark text on white; and an empty favicon, so that nothing is fetched and fails.
    static func cleanPage(body: String = "", script: String = "") -> String {
        page("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Clean page</title>
            <meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"></head>
            <body><main><h1 id="heading">Lead scores</h1>
            <label for="name">Name</label> <input id="name" type="text">
            <p style="color: #222; background: #fff">Readable text.</p>\(body)</main>
            <script>\(script)</script></body></html>
            """)
    }

    @Test func opensAPageAndReadsItsTitleTextAndURL() async throws {
        let url = Self.cleanPage()
        let (title, heading, current, paragraphs) = try await Browser.run(width: .desktop) { browser in
            try browser.open(url)
            return (try browser.title, try browser.text("#heading"), try browser.currentURL, try browser.elements("main p").count)
        }
        #expect(title == "Clean page")
        #expect(heading == "Lead scores")
        #expect(current == url)
        #expect(paragraphs == 1)
    }

    @Test func aFailureIsOneLineNamingTheSelectorAndWhatWebDriverSaid() async throws {
        let url = Self.cleanPage()
        let (missing, clickMissing, badSelect, timedOut) = try await Browser.run(width: .phone) { browser in
            try browser.open(url)
            func failure(_ work: () throws -> Void) -> String {
                do { try work(); return "no failure" } catch { return "\(error)" }
            }
            return (failure { _ = try browser.element("#missing") },
                    failure { try browser.click(".nowhere > button") },
                    failure { try browser.select("a", in: "#name") },
                    failure { try browser.waitFor("#late", timeout: 0.3) })
        }
        #expect(missing.hasPrefix("element(\"#missing\"): no such element"), "\(missing)")
        #expect(clickMissing.hasPrefix("click(\".nowhere > button\"): no such element"), "\(clickMissing)")
        #expect(badSelect == "select(\"a\", in: \"#name\"): it is a <input>, not a <select>")
        #expect(timedOut == "waitFor(\"#late\"): nothing matched within 0.3 s")
        for message in [missing, clickMissing, badSelect, timedOut] { #expect(!message.contains("\n"), "\(message)") }
    }

    @Test func fillsAFormClicksAndReadsWhatItsScriptWrote() async throws {
        let url = Self.cleanPage(body: """
            <label for="plan">Plan</label>
            <select id="plan"><option value="free">Free</option><option value="pro">Pro</option></select>
            <button id="go" type="button">Greet</button>
            <output id="out" aria-live="polite"></output>
            """, script: """
            let changes = 0;
            document.getElementById('plan').addEventListener('change', () => changes++);
            document.getElementById('go').addEventListener('click', () => {
                setTimeout(() => {
                    const out = document.getElementById('out');
                    out.textContent = 'Hello, ' + document.getElementById('name').value + ' (' +
                        document.getElementById('plan').value + ', ' + changes + ' change)';
                    out.dataset.state = 'done';
                    const done = document.createElement('p'); done.id = 'finished'; done.textContent = 'Done';
                    document.querySelector('main').append(done);
                }, 200);
            });
            """)
        let (greeting, state, typed, markup, absent, badOption) = try await Browser.run(width: .phone) { browser in
            try browser.open(url)
            try browser.type("Someone else", into: "#name")
            try browser.type("Ada", into: "#name")          // replaces what was there
            try browser.select("pro", in: "#plan")
            let badOption: String
            do { try browser.select("gold", in: "#plan"); badOption = "no failure" } catch { badOption = "\(error)" }
            try browser.click("#go")
            try browser.waitFor("#finished")
            return (try browser.text("#out"), try browser.attribute("data-state", of: "#out"),
                    try browser.property("value", of: "#name") as? String, try browser.attribute("value", of: "#name"),
                    try browser.attribute("data-missing", of: "#out"), badOption)
        }
        #expect(greeting == "Hello, Ada (pro, 1 change)")
        #expect(state == "done")
        #expect(typed == "Ada")
        #expect(markup == nil, "typing sets the property, not the attribute")
        #expect(absent == nil)
        #expect(badOption == "select(\"gold\", in: \"#plan\"): no option has that value (values: \"free\", \"pro\")")
    }

    @Test func executeReturnsJSONValuesAndTakesElementsAsArguments() async throws {
        let url = Self.cleanPage()
        let (sum, text, object, nothing, thrown) = try await Browser.run(width: .desktop) { browser in
            try browser.open(url)
            let heading = try browser.element("#heading")
            let thrown: String
            do { try browser.execute("throw new Error('broken script')"); thrown = "no failure" } catch { thrown = "\(error)" }
            return (try browser.execute("return arguments[0] + arguments[1]", [2, 3]) as? Int,
                    try browser.execute("return arguments[0].textContent", [Browser.reference(heading)]) as? String,
                    try browser.execute("return {a: [1, 'b'], c: true}") as? [String: Any] == nil ? "not an object" : "object",
                    try browser.execute("return undefined") == nil,
                    thrown)
        }
        #expect(sum == 5)
        #expect(text == "Lead scores")
        #expect(object == "object")
        #expect(nothing)
        #expect(thrown.hasPrefix("execute(\"throw new Error('broken script')\"): javascript error: "), "\(thrown)")
        #expect(thrown.contains("broken script"))
    }

    @Test func consoleErrorsAreReportedOnceAndACleanPageHasNone() async throws {
        let noisy = Self.cleanPage(script: "console.error('x marks the spot'); console.log('only a log');")
        let clean = Self.cleanPage(script: "console.log('all fine'); console.warn('a warning is not an error');")
        let (first, second, onClean) = try await Browser.run(width: .phone) { browser in
            try browser.open(noisy)
            let first = try browser.consoleErrors()
            let second = try browser.consoleErrors()
            try browser.open(clean)
            return (first, second, try browser.consoleErrors())
        }
        #expect(first.count == 1)
        #expect(first.first?.contains("x marks the spot") == true, "\(first)")
        #expect(second.isEmpty, "reading empties the log: \(second)")
        #expect(onClean.isEmpty, "\(onClean)")
    }

    @Test func anUncaughtExceptionIsAConsoleError() async throws {
        let url = Self.cleanPage(script: "undefinedFunction();")
        let errors = try await Browser.run(width: .desktop) { browser in
            try browser.open(url)
            return try browser.consoleErrors()
        }
        #expect(errors.count == 1)
        #expect(errors.first?.contains("undefinedFunction") == true, "\(errors)")
    }

    @Test func aScreenshotIsAPNGAsWideAsThePhone() async throws {
        let url = Self.cleanPage()
        let png = try await Browser.run(width: .phone) { browser in
            try browser.open(url)
            return try browser.screenshot()
        }
        let bytes = [UInt8](png)
        try #require(bytes.count > 24)
        #expect(Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR")
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 390)
    }

    @Test(arguments: [(Browser.Width.phone, 390), (.desktop, 1280)])
    func thePageIsAsWideAsTheWidthSays(width: Browser.Width, pixels: Int) async throws {
        let url = Self.cleanPage()
        let innerWidth = try await Browser.run(width: width) { browser in
            try browser.open(url)
            return try browser.execute("return window.innerWidth") as? Int
        }
        #expect(innerWidth == pixels)
        #expect(width.pixels == pixels)
    }

    @Test func axeFindsAMissingLabelAndLowContrastAndNothingOnACleanPage() async throws {
        let axe = try AxeCore.script()
        #expect(axe.hasPrefix("/*! axe v4.12.1"))
        let broken = Self.page("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Broken page</title>
            <link rel="icon" href="data:,"></head>
            <body><main><h1>Lead scores</h1>
            <input id="unlabelled" type="text">
            <p id="faint" style="color: #ccc; background: #fff">Hard to read.</p></main></body></html>
            """)
        let clean = Self.cleanPage()
        let (found, onClean) = try await Browser.run(width: .phone) { browser in
            try browser.open(broken)
            let found = try browser.accessibilityViolations(axeScript: axe)
            try browser.open(clean)
            return (found, try browser.accessibilityViolations(axeScript: axe))
        }
        #expect(Set(found.map(\.id)) == ["label", "color-contrast"], "\(found)")
        #expect(found.first { $0.id == "label" }?.nodes == ["#unlabelled"])
        #expect(found.first { $0.id == "color-contrast" }?.nodes == ["#faint"])
        #expect(found.allSatisfy { $0.impact == "critical" || $0.impact == "serious" }, "\(found)")
        #expect(onClean.isEmpty, "\(onClean)")
    }

    @Test func closingEndsChromedriverAndChromiumEvenWhenTheWorkThrows() async throws {
        struct Planned: Error {}
        let seen = ProcessIDs()
        await #expect(throws: Planned.self) {
            try await Browser.run(width: .phone) { browser in
                seen.set(browser.driverProcessID, browser.browserProcessID)
                throw Planned()
            }
        }
        let (driver, chromium, ranWhileOpen) = seen.get()
        let driverPID = try #require(driver)
        let chromiumPID = try #require(chromium)
        #expect(ranWhileOpen, "both were running while the browser was open")
        #expect(!Self.isRunning(driverPID))
        #expect(!Self.isRunning(chromiumPID))

        // A closed browser says so rather than reaching a chromedriver that is gone; closing again does nothing.
        let afterClose = try await Blocking.run {
            let browser = try Browser(width: .desktop)
            browser.close()
            browser.close()
            do { try browser.open("about:blank"); return "no failure" } catch { return "\(error)" }
        }
        #expect(afterClose == "open(\"about:blank\"): the browser is closed")
    }

    /// Whether `pid` is a live process (a zombie waiting for its parent counts as ended).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// Process ids handed out of a browser's thread.
    final class ProcessIDs: @unchecked Sendable {
        private let lock = NSLock()
        private var driver: pid_t?
        private var browser: pid_t?
        private var running = false
        /// Keeps both ids, and whether both processes run now.
        func set(_ driver: pid_t, _ browser: pid_t?) {
            let running = BrowserTests.isRunning(driver) && browser.map(BrowserTests.isRunning) == true
            lock.withLock { (self.driver, self.browser, self.running) = (driver, browser, running) }
        }
        func get() -> (pid_t?, pid_t?, Bool) { lock.withLock { (driver, browser, running) } }
    }
}
