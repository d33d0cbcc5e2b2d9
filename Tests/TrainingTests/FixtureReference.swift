import Foundation
import LeadData

/// A committed reference fit (see Fixtures/README.md): what scikit-learn and statsmodels found on a fixture.
struct FixtureReference: Decodable {
    struct Fit: Decodable {
        var intercept: Double
        var coefficients: [String: Double]
        var objective: Double
    }
    struct Unpenalised: Decodable {
        var intercept: Double
        var coefficients: [String: Double]
        var standard_errors: [String: Double]
        var intercept_standard_error: Double
    }

    var fixture: String
    var l2: Double
    var min_level_count: Int
    var label: String
    var positive: String
    var id: String
    var weights_column: String?
    var features: [String]
    var sklearn_newton_cholesky: Fit
    var statsmodels: Unpenalised?

    /// The folder holding the committed fixtures.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let names = ["numeric", "mixed", "unpenalised", "weighted", "rare_events"]

    static func load(_ name: String) throws -> FixtureReference {
        let data = try Data(contentsOf: folder.appendingPathComponent(name).appendingPathComponent("reference.json"))
        return try JSONDecoder().decode(FixtureReference.self, from: data)
    }

    static func path(_ name: String, _ file: String) -> String {
        folder.appendingPathComponent(name).appendingPathComponent(file).path
    }

    /// The expected design matrix: header names and rows of numbers (id column as text dropped).
    static func expectedDesign(_ name: String) throws -> (header: [String], rows: [[Double]]) {
        let reader = try CSVReader(path: path(name, "design.csv"))
        var rows: [[Double]] = []
        while try reader.next() {
            rows.append((1..<reader.record.count).map { i in
                if case .value(let v) = reader.record.number(at: i) { return v }
                return .nan
            })
        }
        return (Array(reader.header.dropFirst()), rows)
    }
}

/// The relative difference used by the peer script: `|a - b| / max(|b|, 1e-3)`.
func relativeDifference(_ a: Double, _ b: Double) -> Double {
    abs(a - b) / max(abs(b), 1e-3)
}
