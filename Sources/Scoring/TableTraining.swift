import Features
import Foundation
import LeadData
import LinearAlgebra
import Training

/// Table mode, end to end: read a CSV with one row per lead, encode it, choose the penalty, fit, and build the model.
///
/// The CLI, the demo and the tests all call this, so they train the same way.
public struct TableTraining: Sendable {
    /// How the penalty is set.
    public enum Penalty: Sendable, Equatable {
        case fixed(Double)
        /// Cross-validated; see `RegularizationSearch`.
        case auto(folds: Int, seed: UInt64)
    }

    public var table: String
    public var encoding: TableEncodingOptions
    public var columnKinds: TableReadOptions
    public var penalty: Penalty
    public var estimator: LogisticRegression
    public var createdAt: String?

    public init(table: String, encoding: TableEncodingOptions, columnKinds: TableReadOptions = .init(),
                penalty: Penalty = .fixed(1), estimator: LogisticRegression = .init(), createdAt: String? = nil) {
        self.table = table
        self.encoding = encoding
        self.columnKinds = columnKinds
        self.penalty = penalty
        self.estimator = estimator
        self.createdAt = createdAt
    }

    /// What a training run produced, with timings of its stages.
    public struct Result: Sendable {
        public var model: LeadModel
        /// Seconds spent reading and encoding the table.
        public var prepareSeconds: Double
        /// Seconds in the final solver run alone (no reading, no penalty search).
        public var fitSeconds: Double
        /// Seconds in the penalty search, when there was one.
        public var searchSeconds: Double?
    }

    /// Reads and encodes the table: the design matrix exactly as the trainer sees it, and the encoding that made it.
    public func prepare() throws(InputError) -> (TableEncoding, DesignMatrix) {
        // The columns named on the command line must exist; say so in those words before reading any rows.
        let header = try CSVReader(path: table)
        for name in [encoding.label, encoding.id, encoding.weight].compactMap({ $0 }) {
            _ = try header.requireColumn(name)
        }
        let options = TableEncoding.readOptions(for: encoding, categorical: columnKinds.categorical,
                                                numeric: columnKinds.numeric, ignore: columnKinds.ignore)
        let data = try Table.read(path: table, options: options)
        let tableEncoding = try TableEncoding.fit(data, options: encoding)
        return (tableEncoding, try tableEncoding.design(for: data))
    }

    /// Trains and returns the model (not yet written anywhere).
    public func run() throws -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        let (tableEncoding, design) = try prepare()
        let prepared = clock.now
        let data = TrainingData(features: design.features, labels: design.labels, weights: design.weights,
                                featureNames: design.featureNames)
        var estimator = self.estimator
        var search: RegularizationPath? = nil
        var searchSeconds: Double? = nil
        switch penalty {
        case .fixed(let l2):
            estimator.l2 = l2
        case .auto(let folds, let seed):
            let searchStart = clock.now
            let path = try RegularizationSearch(folds: folds, seed: seed).run(data, estimator: estimator)
            searchSeconds = (clock.now - searchStart).seconds
            estimator.l2 = path.chosen
            search = path
        }
        let fitStart = clock.now
        let fit = try estimator.fit(data)
        let fitSeconds = (clock.now - fitStart).seconds
        let summary = TrainingDataSummary(source: URL(fileURLWithPath: table).lastPathComponent, rows: design.labels.count,
                                          positives: design.labels.filter { $0 == 1 }.count, features: design.featureNames.count,
                                          fingerprint: design.fingerprint)
        let model = LeadModel(encoding: tableEncoding, fit: fit, trainingData: summary, l2Search: search, createdAt: createdAt)
        return Result(model: model, prepareSeconds: (prepared - start).seconds, fitSeconds: fitSeconds, searchSeconds: searchSeconds)
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
