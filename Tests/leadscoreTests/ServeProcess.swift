import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A running `leadscore serve`, as a user starts it: the built binary in its own process on a free port (read from
/// what it prints), optionally under a lowered descriptor limit (`ulimit -n`), with its log (stderr) kept in a file.
/// `reproducing` is `CLI.run`'s: OpenBLAS on its Haswell kernels, for answers compared byte for byte with committed text.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let output = Pipe()
    /// Where the server's stderr goes.
    let logFile: URL

    init(_ args: [String], descriptorLimit: Int? = nil, reproducing: Bool = false) throws {
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-serve-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let arguments = ["serve", "--port", "0"] + args
        if let descriptorLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(descriptorLimit) && exec \"$0\" \"$@\"", CLI.binary.path] + arguments
        } else {
            process.executableURL = CLI.binary
            process.arguments = arguments
        }
        process.currentDirectoryURL = CLI.root
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        if reproducing, CLI.cpuHasHaswellFeatures { environment["OPENBLAS_CORETYPE"] = "Haswell" }
        process.environment = environment
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
        // "leadscore serve: listening on http://127.0.0.1:PORT (model HASH)"
        var text = ""
        let handle = output.fileHandleForReading
        while !text.contains("\n") {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: "listening on http://"), let colon = text[range.upperBound...].firstIndex(of: ":"),
              let port = Int(text[text.index(after: colon)...].prefix { $0.isNumber }) else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "serve printed no port: \(text) \((try? String(contentsOf: logFile, encoding: .utf8)) ?? "")"])
        }
        self.port = port
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: logFile)
    }

    /// What the server has logged so far.
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// The descriptors the server holds open now.
    var descriptors: Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/fd").count) ?? -1 }

    /// The server's resident memory now, in bytes.
    var residentBytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Int(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
        return kb * 1024
    }

    /// Waits (up to `seconds`) until the server holds at most `count` descriptors; the count at the end.
    func waitForDescriptors(atMost count: Int, within seconds: Double) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        var now = descriptors
        while now > count, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            now = descriptors
        }
        return now
    }

    func send(_ method: String, _ path: String, body: Data? = nil) async throws -> (status: Int, body: Data, model: String?) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, data, http?.value(forHTTPHeaderField: "leadscore-model"))
    }

    /// SIGTERM, then the exit status once it has finished.
    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
