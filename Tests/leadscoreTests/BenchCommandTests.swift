import Foundation
import Testing

/// `leadscore bench`: every stage runs on data it makes itself and reports its figures under stable JSON keys.
@Suite struct BenchCommandTests {
    @Test func benchReportsEveryStageUnderStableKeys() throws {
        let run = try CLI.run(["bench", "--contacts", "500", "--rows", "2000", "--features", "5", "--repeats", "1",
                               "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try CLI.json(run.stdoutData)
        let required = [
            "train.seconds", "train.iterations", "train.seconds_per_iteration",
            "extract.seconds", "extract.events_per_second", "extract.megabytes_per_second", "extract.events", "extract.bytes",
            "design.seconds", "design.rows", "design.features",
            "score.leads_per_second", "score.seconds", "score.threads",
            "score_csv.leads_per_second", "score_csv.seconds", "score_csv.bytes",
            "rank.load_seconds", "rank.rank_seconds", "rank.score_seconds", "rank.open_leads", "rank.page_microseconds",
            "rank.find_microseconds", "rank.search_microseconds",
            "blas.threads", "cpus", "peak_rss_bytes",
        ]
        for key in required {
            var value: Any? = json
            for part in key.split(separator: ".") { value = (value as? [String: Any])?[String(part)] }
            let number = (value as? NSNumber)?.doubleValue
            #expect(number.map { $0 > 0 } == true, "\(key) is \(String(describing: value))")
        }
        let core = (json["blas"] as? [String: Any])?["core"] as? String
        #expect(core?.isEmpty == false)
        #expect(["avx2", "portable"].contains(json["gram_kernel"] as? String ?? ""))
        let runs = (json["score"] as? [String: Any])?["runs"] as? [[String: Any]]
        let threads = Set(runs?.compactMap { $0["threads"] as? Int } ?? [])
        #expect(threads.isSuperset(of: [1, 2]))
    }

    @Test func benchRunsOnlyTheStagesAsked() throws {
        let run = try CLI.run(["bench", "--stages", "train", "--rows", "500", "--features", "3", "--repeats", "1",
                               "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try CLI.json(run.stdoutData)
        #expect(json["train"] != nil)
        #expect(json["extract"] == nil && json["score"] == nil && json["score_csv"] == nil && json["rank"] == nil)
    }

    @Test func benchRejectsAnUnknownStage() throws {
        let run = try CLI.run(["bench", "--stages", "train,fly"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--stages takes a comma-separated list"))
    }
}
