import Features
import Foundation
import LeadData
import LinearAlgebra
import Scoring
package import Training
import Workflows

/// Times table scoring end to end, as `leadscore score --table` runs it: a CSV of leads (an id column, a label the
/// scorer ignores, and the features) read in chunks, each record encoded, scored and handed to a sink that
/// discards it, so the figure is reading, parsing, encoding and scoring without the output formatting.
///
/// The model is a small table model trained by ``TableTraining`` on the first rows of the same matrix, so the
/// encoding is the one a real table model has (a standardisation per column).
package struct TableScoringBenchmark: Sendable {
    /// Rows the small model is trained on (at most the matrix's).
    package var trainingRows: Int
    /// Timed passes; the fastest is reported.
    package var repeats: Int

    package init(trainingRows: Int = 20_000, repeats: Int = 3) {
        self.trainingRows = trainingRows
        self.repeats = repeats
    }

    /// What one pass over the CSV took.
    package struct Timing: Codable, Sendable {
        package var rows, features: Int
        /// The size of the CSV scored.
        package var bytes: Int
        package var seconds, leadsPerSecond, megabytesPerSecond: Double
        /// Writing the CSV (not part of scoring; for context).
        package var writeSeconds: Double
    }

    /// Writes `data` as `score.csv` (and its first rows as `fit.csv`) into `folder`, trains the small model, and times
    /// scoring the CSV.
    package func run(on data: TrainingData, in folder: String) throws -> Timing {
        let clock = ContinuousClock()
        let table = URL(fileURLWithPath: folder).appendingPathComponent("score.csv").path
        let fitTable = URL(fileURLWithPath: folder).appendingPathComponent("fit.csv").path
        var start = clock.now
        let bytes = try Self.writeCSV(data, rows: data.rows, to: table)
        let writeSeconds = (clock.now - start).seconds
        _ = try Self.writeCSV(data, rows: min(max(trainingRows, 2), data.rows), to: fitTable)

        var training = TableTraining(table: fitTable, encoding: TableEncodingOptions(label: "label", positive: "1", id: "row"),
                                     createdAt: "benchmark")
        training.holdoutFraction = 0
        let model = try training.run().model

        var best = Double.infinity
        var checksum = 0.0
        for _ in 0..<max(1, repeats) {
            let scoring = TableScoring(model: model, table: table, scale: model.scoreScale, bands: model.bands)
            start = clock.now
            let summary = try scoring.run { leads in
                for lead in leads { checksum += lead.probability }
            }
            best = min(best, (clock.now - start).seconds)
            precondition(summary.scored == data.rows, "every row scored")
        }
        precondition(checksum.isFinite, "probabilities are finite")
        return Timing(rows: data.rows, features: data.columns, bytes: bytes, seconds: best,
                      leadsPerSecond: best > 0 ? Double(data.rows) / best : 0,
                      megabytesPerSecond: best > 0 ? Double(bytes) / 1e6 / best : 0, writeSeconds: writeSeconds)
    }

    /// Writes the first `rows` rows as `row,label,x1,...` with four decimals per feature (the size of real lead
    /// data, and quick to format), returning the bytes written.
    static func writeCSV(_ data: TrainingData, rows: Int, to path: String) throws -> Int {
        let writer = try AtomicFileWriter(path: path)
        var out = [UInt8]()
        out.reserveCapacity(1 << 20)
        out += (["row", "label"] + data.featureNames).map(DesignMatrixCSV.quoted).joined(separator: ",").utf8
        out.append(0x0A)
        var total = 0
        let d = data.columns
        try data.features.storage.withUnsafeBufferPointer { x in
            for i in 0..<rows {
                appendInteger(i + 1, to: &out)
                out.append(0x2C)
                out.append(data.labels[i] == 1 ? 0x31 : 0x30)
                for j in 0..<d {
                    out.append(0x2C)
                    appendFixed(x[i * d + j], to: &out)
                }
                out.append(0x0A)
                if out.count >= 1 << 20 {
                    try writer.write(out)
                    total += out.count
                    out.removeAll(keepingCapacity: true)
                }
            }
        }
        try writer.write(out)
        total += out.count
        try writer.commit()
        return total
    }

    /// Appends a non-negative integer's decimal digits.
    private static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = value, count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(0x30 + n % 10)
                n /= 10
                count += 1
            } while n > 0
            for k in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[k]) }
        }
    }

    /// Appends `value` rounded to four decimals, e.g. `-1.2345`.
    private static func appendFixed(_ value: Double, to out: inout [UInt8]) {
        let scaled = Int((abs(value) * 10_000).rounded())
        if value < 0 && scaled > 0 { out.append(0x2D) }
        appendInteger(scaled / 10_000, to: &out)
        out.append(0x2E)
        var fraction = scaled % 10_000, divisor = 1_000
        for _ in 0..<4 {
            out.append(UInt8(0x30 + fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }
}
