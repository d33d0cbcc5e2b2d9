import Foundation
import LeadData

/// Reading and writing rules files (`--rules FILE`, `leadscore explain --write-rules FILE`).
public enum RuleSetFile {
    /// Reads and checks a rules file; an unknown key, a wrong type or an impossible value is an error naming the key.
    public static func load(path: String) throws(InputError) -> RuleSet {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputError(file: path, line: nil, message: "cannot read the rules file (\(error.localizedDescription))")
        }
        var rules: RuleSet
        do { rules = try DeterministicJSON.decoder().decode(RuleSet.self, from: data) } catch let error as DecodingError {
            throw InputError(file: path, line: nil, message: StrictDecoding.describe(error))
        } catch {
            throw InputError(file: path, line: nil, message: "\(error)")
        }
        if let problem = rules.validationError() { throw InputError(file: path, line: nil, message: problem) }
        if rules.name == nil { rules.name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }
        return rules
    }

    /// Writes a rules file atomically, in the format `load` reads.
    public static func write(_ rules: RuleSet, to path: String) throws {
        try AtomicFile.write(try DeterministicJSON.encode(rules), to: path)
    }
}
