import Features
import Foundation
import LeadData
import Rules
import Training

/// A trained lead-scoring model: everything needed to score the same columns later and to explain the weights.
///
/// Saved as JSON with sorted keys, so the same training run gives the same bytes. `format_version` guards against
/// reading a file written by an incompatible version.
public struct LeadModel: Codable, Sendable, Equatable {
    /// The version of this file format; loading any other is an error.
    public static let currentFormatVersion = 2

    public var formatVersion: Int
    /// How the model reads its input: `table` (one row per lead) or `history` (contacts and events).
    public var inputKind: String
    /// For `history` models: the feature spec, event vocabulary and cutoffs.
    public var history: HistoryInput?
    /// When the model was made: passed in or taken from the data, never the wall clock, so retraining is reproducible.
    public var createdAt: String?
    /// How table columns become standardised features.
    public var encoding: TableEncoding
    /// The fit on the standardised features: weights per standard deviation, standard errors, solver trace.
    public var fit: LogisticFit
    /// The weights per raw unit of each feature and the matching intercept: `w_j / scale_j`, `b - sum w_j mean_j / scale_j`.
    public var rawCoefficients: [Double]
    public var rawIntercept: Double
    /// What the model was trained on.
    public var trainingData: TrainingDataSummary
    /// The penalty search, when the penalty was chosen by cross-validation.
    public var l2Search: RegularizationPath?
    /// How a first fit on part of the data did on the rest (the most recent in history mode), next to the rules.
    public var holdout: HoldoutSummary?
    /// Turns a probability into the 0-100 score: percentiles of the training leads' probabilities.
    public var scoreScale: ScoreScale
    /// The model's bands (sales-ready, MQL, early-stage by default).
    public var bands: ModelBands
    /// The rules the model was trained next to: their calibration and what the data say each rule is worth.
    public var rules: RulesBaseline?

    /// Combines an encoding and a fit made on its standardised features.
    public init(encoding: TableEncoding, fit: LogisticFit, trainingData: TrainingDataSummary,
                l2Search: RegularizationPath?, createdAt: String?, history: HistoryInput? = nil,
                scoreScale: ScoreScale, bands: ModelBands = .default) {
        self.scoreScale = scoreScale
        self.bands = bands
        formatVersion = Self.currentFormatVersion
        inputKind = history == nil ? "table" : "history"
        self.history = history
        self.createdAt = createdAt
        self.encoding = encoding
        self.fit = fit
        self.trainingData = trainingData
        self.l2Search = l2Search
        rawCoefficients = zip(fit.coefficients, encoding.features).map { $0 / $1.scale }
        rawIntercept = fit.intercept - zip(fit.coefficients, encoding.features).map { $0 * $1.mean / $1.scale }.reduce(0, +)
    }

    // MARK: - File

    /// The model as deterministic JSON (sorted keys, snake_case, shortest round-trip numbers).
    public func jsonData() throws -> Data {
        try DeterministicJSON.encode(self)
    }

    /// Writes the model atomically: a failure leaves any previous file at `path` untouched.
    public func write(to path: String) throws {
        try AtomicFile.write(try jsonData(), to: path)
    }

    /// Reads a model file, checking its format version first.
    public static func load(path: String) throws(InputError) -> LeadModel {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputError(file: path, line: nil, message: "cannot read the model file (\(error.localizedDescription))")
        }
        return try load(data: data, path: path)
    }

    /// Reads a model from the bytes of a file already read (the server hashes the same bytes it loads); `path` is
    /// for errors. The same checks as ``load(path:)``.
    public static func load(data: Data, path: String) throws(InputError) -> LeadModel {
        let decoder = DeterministicJSON.decoder()
        struct Version: Decodable { var formatVersion: Int? }
        guard (try? JSONSerialization.jsonObject(with: data)) != nil else {
            throw InputError(file: path, line: nil, message: "not a leadscore model file: it is not valid JSON (truncated?)")
        }
        guard let version = try? decoder.decode(Version.self, from: data) else {
            throw InputError(file: path, line: nil, message: "field \"format_version\" must be a whole number")
        }
        guard version.formatVersion == currentFormatVersion else {
            let found = version.formatVersion.map(String.init) ?? "missing"
            throw InputError(file: path, line: nil,
                             message: "format_version is \(found), but this leadscore reads version \(currentFormatVersion): retrain the model with this version")
        }
        let model: LeadModel
        do { model = try decoder.decode(LeadModel.self, from: data) } catch {
            throw InputError(file: path, line: nil, message: "the model file is damaged: \(Self.describe(error))")
        }
        if let problem = model.inconsistency {
            throw InputError(file: path, line: nil, message: "the model file is damaged: \(problem)")
        }
        return model
    }

    /// The first field whose length disagrees with the features, if any.
    var inconsistency: String? {
        let d = encoding.features.count
        let lengths: [(String, Int?)] = [("fit.coefficients", fit.coefficients.count), ("fit.feature_names", fit.featureNames.count),
                                         ("raw_coefficients", rawCoefficients.count), ("fit.standard_errors", fit.standardErrors?.count)]
        for (field, count) in lengths {
            if let count, count != d { return "field \"\(field)\" has \(count) entries for \(d) features" }
        }
        if fit.featureNames != encoding.featureNames { return "field \"fit.feature_names\" does not match \"encoding.features\"" }
        return nil
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "field \"\(path(context).isEmpty ? "" : path(context) + ".")\(key.stringValue)\" is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "field \"\(path(context))\": \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
