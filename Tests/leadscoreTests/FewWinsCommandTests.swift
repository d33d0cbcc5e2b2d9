import Foundation
import Testing

/// Training on 0, 1, 2, 3 or 5 wins, in both input modes, with a fixed penalty, none, or `--l2 auto`, with and without a
/// holdout: a model with finite weights, or one line saying what is wrong (exit 2), never a crash or a NaN.
@Suite struct FewWinsCommandTests {
    static let settings: [(wins: Int, l2: String, holdout: String)] =
        [0, 1, 2, 3, 5].flatMap { wins in ["1", "0", "auto"].flatMap { l2 in ["20%", "0"].map { (wins, l2, $0) } } }

    /// 40 leads, the first `wins` of them won, with one numeric and one categorical column.
    static func table(wins: Int) -> String {
        let colors = ["red", "blue", "green"]
        let rows = (0..<40).map { i in
            "L\(i),\(Double((i * 37 + wins * 11) % 300) / 100),\(colors[(i * 7 + wins) % 3]),\(i < wins ? "won" : "lost")"
        }
        return (["id,x,color,y"] + rows).joined(separator: "\n") + "\n"
    }

    /// The baseline history case's outcomes with exactly `wins` of its 14 decided contacts won.
    static func outcomes(wins: Int) throws -> String {
        let path = CLI.root.appendingPathComponent("Tests/leadscoreTests/BadInputs/30-history-valid-baseline/outcomes.csv")
        let lines = try String(contentsOf: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let rows = lines.dropFirst().enumerated().map { k, line -> String in
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[1] = k < wins ? "won" : "lost"
            return fields.joined(separator: ",")
        }
        return ([lines[0]] + rows).joined(separator: "\n") + "\n"
    }

    func check(_ run: CLI.Result, model: URL, _ setting: String) throws {
        #expect(run.status == 0 || run.status == 2, "\(setting): exit \(run.status)\n\(run.stderr)")
        if run.status == 0 {
            let fit = try CLI.json(Data(contentsOf: model))["fit"] as? [String: Any]
            let weights = (fit?["coefficients"] as? [Any])?.compactMap { $0 as? Double } ?? []
            #expect(!weights.isEmpty && weights.allSatisfy(\.isFinite), "\(setting): weights \(String(describing: fit?["coefficients"]))")
        } else {
            #expect(run.stderr.hasPrefix("leadscore: error: ") && run.stderr.split(separator: "\n").count == 1, "\(setting): \(run.stderr)")
            #expect(!run.stderr.lowercased().contains("nan"), "\(setting): \(run.stderr)")
        }
    }

    @Test(arguments: settings)
    func tableModeGivesAModelOrAClearMessage(wins: Int, l2: String, holdout: String) throws {
        let tmp = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let table = tmp.appendingPathComponent("t.csv"), model = tmp.appendingPathComponent("m.json")
        try Data(Self.table(wins: wins).utf8).write(to: table)
        let run = try CLI.run(["train", "--table", table.path, "--label", "y", "--id", "id", "--l2", l2, "--holdout", holdout,
                               "--out", model.path])
        try check(run, model: model, "table, \(wins) wins, --l2 \(l2), --holdout \(holdout)")
        if wins == 0 { #expect(run.stderr.contains("every one of the 40 training rows is lost (0)"), "\(run.stderr)") }
        if wins > 0, l2 == "auto" { #expect(run.stderr.contains("only \(wins) of the 40 training rows"), "\(run.stderr)") }
    }

    @Test(arguments: settings)
    func historyModeGivesAModelOrAClearMessage(wins: Int, l2: String, holdout: String) throws {
        let tmp = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let outcomes = tmp.appendingPathComponent("outcomes.csv"), model = tmp.appendingPathComponent("m.json")
        try Data(Self.outcomes(wins: wins).utf8).write(to: outcomes)
        let baseline = "Tests/leadscoreTests/BadInputs/30-history-valid-baseline"
        let run = try CLI.run(["train", "--contacts", "\(baseline)/contacts.csv", "--events", "\(baseline)/events.csv",
                               "--outcomes", outcomes.path, "--l2", l2, "--holdout", holdout, "--out", model.path])
        try check(run, model: model, "history, \(wins) wins, --l2 \(l2), --holdout \(holdout)")
        if wins == 0 { #expect(run.stderr.contains("every one of the 14 training rows is lost (0)"), "\(run.stderr)") }
        if wins > 0, l2 == "auto" { #expect(run.stderr.contains("only \(wins) of the 14 training rows"), "\(run.stderr)") }
    }
}
