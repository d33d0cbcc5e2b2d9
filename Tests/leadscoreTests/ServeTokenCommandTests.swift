import Foundation
import Testing
import _TestSupport

/// `leadscore serve --token-file`: a token file that will not do stops the server at start, in one line naming the
/// file and exit 1, before it listens; a good one makes the API want the token while `/healthz` stays open.
@Suite struct ServeTokenCommandTests {
    static let token = "correct-horse-battery-staple-42"

    /// `text` in a file named `token` with `mode`, in `folder`.
    static func tokenFile(in folder: URL, _ text: String, mode: Int = 0o600) throws -> String {
        let file = folder.appendingPathComponent("token")
        try Data(text.utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        return file.path
    }

    @Test(arguments: [
        (nil, 0o600, "cannot read the token file: there is no such file"),
        ("\n", 0o600, "the token file is empty: put one token in it, such as the output of `openssl rand -hex 32`"),
        ("short-token\n", 0o600, "the token is 11 characters long: use at least 16, such as the output of `openssl rand -hex 32`"),
        ("correct horse battery staple\n", 0o600, "the token has whitespace or a character that is not printable ASCII inside (byte 8): a token is one word, such as the output of `openssl rand -hex 32`"),
        (token + "\n", 0o644, "other users may read or change the token file (mode 644): chmod 600 TOKEN"),
    ] as [(String?, Int, String)])
    func aTokenFileThatWillNotDoStopsTheServerInOneLine(_ text: String?, _ mode: Int, _ message: String) throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try text.map { try Self.tokenFile(in: folder, $0, mode: mode) } ?? folder.appendingPathComponent("token").path
        let run = try CLI.run(["serve", "--model", "models/sample.json", "--port", "0", "--token-file", path])
        #expect(run.status == 1)
        #expect(run.stderr == "leadscore: error: \(path): \(message.replacingOccurrences(of: "TOKEN", with: path))\n")
        #expect(!run.stdout.contains("listening"), "nothing listens")
    }

    @Test func withAGoodTokenFileTheAPIWantsTheTokenAndTheHealthCheckDoesNot() async throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.tokenFile(in: folder, "  \(Self.token)\n")
        let server = try ServeProcess(["--model", "models/sample.json", "--token-file", path])
        let port = server.port
        let (without, with, health) = try await Blocking.run {
            (try HTTPConnection(port: port).request("GET", "/v1/model"),
             try HTTPConnection(port: port).request("GET", "/v1/model", headers: [("Authorization", "Bearer \(Self.token)")]),
             try HTTPConnection(port: port).request("GET", "/healthz"))
        }
        #expect(without.status == 401)
        #expect(without.headers["www-authenticate"] == #"Bearer realm="leadscore""#)
        #expect(with.status == 200)
        #expect(health.status == 200)
        #expect(server.log.contains("401 GET /v1/model: this server needs its token"), "\(server.log)")
        #expect(server.stop() == 0)
    }

    @Test func sigHUPReadsANewTokenAndEndsTheLoginsOfTheOld() async throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.tokenFile(in: folder, Self.token)
        let server = try ServeProcess(["--model", "models/sample.json", "--token-file", path, "--poll-interval", "0"])
        let port = server.port
        let login = try await Blocking.run {
            try HTTPConnection(port: port).request("POST", "/login", body: Array("token=\(Self.token)".utf8),
                                                   contentType: "application/x-www-form-urlencoded")
        }
        let cookie = [("Cookie", String((login.headers["set-cookie"] ?? "").split(separator: ";")[0]))]
        let page = try await Blocking.run { try HTTPConnection(port: port).request("GET", "/", headers: cookie) }
        #expect(page.status == 200)

        // The token rotated: the file rewritten, then SIGHUP.
        let new = "a-new-token-after-rotation-0001"
        #expect(try Self.tokenFile(in: folder, new) == path)
        kill(server.process.processIdentifier, SIGHUP)
        var answer = try await Blocking.run { try HTTPConnection(port: port).request("GET", "/v1/model", headers: [("Authorization", "Bearer \(new)")]) }
        for _ in 0..<600 where answer.status == 401 {
            try await Task.sleep(for: .milliseconds(50))
            answer = try await Blocking.run { try HTTPConnection(port: port).request("GET", "/v1/model", headers: [("Authorization", "Bearer \(new)")]) }
        }
        #expect(answer.status == 200, "\(server.log)")
        let (old, oldPage) = try await Blocking.run {
            (try HTTPConnection(port: port).request("GET", "/v1/model", headers: [("Authorization", "Bearer \(Self.token)")]),
             try HTTPConnection(port: port).request("GET", "/", headers: cookie))
        }
        #expect(old.status == 401)
        #expect(oldPage.status == 303, "the old login must log in again")
        for _ in 0..<600 where !server.log.contains("a new token from") { try await Task.sleep(for: .milliseconds(50)) }
        #expect(server.log.contains("a new token from \(path)"), "\(server.log)")

        // A token file that will not do: logged, and the token in use stays.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        kill(server.process.processIdentifier, SIGHUP)
        for _ in 0..<600 where !server.log.contains("the token file could not be read again") { try await Task.sleep(for: .milliseconds(50)) }
        #expect(server.log.contains("the token file could not be read again, the old token still holds: \(path): other users may read or change the token file"), "\(server.log)")
        let still = try await Blocking.run { try HTTPConnection(port: port).request("GET", "/v1/model", headers: [("Authorization", "Bearer \(new)")]) }
        #expect(still.status == 200)
        #expect(server.stop() == 0)
    }

    @Test func listeningBeyondLoopbackWithATokenWarnsOfPlainHTTP() async throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.tokenFile(in: folder, Self.token)
        let server = try ServeProcess(["--model", "models/sample.json", "--host", "0.0.0.0", "--token-file", path])
        #expect(server.log.contains("warning: listening on 0.0.0.0, beyond this machine, over plain HTTP: the token and the login cookie travel in clear"))
        #expect(server.stop() == 0)
    }
}
