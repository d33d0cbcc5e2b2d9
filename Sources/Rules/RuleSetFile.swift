package import Foundation
package import LeadData

/// Reading and writing rules files (`--rules FILE`, `leadscore explain --write-rules FILE`).
package enum RuleSetFile {
    /// Reads and checks a rules file; an unknown key, a wrong type or an impossible value is an error naming the key.
    package static func load(path: String) throws(InputError) -> RuleSet {
        var rules = try JSONFile.decode(RuleSet.self, from: try JSONFile.read(path: path, what: "the rules file"), path: path)
        if let problem = rules.validationError() { throw InputError(file: path, line: nil, message: problem) }
        if rules.name == nil { rules.name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }
        rules.file = path
        return rules
    }

    /// Writes a rules file atomically, in the format `load` reads.
    package static func write(_ rules: RuleSet, to path: String) throws {
        try AtomicFile.write(try data(rules), to: path)
    }

    /// The bytes of a rules file, in the format `load` reads.
    package static func data(_ rules: RuleSet) throws -> Data {
        try DeterministicJSON.encode(rules)
    }
}
