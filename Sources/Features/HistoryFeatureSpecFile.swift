import Foundation
import LeadData

/// Reading and writing feature spec files (`leadscore features --init`, `--spec FILE`).
public enum HistoryFeatureSpecFile {
    /// The spec as JSON, defaults included, for a person to edit.
    public static func defaultJSON() throws -> Data {
        try DeterministicJSON.encode(HistoryFeatureSpec())
    }

    /// Reads and checks a spec; a missing key takes its default, an unknown key or a wrong type is an error naming it.
    public static func load(path: String) throws(SpecError) -> HistoryFeatureSpec {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw SpecError(path: path, message: "cannot read the feature spec (\(error.localizedDescription))")
        }
        let spec: HistoryFeatureSpec
        do { spec = try DeterministicJSON.decoder().decode(HistoryFeatureSpec.self, from: data) } catch let error as DecodingError {
            throw SpecError(path: path, message: StrictDecoding.describe(error))
        } catch {
            throw SpecError(path: path, message: "\(error)")
        }
        return try spec.validated(path: path)
    }
}
