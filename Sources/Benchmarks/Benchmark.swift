package import Foundation
import LinearAlgebra
import Scoring
package import Training
import Workflows

/// `leadscore bench`: each stage of the pipeline timed on its own, on data the benchmark makes itself (a synthetic
/// history written to a temporary folder, a seeded synthetic matrix), so the figures can be reproduced anywhere.
///
/// `rank` writes a history of its own, of the size ``extraction`` says. `train`, `score` and `score-csv` share one
/// R x D matrix: training fits it, scoring scores it with the fitted coefficients, and `score-csv` scores it again from
/// a CSV. Temporary files are removed before returning.
package struct Benchmark: Sendable {
    package var stages: Set<BenchmarkStage>
    package var extraction: ExtractionBenchmark
    package var training: TrainingBenchmark
    /// Timed repetitions of train, score and score-csv; the fastest is reported.
    package var repeats: Int
    /// Thread counts the score stage also times, besides the default.
    package var scoreThreads: [Int]
    /// Where the temporary folder goes (default: the system's temporary directory).
    package var temporaryDirectory: URL

    package init(stages: Set<BenchmarkStage> = Set(BenchmarkStage.allCases), extraction: ExtractionBenchmark = .init(contacts: 200_000),
                training: TrainingBenchmark = .init(rows: 1_000_000, features: 50), repeats: Int = 3, scoreThreads: [Int] = [1, 2],
                temporaryDirectory: URL = FileManager.default.temporaryDirectory) {
        self.stages = stages
        self.extraction = extraction
        self.training = training
        self.repeats = repeats
        self.scoreThreads = scoreThreads
        self.temporaryDirectory = temporaryDirectory
    }

    /// Runs the chosen stages in pipeline order; `progress` hears of each stage as it starts.
    ///
    /// `data`, when given, is the synthetic matrix already made (the CLI makes it to export it too).
    package func run(data given: TrainingData? = nil, progress: (BenchmarkStage) -> Void = { _ in }) throws -> BenchmarkReport {
        let folder = temporaryDirectory.appendingPathComponent("leadscore-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        var report = BenchmarkReport()
        if stages.contains(.extract) || stages.contains(.design) {
            progress(stages.contains(.extract) ? .extract : .design)
            let history = folder.appendingPathComponent("history")
            try FileManager.default.createDirectory(at: history, withIntermediateDirectories: true)
            let (extract, design) = try extraction.run(in: history.path)
            if stages.contains(.extract) { report.extract = extract }
            if stages.contains(.design) { report.design = design }
            try? FileManager.default.removeItem(at: history)
        }
        if stages.contains(.rank) {
            progress(.rank)
            let history = folder.appendingPathComponent("ranked")
            try FileManager.default.createDirectory(at: history, withIntermediateDirectories: true)
            report.rank = try RankingBenchmark(contacts: extraction.contacts, activity: extraction.activity, seed: extraction.seed)
                .run(in: history.path)
            try? FileManager.default.removeItem(at: history)
        }
        if stages.contains(.train) || stages.contains(.score) || stages.contains(.scoreCSV) {
            let data = given ?? training.data()
            var fit: LogisticFit?
            if stages.contains(.train) {
                progress(.train)
                let timed = try training.timedFit(on: data, repeats: repeats)
                report.train = timed.timing
                fit = timed.fit
            }
            if stages.contains(.score) {
                progress(.score)
                let scoringFit = try fit ?? training.timedFit(on: data, repeats: 1).fit
                report.score = ScoringBenchmark(repeats: repeats, threadCounts: scoreThreads).run(scoringFit, on: data.features)
            }
            if stages.contains(.scoreCSV) {
                progress(.scoreCSV)
                report.scoreCSV = try TableScoringBenchmark(repeats: repeats).run(on: data, in: folder.path)
            }
        }
        report.blas = BenchmarkReport.BLAS(core: BLASRuntime.coreName, threads: BLASRuntime.threads)
        report.gramKernel = GramKernel.usesAVX2 ? "avx2" : "portable"
        report.cpus = ProcessInfo.processInfo.activeProcessorCount
        report.peakRSSBytes = PeakMemory.residentBytes
        return report
    }
}
