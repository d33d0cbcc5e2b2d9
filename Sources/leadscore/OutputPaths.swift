import ArgumentParser
import Foundation

/// Checks that no output of a command would overwrite one of its inputs (`train --table leads.csv --out leads.csv`
/// would replace the data with the model): a usage error, before any work.
enum OutputPaths {
    /// Refuses the first output in `outputs` (flag and path) that names one of `inputs`: the same file when both
    /// exist (device and inode, whatever the spelling), else the same absolute path.
    static func refuseInputs(_ outputs: [(flag: String, path: String?)], inputs: [String?]) throws {
        let given = inputs.compactMap { $0 }
        for case let (flag, path?) in outputs {
            if let input = given.first(where: { same($0, path) }) {
                throw ValidationError("\(flag) names \(input), one of this command's inputs: write the output to another path")
            }
        }
    }

    private static func same(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        if stat(a, &x) == 0, stat(b, &y) == 0 { return x.st_dev == y.st_dev && x.st_ino == y.st_ino }
        return URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
    }
}
