public import Features
public import Foundation
public import LeadData
public import Scoring
public import Training
import Workflows

/// The shipped sample table and model, and models built from them, for scoring tests.
public enum ScoringFixtures {
    /// The repository root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `datasets/table/leads.csv`: 6,000 leads with categories, a numeric column with missing values, and `lead_id`.
    public static let leadsCSV = root.appendingPathComponent("datasets/table/leads.csv").path

    /// The parts of `models/leads.json` that scoring needs (read directly, whatever the file's format version).
    public struct ShippedParts: Decodable, Sendable {
        public var encoding: TableEncoding
        public var fit: LogisticFit
        public var trainingData: TrainingDataSummary
    }

    public static let shipped: ShippedParts = {
        let data = try! Data(contentsOf: root.appendingPathComponent("models/leads.json"))
        return try! DeterministicJSON.decoder().decode(ShippedParts.self, from: data)
    }()

    /// How the scoring path reads the training table for a batch comparison: every column as the encoding read it.
    public static func readOptions(_ encoding: TableEncoding) -> TableReadOptions {
        TableEncoding.readOptions(for: encoding.options,
                                  categorical: Set(encoding.recipes.filter { $0.role == .categorical }.map(\.column)),
                                  numeric: Set(encoding.recipes.filter { $0.role == .numeric }.map(\.column)))
    }

    /// A table model with the shipped encoding and fit, its score scale made from its training leads' probabilities.
    public static let tableModel: LeadModel = {
        let parts = shipped
        let table = try! Table.read(path: leadsCSV, options: readOptions(parts.encoding))
        let design = try! parts.encoding.design(for: table)
        let scale = ScoreScale(trainingProbabilities: parts.fit.probabilities(for: design.features))
        return LeadModel(encoding: parts.encoding, fit: parts.fit, trainingData: parts.trainingData, l2Search: nil,
                         createdAt: nil, scoreScale: scale)
    }()

    /// The batch design matrix of a table (no label needed) under the model's encoding.
    public static func batchDesign(_ model: LeadModel, table path: String) throws -> DesignMatrix {
        let table = try Table.read(path: path, options: readOptions(model.encoding))
        return try model.encoding.design(for: table, labelled: false)
    }

    /// A fresh temporary folder.
    public static func folder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scoring-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `lines` as a CSV file named `name` in a fresh folder.
    public static func write(_ lines: [String], name: String = "leads.csv") -> String {
        let path = folder().appendingPathComponent(name).path
        try! (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The first `count` data lines of leads.csv, with its header.
    public static func leadsLines(_ count: Int) -> [String] {
        let text = try! String(contentsOfFile: leadsCSV, encoding: .utf8)
        return Array(text.split(separator: "\n").prefix(count + 1).map(String.init))
    }

    /// Streams a table through ``TableScoring`` and collects every lead.
    public static func streamed(_ model: LeadModel, table: String, chunkSize: Int, reasons: Int = 0) throws -> [ScoredLead] {
        var all: [ScoredLead] = []
        _ = try TableScoring(model: model, table: table, scale: model.scoreScale, bands: model.bands, reasons: reasons,
                             chunkSize: chunkSize).run { all += $0 }
        return all
    }
}
