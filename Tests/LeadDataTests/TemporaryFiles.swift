import Foundation

/// Unique temporary files and folders for tests, removed by the caller's `defer`.
enum TemporaryFiles {
    /// A new empty folder under the system's temporary directory.
    static func makeFolder() -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("leaddata-tests-\(UUID().uuidString)", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Writes `bytes` to a new file named `name` in a new folder and returns its path.
    static func write(_ bytes: [UInt8], name: String = "input.csv") -> String {
        let path = makeFolder() + "/" + name
        let created = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        precondition(created, "cannot create the test file \(path)")
        return path
    }

    /// Writes `text` as UTF-8; see ``write(_:name:)-(UInt8)``.
    static func write(_ text: String, name: String = "input.csv") -> String {
        write(Array(text.utf8), name: name)
    }

    /// Removes the folder that holds `path` (made by ``write(_:name:)``).
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }
}
