package import Foundation
package import LeadData

/// Reading and writing feature spec files (`leadscore features --init`, `--spec FILE`).
package enum HistoryFeatureSpecFile {
    /// The spec as JSON, defaults included, for a person to edit.
    package static func defaultJSON() throws -> Data {
        try DeterministicJSON.encode(HistoryFeatureSpec())
    }

    /// Reads and checks a spec; a missing key takes its default, an unknown key or a wrong type is an error naming it.
    package static func load(path: String) throws(InputError) -> HistoryFeatureSpec {
        let spec = try JSONFile.decode(HistoryFeatureSpec.self, from: try JSONFile.read(path: path, what: "the feature spec"), path: path)
        return try spec.validated(path: path)
    }
}
