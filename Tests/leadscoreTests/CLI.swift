import Foundation

/// Runs the built `leadscore` binary, as a user would, and captures what it prints.
enum CLI {
    /// The repository root (tests read the committed fixtures and sample data from it).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `leadscore` executable next to the test bundle in the build folder.
    static let binary: URL = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = exe.deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("leadscore").path),
              folder.path != "/" {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("leadscore")
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutData: Data
    }

    /// Runs `leadscore args...` in the repository root.
    ///
    /// `reproducing` is for runs compared byte for byte with committed files (models/, notebooks-txt/): OpenBLAS then
    /// uses its Haswell kernels, which those files were made with. On a CPU with AVX-512 it would otherwise pick its
    /// SkylakeX kernels, whose sums round differently in the last bits, and the files would differ for that reason alone.
    /// `environment` sets (or, with an empty value, removes) variables of the child's environment.
    static func run(_ args: [String], reproducing: Bool = false, environment changes: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = args
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        if reproducing, cpuHasHaswellFeatures { environment["OPENBLAS_CORETYPE"] = "Haswell" }
        for (name, value) in changes { environment[name] = value.isEmpty ? nil : value }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain stderr on a Dispatch queue (not the Swift concurrency pool, which tests may fill) while this
        // thread drains stdout, so a chatty child cannot block on a full pipe.
        let errBox = DataBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errBox.data, as: UTF8.self), stdoutData: outData)
    }

    /// Whether this CPU runs OpenBLAS's Haswell kernels (AVX2 and FMA), read from /proc/cpuinfo.
    static let cpuHasHaswellFeatures: Bool = {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        let set = Set(flags.split(separator: " "))
        return set.contains("avx2") && set.contains("fma")
    }()

    /// Bytes handed from the reading queue back to the caller, after `group.wait()`.
    private final class DataBox: @unchecked Sendable {
        var data = Data()
    }

    /// A fresh temporary folder for one test.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The committed trainer fixture file `name/file`.
    static func fixture(_ name: String, _ file: String) -> String {
        root.appendingPathComponent("Tests/TrainingTests/Fixtures/\(name)/\(file)").path
    }

    static func json(_ data: Data) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}
