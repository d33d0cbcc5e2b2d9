import Features
import Foundation
import LeadData
import LinearAlgebra
import Training

/// Table mode, end to end: read a CSV with one row per lead, encode it, choose the penalty, fit, and build the model.
///
/// The CLI, the demo and the tests all call this, so they train the same way.
public struct TableTraining: Sendable {
    public var table: String
    public var encoding: TableEncodingOptions
    public var columnKinds: TableReadOptions
    public var penalty: TrainingPenalty
    public var estimator: LogisticRegression
    public var createdAt: String?

    public init(table: String, encoding: TableEncodingOptions, columnKinds: TableReadOptions = .init(),
                penalty: TrainingPenalty = .fixed(1), estimator: LogisticRegression = .init(), createdAt: String? = nil) {
        self.table = table
        self.encoding = encoding
        self.columnKinds = columnKinds
        self.penalty = penalty
        self.estimator = estimator
        self.createdAt = createdAt
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
    public func run() throws -> TrainingResult {
        let clock = ContinuousClock()
        let start = clock.now
        let (tableEncoding, design) = try prepare()
        let prepareSeconds = (clock.now - start).seconds
        let fitted = try ModelFitter(penalty: penalty, estimator: estimator)
            .fit(design, source: URL(fileURLWithPath: table).lastPathComponent)
        let model = LeadModel(encoding: tableEncoding, fit: fitted.fit, trainingData: fitted.summary, l2Search: fitted.search,
                              createdAt: createdAt)
        return TrainingResult(model: model, prepareSeconds: prepareSeconds, fitSeconds: fitted.fitSeconds,
                              searchSeconds: fitted.searchSeconds)
    }
}
