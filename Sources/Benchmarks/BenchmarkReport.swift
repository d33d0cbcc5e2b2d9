import Foundation
import LeadData
import Scoring
import Workflows

/// What `leadscore bench` measured: one entry per stage that ran (absent otherwise), the machine's OpenBLAS
/// kernel and threads, the trainer's Gram kernel, its CPUs, and the peak resident memory of the whole run.
///
/// Encoded with ``DeterministicJSON`` the keys are stable snake_case: `extract.events_per_second`, `train.seconds`,
/// `score.leads_per_second`, `score_csv.leads_per_second`, `peak_rss_bytes`, ...
package struct BenchmarkReport: Codable, Sendable {
    /// The OpenBLAS build as it runs here.
    package struct BLAS: Codable, Sendable {
        /// The kernel OpenBLAS chose for this CPU, e.g. `Zen` or `SkylakeX`.
        package var core: String
        package var threads: Int
    }

    package var extract: ExtractionBenchmark.Timing?
    package var design: ExtractionBenchmark.DesignTiming?
    package var train: TrainingBenchmark.Timing?
    package var score: ScoringBenchmark.Timing?
    package var scoreCSV: TableScoringBenchmark.Timing?
    package var rank: RankingBenchmark.Timing?
    package var blas = BLAS(core: "unknown", threads: 1)
    /// Which version of the trainer's Gram kernel runs here: `avx2` (AVX2 and FMA) or `portable`.
    package var gramKernel = "portable"
    package var cpus = 1
    /// `getrusage`'s peak resident set of the whole run, in bytes.
    package var peakRSSBytes = 0

    package init() {}

    /// One human-readable line per stage that ran, then the machine.
    package var lines: [String] {
        func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
        func millions(_ x: Double) -> String { f(x / 1e6, 2) + " million" }
        var out: [String] = []
        if let e = extract {
            out.append("extract \(e.contacts) contacts, \(e.events) events (\(f(Double(e.bytes) / 1e6, 1)) MB): events pass \(f(e.seconds)) s, \(millions(e.eventsPerSecond)) events/s, \(f(e.megabytesPerSecond, 0)) MB/s; everything before the fit \(f(e.prepareSeconds)) s (generating took \(f(e.generateSeconds, 1)) s)")
        }
        if let d = design {
            out.append("design \(d.rows) x \(d.features): \(f(d.seconds)) s (vocabulary, feature table, encoding, matrix)")
        }
        if let t = train {
            out.append("train \(t.rows) x \(t.features): \(f(t.seconds)) s, \(t.iterations) iterations (\(f(t.secondsPerIteration)) s each), \(t.solver), objective \(t.objective), \(t.threads) thread(s)")
        }
        if let s = score {
            let runs = s.runs.map { "\($0.threads) thread(s) \(millions($0.leadsPerSecond))/s" }.joined(separator: ", ")
            out.append("score \(s.rows) x \(s.features) from memory: \(f(s.seconds, 4)) s, \(millions(s.leadsPerSecond)) leads/s at \(s.threads) thread(s) (\(runs))")
        }
        if let c = scoreCSV {
            out.append("score-csv \(c.rows) x \(c.features) (\(f(Double(c.bytes) / 1e6, 1)) MB CSV): \(f(c.seconds)) s, \(millions(c.leadsPerSecond)) leads/s, \(f(c.megabytesPerSecond, 0)) MB/s (writing the CSV took \(f(c.writeSeconds, 1)) s)")
        }
        if let r = rank {
            out.append("rank \(r.openLeads) open leads of \(r.contacts) contacts, \(r.events) events: history read into memory \(f(r.loadSeconds)) s, scored and ranked \(f(r.rankSeconds)) s (score on the same files: \(f(r.scoreSeconds)) s); a page of 50 \(f(r.pageMicroseconds, 1)) us, find \(f(r.findMicroseconds, 1)) us, search \(f(r.searchMicroseconds, 1)) us (generating took \(f(r.generateSeconds, 1)) s, training \(f(r.trainSeconds, 1)) s)")
        }
        out.append("machine: \(cpus) CPUs, OpenBLAS core \(blas.core), \(blas.threads) OpenBLAS thread(s), \(gramKernel) Gram kernel; peak resident memory \(f(Double(peakRSSBytes) / 1e9, 2)) GB")
        return out
    }
}
