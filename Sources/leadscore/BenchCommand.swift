import ArgumentParser
import Benchmarks
import Features
import Foundation
import LeadData
import Scoring
import Training

/// `leadscore bench`: time each stage (extraction, design matrix, training, scoring) on data it makes itself.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time each stage on synthetic data it makes itself (release builds only give meaningful figures).",
        discussion: """
            Stages: extract (a synthetic history of --contacts contacts written to a temporary folder, then \
            contacts, outcomes and the one pass over events.csv), design (the encoding into the design matrix), \
            train (a seeded --rows x --features matrix), score (probabilities from that matrix in memory, also at \
            1 and 2 threads), score-csv (the same matrix scored from a CSV, end to end), rank (a synthetic \
            history of --contacts contacts read into memory, its open leads scored and ranked as the server's \
            list of leads holds them, then pages, finds and id searches timed; beside it, score on the same files). \
            Temporary files are removed at the end.

            Examples:
              swift build -c release
              .build/release/leadscore bench
              .build/release/leadscore bench --format json
              .build/release/leadscore bench --stages train --rows 1000000 --features 200
              .build/release/leadscore bench --stages extract,design --activity 12
              .build/release/leadscore bench --stages train --rows 1000000 --features 50 \\
                --export /tmp/X.csv
              python3 datasets/tools/sklearn_check.py /tmp/X.csv --id row --l2 1 \\
                --solvers newton-cholesky,lbfgs --tol 1e-10
            """
    )

    @Option(help: "Contacts of the synthetic history (extract, design, rank).") var contacts: Int = 200_000
    @Option(help: "Event volume of the synthetic history: 1 gives about 5.5 events per contact, 12 about 50.") var activity: Double = 1
    @Option(help: "Rows of the synthetic matrix (train, score, score-csv).") var rows: Int = 1_000_000
    @Option(help: "Features of the synthetic matrix.") var features: Int = 50
    @Option(help: "L2 penalty.") var l2: Double = 1
    @Option(help: "Trainer threads (default: one per core; OpenBLAS runs single-threaded inside).") var threads: Int?
    @Option(help: "Timed repetitions; the fastest is reported.") var repeats: Int = 3
    @Option(help: ArgumentHelp("Stages to run, comma-separated.", valueName: "extract,design,train,score,score-csv,rank"))
    var stages: String = BenchmarkStage.allCases.map(\.rawValue).joined(separator: ",")
    @Option(help: ArgumentHelp("Also write the matrix as CSV, to fit another tool on the same data.", valueName: "X.csv"))
    var export: String?
    @Option(help: "text or json.") var format: OutputFormat = .text

    func validate() throws {
        guard rows >= 2 else { throw ValidationError("--rows must be at least 2") }
        guard features >= 1 else { throw ValidationError("--features must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        guard l2 >= 0, l2.isFinite else { throw ValidationError("--l2 must be a number >= 0") }
        if let problem = ExtractionBenchmark(contacts: contacts, activity: activity).problem { throw ValidationError(problem) }
        guard BenchmarkStage.parseList(stages) != nil else {
            throw ValidationError("--stages takes a comma-separated list of \(BenchmarkStage.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(stages)\"")
        }
    }

    func run() throws {
        try Failure.guarding {
            let training = TrainingBenchmark(rows: rows, features: features, l2: l2, threads: threads)
            let selected = BenchmarkStage.parseList(stages)!
            let needsMatrix = !selected.isDisjoint(with: [.train, .score, .scoreCSV])
            let data = export != nil || needsMatrix ? training.data() : nil
            if let export, let data {
                let design = DesignMatrix(ids: (1...rows).map(String.init), labels: data.labels, weights: nil,
                                          features: data.features, featureNames: data.featureNames)
                try DesignMatrixCSV.write(design, idColumn: "row", to: export)
            }
            let bench = Benchmark(stages: selected, extraction: ExtractionBenchmark(contacts: contacts, activity: activity),
                                  training: training, repeats: repeats)
            let report = try bench.run(data: data) { stage in
                if format == .text { FileHandle.standardError.write(Data("running \(stage.rawValue)...\n".utf8)) }
            }
            switch format {
            case .json: emit(try DeterministicJSON.encode(report))
            case .text: emit(report.lines.joined(separator: "\n") + "\n")
            }
        }
    }
}
