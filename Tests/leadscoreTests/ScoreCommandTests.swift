import Foundation
import Testing
import _TestSupport

/// `leadscore score` as a user runs it: table and history input, reasons, formats, bad input and atomic output.
@Suite struct ScoreCommandTests {
    static let table = "datasets/table/leads.csv"

    /// A table model trained on the shipped sample, once for the suite.
    static let tableModel: String = {
        let path = try! CLI.temporaryFolder().appendingPathComponent("model.json").path
        let run = try! CLI.run(["train", "--table", table, "--label", "converted", "--positive", "won", "--id", "lead_id",
                                "--out", path])
        precondition(run.status == 0, "training the test model failed: \(run.stderr)")
        return path
    }()

    @Test func scoresATableTheSameBytesEveryRunToStandardOutputOrAFile() throws {
        let first = try CLI.run(["score", "--model", Self.tableModel, "--table", Self.table])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.isEmpty)
        let lines = first.stdout.split(separator: "\n")
        #expect(lines.count == 6_001)
        #expect(lines.first == "lead_id,probability,score,band")
        #expect(lines[1].hasPrefix("L-000003,0."))
        let bands = Dictionary(grouping: lines.dropFirst().map { $0.split(separator: ",")[3] }, by: { $0 }).mapValues(\.count)
        #expect(Set(bands.keys) == ["sales-ready", "MQL", "early-stage"])
        #expect(abs(Double(bands["sales-ready"] ?? 0) / 6_000 - 0.1) < 0.01)

        let second = try CLI.run(["score", "--model", Self.tableModel, "--table", Self.table])
        #expect(second.stdoutData == first.stdoutData)
        let out = try CLI.temporaryFolder().appendingPathComponent("scores.csv").path
        let toFile = try CLI.run(["score", "--model", Self.tableModel, "--table", Self.table, "--out", out])
        #expect(toFile.status == 0, "\(toFile.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == first.stdoutData)
        #expect(toFile.stdout.hasPrefix("Scored 6,000 leads to \(out) (sales-ready "))
    }

    @Test func explainGivesReasonsEachWayAndJSONLinesStream() throws {
        let csv = try CLI.run(["score", "--model", Self.tableModel, "--table", Self.table, "--explain", "2"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.hasPrefix("lead_id,probability,score,band,reason_up_1,reason_up_2,reason_down_1,reason_down_2\n"))
        #expect(csv.stdout.contains("(typical Software), +"))

        let json = try CLI.run(["score", "--model", Self.tableModel, "--table", Self.table, "--explain", "2", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let objects = try json.stdout.split(separator: "\n").map { try CLI.json(Data($0.utf8)) }
        #expect(objects.count == 6_000)
        for object in objects.prefix(200) {
            #expect(object["lead_id"] is String)
            let p = try #require(object["probability"] as? Double)
            #expect(p > 0 && p < 1)
            let score = try #require(object["score"] as? Int)
            #expect((0...100).contains(score))
            let up = try #require(object["reasons_up"] as? [[String: Any]])
            let down = try #require(object["reasons_down"] as? [[String: Any]])
            #expect(up.count <= 2 && down.count <= 2)
            #expect(up.allSatisfy { ($0["contribution"] as? Double ?? 0) > 0 })
            #expect(down.allSatisfy { ($0["contribution"] as? Double ?? 0) < 0 })
        }
    }

    @Test func aBadNumberFailsWithFileAndLineAndLeavesThePreviousOutputIntact() throws {
        let folder = try CLI.temporaryFolder()
        var lines = try String(contentsOfFile: CLI.root.appendingPathComponent(Self.table).path, encoding: .utf8)
            .split(separator: "\n").prefix(5_001).map(String.init)
        lines.append("L-9001,Retail,VP,12abc,US,Webinar,1,0,0,0,0,0,0,0,12,lost")
        let table = folder.appendingPathComponent("bad.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: table, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("scores.csv").path
        try "previous scores\n".write(toFile: out, atomically: true, encoding: .utf8)

        let run = try CLI.run(["score", "--model", Self.tableModel, "--table", table, "--out", out])
        #expect(run.status == 1)
        #expect(run.stderr == "leadscore: error: \(table):5002: column \"company_size\": \"12abc\" is not a number (the model was trained on numbers in this column)\n")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "previous scores\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["bad.csv", "scores.csv"])

        let noFolder = try CLI.run(["score", "--model", Self.tableModel, "--table", Self.table, "--out", folder.appendingPathComponent("no/such.csv").path])
        #expect(noFolder.status == 3)
        #expect(noFolder.stderr.contains("does not exist"))
    }

    @Test func historyScoringAsOfIgnoresLaterEvents() throws {
        let history = SyntheticHistory(count: 300, gapDays: 0, seed: 21)
        let folder = try CLI.temporaryFolder()
        let f = try history.write(to: folder)
        let model = folder.appendingPathComponent("m.json").path
        let train = try CLI.run(["train", "--contacts", f.contacts, "--events", f.events, "--outcomes", f.outcomes, "--out", model])
        #expect(train.status == 0, "\(train.stderr)")

        let asOf = SyntheticHistory.start + 140 * SyntheticHistory.day
        var later = history.events
        for (k, line) in history.contacts.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            let id = fields[0]
            guard fields[1] < SyntheticHistory.iso(asOf) else { continue }  // an event before its contact was created is an error
            later.insert("\(id),\(SyntheticHistory.iso(asOf)),pricing_page_view,", at: 1)
            later.append("\(id),\(SyntheticHistory.iso(asOf + Int64(k % 20) * SyntheticHistory.day + 60)),demo_request,")
        }
        let laterFolder = try CLI.temporaryFolder()
        let g = try history.write(to: laterFolder, events: later)
        let args = ["score", "--model", model, "--as-of", SyntheticHistory.iso(asOf), "--explain", "1"]
        let a = try CLI.run(args + ["--contacts", f.contacts, "--events", f.events])
        let b = try CLI.run(args + ["--contacts", g.contacts, "--events", g.events])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout.hasPrefix("contact_id,probability,score,band,reason_up_1,reason_down_1\n"))
        #expect(a.stdout.split(separator: "\n").count > 100)
        #expect(a.stdoutData == b.stdoutData)
        // Without --as-of (now), the later events count and the scores move.
        let now = try CLI.run(["score", "--model", model, "--contacts", g.contacts, "--events", g.events])
        #expect(now.status == 0, "\(now.stderr)")
        #expect(now.stdout != a.stdout)
    }

    @Test func modelAndInputMustMatch() throws {
        let history = SyntheticHistory(count: 50, gapDays: 0, seed: 3)
        let f = try history.write(to: try CLI.temporaryFolder())
        let run = try CLI.run(["score", "--model", Self.tableModel, "--contacts", f.contacts, "--events", f.events])
        #expect(run.status == 1)
        #expect(run.stderr.contains("the model was trained in table mode"))
    }

    @Test(arguments: [
        (["--bands", "a=0.2,b=0.3"], "--bands: band \"b\" (0.3) must have a lower probability than \"a\" (0.2)"),
        (["--bands", "hot=top2.5%"], "use a whole percentage"),
        (["--as-of", "2026-01-01"], "--as-of applies to contact history (--contacts and --events), not to a table"),
        (["--explain=-1"], "--explain takes a number of reasons"),
        (["--contacts", "c.csv"], "give either --table or --contacts/--events/--outcomes, not both"),
        (["--outcomes", "o.csv"], "give either --table or --contacts/--events/--outcomes, not both"),
    ])
    func badOptionsAreUsageErrors(extra: [String], message: String) throws {
        let run = try CLI.run(["score", "--model", Self.tableModel, "--table", Self.table] + extra)
        #expect(run.status == 64)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test func bandsCanBeChosenAtScoringTime() throws {
        let run = try CLI.run(["score", "--model", Self.tableModel, "--table", Self.table, "--bands", "hot=0.5,warm=0.1,cold=rest"])
        #expect(run.status == 0, "\(run.stderr)")
        let bands = Set(run.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[3] })
        #expect(bands == ["hot", "warm", "cold"])
    }

    @Test func helpHasExamples() throws {
        let run = try CLI.run(["score", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("leadscore score --model model.json --table new_leads.csv > scores.csv"))
        #expect(run.stdout.contains("--explain"))
    }
}
