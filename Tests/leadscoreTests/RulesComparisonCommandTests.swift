import Foundation
import Testing

/// The rules baseline end to end through the binary: `train --rules` on both input modes, `compare`, weights
/// versus points, re-fitted rules and the Markdown/SVG report, on the shipped sample model and rules.
@Suite struct RulesComparisonCommandTests {
    static let sample = ["--contacts", "datasets/sample/contacts.csv", "--events", "datasets/sample/events.csv",
                         "--outcomes", "datasets/sample/outcomes.csv"]

    func json(_ args: [String]) throws -> [String: Any] {
        let result = try CLI.run(args + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try CLI.json(result.stdoutData)
    }

    func number(_ object: Any?, _ path: String...) -> Double? {
        var current = object
        for key in path { current = (current as? [String: Any])?[key] }
        return current as? Double
    }

    @Test func theShippedSampleModelBeatsTheSeedRulesOnItsHoldout() throws {
        let data = try Data(contentsOf: CLI.root.appendingPathComponent("models/sample.json"))
        let comparison = ((try CLI.json(data))["holdout"] as? [String: Any])?["comparison"]
        let p = try #require(number(comparison, "delong", "p_value"))
        #expect(p < 0.01)
        let model = try #require(number(comparison, "model", "auc")), rules = try #require(number(comparison, "rules", "auc"))
        #expect(model > rules)
        // The rules with re-fitted points sit between the two.
        let refitted = try #require((comparison as? [String: Any])?["other_rules"] as? [[String: Any]])
        #expect(refitted.count == 1)
        let refittedAUC = try #require(number(refitted.first, "auc"))
        #expect(refittedAUC > rules && refittedAUC < model)
    }

    @Test func compareGivesStableJSONKeys() throws {
        let out = try json(["compare", "--model", "models/sample.json", "--rules", "datasets/rules/seed.json"] + Self.sample)
        #expect(number(out, "model", "auc") != nil)
        #expect(number(out, "rules", "auc") != nil)
        #expect(try #require(number(out, "delong", "p_value")) < 0.01)
        #expect(number(out, "rules", "log_loss") != nil, "the model stores a calibration for the seed rules")
        #expect(number(out, "model", "capacity", "share_of_conversions") != nil)
        let bands = try #require(((out["rules"] as? [String: Any])?["bands"] as? [String: Any])?["rows"] as? [[String: Any]])
        #expect(bands.map { $0["band"] as? String } == ["sales-ready", "MQL", "early-stage"])
        #expect(bands.reduce(0) { $0 + ($1["leads"] as? Int ?? 0) } == 13_640)
    }

    @Test func compareSaysWhenItMeasuresOnTheTrainingData() throws {
        let result = try CLI.run(["compare", "--model", "models/sample.json"] + Self.sample)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("these are the very leads the model was trained on"))
        #expect(result.stdout.contains("The model ranks leads better than the seed rules"))
    }

    @Test func weightsVersusPointsShowTheSignalsTheRulesMisweight() throws {
        let out = try json(["explain", "--model", "models/sample.json", "--rules", "datasets/rules/seed.json"])
        let rows = try #require(out["rows"] as? [[String: Any]])
        func rule(_ name: String) -> [String: Any]? { rows.first { $0["signal"] as? String == name && $0["kind"] as? String == "rule" } }
        // The generator gives webinars almost nothing and email opens nothing; the seed rules give them +20 and +2.
        let webinar = try #require(rule("webinar_attended (per occurrence)"))
        #expect(webinar["rule_points"] as? Double == 20)
        #expect(try #require(webinar["data_points_upper"] as? Double) < 20)
        let opens = try #require(rule("email_open (per occurrence)"))
        #expect(try #require(opens["data_points_upper"] as? Double) < 2)
        // A demo request is worth more than the rules' +25, and inactivity costs far more than -5.
        #expect(try #require(rule("demo_request (per occurrence)")?["data_points_lower"] as? Double) > 25)
        #expect(try #require(rule("inactive 30+ days")?["data_points_upper"] as? Double) < -5)
        // Sorted by the size of the disagreement.
        let gaps = rows.map { abs($0["disagreement"] as? Double ?? 0) }
        #expect(gaps == gaps.sorted(by: >))
        #expect(rows.contains { $0["kind"] as? String == "feature" && $0["note"] as? String == "no rule" })
    }

    @Test func refittedRulesRankBetterThanTheOriginalsAndReadBack() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let refit = folder.appendingPathComponent("refit.json").path
        let written = try CLI.run(["explain", "--model", "models/sample.json", "--versus-rules", "--write-rules", refit])
        #expect(written.status == 0, "\(written.stderr)")
        let out = try json(["compare", "--model", "models/sample.json", "--rules", "datasets/rules/seed.json", "--rules", refit] + Self.sample)
        let others = try #require(out["other_rules"] as? [[String: Any]])
        #expect(others.first?["name"] as? String == "seed (refitted)")
        #expect(try #require(number(others.first, "auc")) > (try #require(number(out, "rules", "auc"))))
        #expect(number(others.first, "log_loss") != nil, "the re-fitted file carries its own calibration")
    }

    /// The caveat line a chart draws under its subtitle (`<text class="caveat">`), unescaped; nil when it has none.
    static func caveat(_ svg: String) -> String? {
        guard let start = svg.range(of: #"<text [^>]*class="caveat"[^>]*>"#, options: .regularExpression),
              let end = svg[start.upperBound...].range(of: "</text>") else { return nil }
        return String(svg[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&apos;", with: "'")
    }

    /// The x positions of the model's calibration markers (the first series, blue), as fractions of the plot's width.
    static func modelCalibrationPositions(_ svg: String) throws -> [Double] {
        func number(_ pattern: String, in text: Substring) -> Double? {
            text.range(of: pattern, options: .regularExpression).flatMap { match in
                Double(text[match].split(separator: "\"")[1])
            }
        }
        let area = try #require(svg.range(of: #"<rect class="plot-area"[^>]*>"#, options: .regularExpression).map { svg[$0] })
        let left = try #require(number(#"x="[0-9.]+""#, in: area)), width = try #require(number(#"width="[0-9.]+""#, in: area))
        return svg.split(separator: "\n").filter { $0.contains(#"class="marker""#) && $0.contains("#0072B2") }.compactMap { line in
            number(#"cx="[0-9.]+""#, in: line).map { ($0 - left) / width }
        }
    }

    @Test func reportWritesAVerdictFirstAndThreeCharts() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.run(["compare", "--model", "models/sample.json", "--rules", "datasets/rules/seed.json",
                                  "--report", folder.path] + Self.sample)
        #expect(result.status == 0, "\(result.stderr)")
        let markdown = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        let lines = markdown.split(separator: "\n")
        #expect(lines[0] == "# Model versus rules")
        #expect(lines[1].hasPrefix("**The model ranks leads better than the seed rules"))
        #expect(markdown.contains("these are the very leads the model was trained on"))
        for chart in ["roc.svg", "gains.svg", "calibration.svg"] {
            #expect(markdown.contains("(\(chart))"))
            let svg = try String(contentsOf: folder.appendingPathComponent(chart), encoding: .utf8)
            #expect(svg.contains("<svg") && svg.contains("model"))
            // These are the training leads: every chart says so itself, since a chart travels without report.md.
            #expect(Self.caveat(svg) == "Measured on the model's training leads: optimistic; the holdout is the honest test.", "\(chart)")
        }
    }

    /// On leads the model was not trained on (fresh ones from the generator) no chart carries the training caveat; and
    /// at the sample's base rate of about 6% the calibration chart spreads the model's ten equal-count bins across its
    /// width (on the linear axis it had before, most of them sat in its first tenth).
    @Test func aReportOnOtherLeadsHasNoCaveatAndSpreadsTheCalibrationBins() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("new").path, report = folder.appendingPathComponent("report").path
        let generated = try CLI.run(["generate", "--contacts", "2000", "--seed", "11", "--out", data])
        #expect(generated.status == 0, "\(generated.stderr)")
        let result = try CLI.run(["compare", "--model", "models/sample.json", "--rules", "datasets/rules/seed.json",
                                  "--contacts", data + "/contacts.csv", "--events", data + "/events.csv", "--outcomes", data + "/outcomes.csv",
                                  "--report", report])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("trained on, so its figures here are optimistic"))
        for chart in ["roc.svg", "gains.svg", "calibration.svg"] {
            let svg = try String(contentsOf: URL(fileURLWithPath: report).appendingPathComponent(chart), encoding: .utf8)
            #expect(Self.caveat(svg) == nil, "\(chart)")
            #expect(!svg.contains("training leads"), "\(chart)")
        }
        let calibration = try String(contentsOf: URL(fileURLWithPath: report).appendingPathComponent("calibration.svg"), encoding: .utf8)
        let positions = try Self.modelCalibrationPositions(calibration)
        #expect(positions.count == 10)
        let columns = Set(positions.map { Int(($0 * 10).rounded(.down)) })
        #expect(columns.count >= 7, "the model's ten bins fall into \(columns.count) of ten columns: \(positions)")
        #expect(positions.filter { $0 < 0.2 }.count <= 3, "\(positions)")
    }

    @Test func tableModeTrainsWithRulesAndAStratifiedHoldout() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = try json(["train", "--table", "datasets/table/leads.csv", "--label", "converted", "--positive", "won",
                            "--id", "lead_id", "--rules", "datasets/rules/table.json", "--out", folder.appendingPathComponent("m.json").path])
        let holdout = try #require(out["holdout"] as? [String: Any])
        #expect(holdout["training_rows"] as? Int == 4_800)
        #expect((holdout["rule"] as? String)?.contains("stratified 20%") == true)
        let comparison = holdout["comparison"]
        #expect(number(comparison, "leads") == 1_200)
        #expect(number(comparison, "conversions") == 93, "the holdout keeps the base rate: 20% of 463 conversions")
        #expect(number(comparison, "rules", "auc") != nil)
    }

    @Test func rulesThatDoNotGoWithTheModelAreRefused() throws {
        let result = try CLI.run(["explain", "--model", "models/leads.json", "--rules", "datasets/rules/seed.json"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("the model was trained without rules"))
        let other = try CLI.run(["explain", "--model", "models/sample.json", "--rules", "datasets/rules/table.json"])
        #expect(other.status == 64)
        #expect(other.stderr.contains("the model was trained with other rules"))
    }

    @Test func aBadRulesFileStopsTrainingWithTheKeyAtFault() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rules = folder.appendingPathComponent("rules.json")
        try Data(#"{"events": [{"event": "demo_request", "points": 25, "window": 30}]}"#.utf8).write(to: rules)
        let model = folder.appendingPathComponent("m.json").path
        let result = try CLI.run(["train", "--table", "datasets/table/leads.csv", "--label", "converted", "--positive", "won",
                                  "--rules", rules.path, "--out", model])
        #expect(result.status == 1)
        #expect(result.stderr.contains("rules.json: unknown key \"events[0].window\""))
        #expect(!FileManager.default.fileExists(atPath: model))
    }
}
