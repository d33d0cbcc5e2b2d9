@testable import Features
import Foundation
import LeadData
import LinearAlgebra
@testable import Scoring
import Testing
import _TestSupport
import Training
import Workflows

/// Streaming a table: the same leads as scoring the whole matrix at once, whatever the chunk size.
@Suite struct TableScoringTests {
    let model = ScoringFixtures.tableModel

    @Test func streamingEqualsBatchScoringBitForBitAcrossChunkSizes() throws {
        let design = try ScoringFixtures.batchDesign(model, table: ScoringFixtures.leadsCSV)
        let batch = LeadScorer(model: model, scale: model.scoreScale, bands: model.bands).score(design, reasons: 2)
        #expect(batch.count == 6_000)
        for chunk in [1, 7, 4096] {
            let streamed = try ScoringFixtures.streamed(model, table: ScoringFixtures.leadsCSV, chunkSize: chunk, reasons: 2)
            #expect(streamed.count == batch.count)
            let differing = zip(streamed, batch).filter { $0.probability.bitPattern != $1.probability.bitPattern }.count
            #expect(differing == 0, "chunk \(chunk): \(differing) probabilities differ")
            #expect(streamed == batch, "chunk \(chunk)")
        }
        #expect(batch.first?.id == "L-000003")
    }

    @Test func theFastPathMatchesThePlainProbabilities() throws {
        let design = try ScoringFixtures.batchDesign(model, table: ScoringFixtures.leadsCSV)
        let plain = model.fit.probabilities(for: design.features)
        var fast = [Double](repeating: .nan, count: design.features.rows)
        for threads in [1, 2, 3] {
            design.features.storage.withUnsafeBufferPointer { rows in
                fast.withUnsafeMutableBufferPointer { model.fit.probabilities(rows: rows, count: design.features.rows, into: $0, threads: threads) }
            }
            #expect(zip(fast, plain).allSatisfy { abs($0 - $1) <= 1e-15 })
        }
        // Every row alone gives its bits in the whole matrix.
        let d = design.features.columns
        for i in [0, 1, 5_999] {
            var one = [Double.nan]
            design.features.storage.withUnsafeBufferPointer { rows in
                one.withUnsafeMutableBufferPointer {
                    model.fit.probabilities(rows: UnsafeBufferPointer(rebasing: rows[(i * d)..<((i + 1) * d)]), count: 1, into: $0)
                }
            }
            #expect(one[0].bitPattern == fast[i].bitPattern)
        }
    }

    @Test func scoresAndBandsFollowTheScaleAndTheBands() throws {
        let leads = try ScoringFixtures.streamed(model, table: ScoringFixtures.leadsCSV, chunkSize: 4096)
        // The training leads themselves: about 10% score 90 or more, and those are exactly the sales-ready ones.
        let salesReady = leads.filter { $0.band == "sales-ready" }
        #expect(salesReady.allSatisfy { $0.score >= 90 })
        #expect(leads.filter { $0.score >= 90 }.count == salesReady.count)
        #expect(abs(Double(salesReady.count) / 6_000 - 0.1) < 0.002)
        #expect(abs(Double(leads.filter { $0.band != "early-stage" }.count) / 6_000 - 0.3) < 0.002)
        let best = leads.max { $0.probability < $1.probability }!
        #expect(best.score == 99)  // the highest training lead is above 99% of them, not above itself
    }

    @Test func summaryCountsLeadsPerBand() throws {
        let scoring = TableScoring(model: model, table: ScoringFixtures.leadsCSV, scale: model.scoreScale,
                                   bands: try ModelBands.parse("hot=0.5,warm=0.1"))
        var hot = 0
        let summary = try scoring.run { hot += $0.filter { $0.band == "hot" }.count }
        #expect(summary.scored == 6_000)
        #expect(summary.bandCounts.map(\.band) == ["hot", "warm", "early-stage"])
        #expect(summary.bandCounts[0].leads == hot)
        #expect(summary.bandCounts.map(\.leads).reduce(0, +) == 6_000)
    }

    @Test func aBadRowStopsTheRunWithFileAndLineAfterTheRowsBeforeIt() throws {
        var lines = ScoringFixtures.leadsLines(10)
        lines.append("L-9001,Retail,VP,12abc,US,Webinar,1,0,0,0,0,0,0,0,12,lost")
        let path = ScoringFixtures.write(lines)
        var seen = 0
        #expect(throws: InputError(file: path, line: 12,
                                   message: "column \"company_size\": \"12abc\" is not a number (the model was trained on numbers in this column)")) {
            _ = try TableScoring(model: model, table: path, scale: model.scoreScale, bands: model.bands, chunkSize: 4).run { seen += $0.count }
        }
        #expect(seen == 8)  // two whole chunks went out before the bad row
    }

    @Test func withoutAnIdColumnLeadsAreNumberedByRow() throws {
        var model = self.model
        model.encoding = TableEncoding(options: TableEncodingOptions(label: "converted"), recipes: model.encoding.recipes,
                                       features: model.encoding.features)
        let scoring = TableScoring(model: model, table: ScoringFixtures.write(ScoringFixtures.leadsLines(5)), scale: model.scoreScale,
                                   bands: model.bands, chunkSize: 2)
        #expect(scoring.idColumn == "row")
        var ids: [String] = []
        _ = try scoring.run { ids += $0.map(\.id) }
        #expect(ids == ["1", "2", "3", "4", "5"])
    }

    @Test func anEmptyTableIsAnError() throws {
        let empty = ScoringFixtures.write(ScoringFixtures.leadsLines(0))
        #expect(throws: InputError(file: empty, line: nil, message: "the file has a header but no data rows: there are no leads to score")) {
            _ = try ScoringFixtures.streamed(model, table: empty, chunkSize: 10)
        }
    }

    @Test func csvAndJSONLinesAreDeterministicAndEscaped() throws {
        let leads = [ScoredLead(id: "a,\"b\"", probability: 0.077123456789, score: 57, band: "MQL",
                                reasonsUp: [LeadReason(column: "x, y", value: "3", typical: "0.4", contribution: 0.8234)],
                                reasonsDown: [])]
        var csv = ScoredLeadFormatter(format: .csv, idColumn: "lead_id", reasons: 2)
        var bytes: [UInt8] = []
        try csv.append(leads, to: &bytes)
        csv.finish(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"""
            lead_id,probability,score,band,reason_up_1,reason_up_2,reason_down_1,reason_down_2
            "a,""b""",0.0771235,57,MQL,"x, y: 3 (typical 0.4), +0.82",,,

            """#)
        var json = ScoredLeadFormatter(format: .json, idColumn: "lead_id", reasons: 1)
        bytes = []
        try json.append(leads, to: &bytes)
        json.finish(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"""
            {"lead_id":"a,\"b\"","probability":0.0771235,"score":57,"band":"MQL","reasons_up":[{"column":"x, y","value":"3","typical":"0.4","contribution":0.8234,"text":"x, y: 3 (typical 0.4), +0.82"}],"reasons_down":[]}

            """#)
        // Control characters, backslashes and line ends in an id still give one valid JSON object per line.
        var odd = ScoredLeadFormatter(format: .json, idColumn: "id", reasons: 0)
        bytes = []
        try odd.append([ScoredLead(id: "a\u{01}b\\c\nd\"", probability: 0.5, score: 50, band: "x")], to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"id":"a\u0001b\\c\nd\"","probability":0.5,"score":50,"band":"x"}"# + "\n")
        let parsed = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        #expect(parsed?["id"] as? String == "a\u{01}b\\c\nd\"")

        var empty = ScoredLeadFormatter(format: .csv, idColumn: "row", reasons: 0)
        bytes = []
        empty.finish(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "row,probability,score,band\n")
    }

    @Test func csvReasonsAreTheirTextAsOneField() {
        var generator = SeededGenerator(seed: 8)
        let reasons = [LeadReason(column: "a \"quoted\" column", value: "x,y", typical: "\"", contribution: -0.005),
                       LeadReason(column: "company_size", value: "missing", typical: nil, contribution: 12.345)]
            + (0..<500).map { _ in LeadReason(column: "c", value: "1", typical: "2", contribution: (generator.nextDouble() - 0.5) * 20) }
        for reason in reasons {
            var direct: [UInt8] = [], viaText: [UInt8] = []
            ScoredLeadFormatter.appendCSVReason(reason, to: &direct)
            ScoredLeadFormatter.appendCSVField(reason.description, to: &viaText)
            #expect(direct == viaText, "\(reason)")
        }
    }

    @Test(arguments: [(0.077123456789, "0.0771235"), (0.5, "0.5"), (1, "1.0"), (0, "0.0"), (0.99999996, "1.0"),
                      (0.0001234567, "0.000123457"), (1.234567e-9, "1.23457e-09"), (0.001, "0.001"), (-0.1234567, "-0.123457")])
    func numbersAreRoundedToSixSignificantDigits(x: Double, text: String) {
        var bytes: [UInt8] = []
        ScoredLeadFormatter.appendNumber(x, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == text)
    }
}
