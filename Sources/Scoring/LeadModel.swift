public import Features
public import Foundation
public import LeadData
import Rules
public import Training

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
    /// History models: per event type, what one more event just now does (absent in table models and older files).
    public var eventEffects: [EventEffect]?
    /// How the leads the model was made for looked at training time, for `monitor` (absent in older files).
    public var reference: ReferenceDistributions?

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
        let data = try JSONFile.read(path: path, what: "the model file")
        return try load(data: data, path: path)
    }

    /// Reads a model from the bytes of a file already read (the server hashes the same bytes it loads); `path` is
    /// for errors. The same checks as ``load(path:)``.
    public static func load(data: Data, path: String) throws(InputError) -> LeadModel {
        try JSONFile.checkSyntax(data, path: path)
        struct Version: Decodable { var formatVersion: Int? }
        let version: Version
        do { version = try JSONFile.decode(Version.self, from: data, path: path) } catch {
            throw InputError(file: path, line: nil, message: "not a leadscore model file: \(error.message)")
        }
        guard version.formatVersion != nil else {
            throw InputError(file: path, line: nil, message: "not a leadscore model file: it has no \"format_version\" (a rules file or a feature spec?)")
        }
        guard version.formatVersion == currentFormatVersion else {
            let found = version.formatVersion.map(String.init) ?? "missing"
            throw InputError(file: path, line: nil,
                             message: "format_version is \(found), but this leadscore reads version \(currentFormatVersion): retrain the model with this version")
        }
        let model: LeadModel
        do { model = try JSONFile.decode(LeadModel.self, from: data, path: path) } catch {
            throw InputError(file: path, line: nil, message: "the model file is damaged: \(error.message)")
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
        // Scoring multiplies and divides by these: one NaN, infinity or zero scale would score every lead NaN or 0/1.
        let numbers: [(String, Double)] = [("fit.intercept", fit.intercept), ("raw_intercept", rawIntercept)]
            + fit.coefficients.enumerated().map { ("fit.coefficients[\($0)]", $1) }
            + rawCoefficients.enumerated().map { ("raw_coefficients[\($0)]", $1) }
            + encoding.features.enumerated().flatMap { [("encoding.features[\($0)].mean", $1.mean), ("encoding.features[\($0)].scale", $1.scale)] }
        if let (field, value) = numbers.first(where: { !$0.1.isFinite }) { return "field \"\(field)\" is \(value), not a finite number" }
        if let j = encoding.features.firstIndex(where: { !($0.scale > 0) }) {
            return "field \"encoding.features[\(j)].scale\" is \(encoding.features[j].scale); a scale must be above 0"
        }
        if let problem = reference?.inconsistency(with: encoding) { return problem }
        let bound = logOddsBound
        guard bound.isFinite, bound <= Self.maxLogOdds else {
            return "the weights are too large: a lead within the training ranges could get log-odds of \(DecimalText.readable(bound)), and no trained model goes beyond \(Int(Self.maxLogOdds))"
        }
        return nil
    }

    /// The most log-odds any model fitted by leadscore gives a lead: a probability of 1 - 1e-434 is far past meaning, so
    /// a bound above this says the weights were damaged, not learned.
    static let maxLogOdds = 1000.0

    /// The largest |log-odds| any lead can get: the intercept plus, for every feature, its weight times its farthest
    /// standardised value within the training range (scoring clamps values to that range, so no input goes beyond).
    /// For a numeric feature of a file without recorded ranges, ten standard deviations.
    var logOddsBound: Double {
        var bound = abs(fit.intercept)
        for (w, feature) in zip(fit.coefficients, encoding.features) {
            let farthest = feature.trainingRange.map { max(abs($0.lowerBound - feature.mean), abs($0.upperBound - feature.mean)) / feature.scale } ?? 10
            bound += abs(w) * farthest
        }
        return bound
    }
}
