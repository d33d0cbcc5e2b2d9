import Features
import Foundation
import LeadData
import LinearAlgebra
@testable import Scoring
import Testing
import _TestSupport
import Training

/// Reasons: contributions against the average lead, summed per source column, phrased for a person.
@Suite struct LeadExplanationTests {
    let model = ScoringFixtures.tableModel

    func design() throws -> DesignMatrix {
        try ScoringFixtures.batchDesign(model, table: ScoringFixtures.leadsCSV)
    }

    @Test func contributionsPlusTheBaselineAreTheLeadsLogOdds() throws {
        let design = try design()
        let explainer = LeadExplainer(model: model)
        let leads = LeadScorer(model: model, scale: model.scoreScale, bands: model.bands).score(design)
        let d = design.features.columns
        var worst = 0.0
        for i in 0..<design.features.rows {
            let row = Array(design.features.storage[(i * d)..<((i + 1) * d)])
            let explanation = explainer.explain(row)
            #expect(explanation.reasons.count == 14)  // one per source column
            let p = leads[i].probability
            worst = max(worst, abs(explanation.logOdds - log(p / (1 - p))))
        }
        #expect(d == 37)
        #expect(worst < 1e-9, "largest gap between the reasons' sum and the scored log-odds: \(worst)")
    }

    @Test func oneHotLevelsAndAMissingIndicatorAreSummedIntoTheirColumn() throws {
        let design = try design()
        let features = model.encoding.features
        let explainer = LeadExplainer(model: model)
        let d = design.features.columns
        for i in [0, 1, 2, 17, 500] {
            let row = Array(design.features.storage[(i * d)..<((i + 1) * d)])
            let reasons = Dictionary(uniqueKeysWithValues: explainer.explain(row).reasons.map { ($0.column, $0) })
            for column in ["industry", "company_size", "country"] {
                let members = features.indices.filter { features[$0].column == column }
                #expect(members.count > 1)
                let expected = members.reduce(0.0) { $0 + model.fit.coefficients[$1] * row[$1] }
                #expect(reasons[column]?.contribution == expected)
            }
        }
    }

    @Test func phrasingShowsTheValueAndWhatIsTypical() throws {
        let path = ScoringFixtures.write(ScoringFixtures.leadsLines(0) + [
            "A,Retail,VP,,US,Webinar,3,2,0,0,0,0,1,0,12,lost",
            "B,Mining,Director,6834,BR,Webinar,0,0,0,0,0,0,0,0,97,lost",
        ])
        let design = try ScoringFixtures.batchDesign(model, table: path)
        let explainer = LeadExplainer(model: model)
        let d = design.features.columns
        let a = Dictionary(uniqueKeysWithValues: explainer.explain(Array(design.features.storage[0..<d])).reasons.map { ($0.column, $0) })
        let b = Dictionary(uniqueKeysWithValues: explainer.explain(Array(design.features.storage[d..<(2 * d)])).reasons.map { ($0.column, $0) })
        #expect(a["industry"]?.value == "Retail")
        #expect(a["industry"]?.typical == "Software")
        #expect(a["company_size"]?.value == "missing")
        #expect(a["company_size"]?.typical == nil)
        #expect(a["pricing_page_views_30d"]?.value == "2")
        #expect(a["pricing_page_views_30d"]?.typical == "0.27")
        #expect(a["days_since_last_activity"]?.typical == "68.2")
        #expect(b["company_size"]?.value == "6834")
        #expect(b["company_size"]?.typical == "1426")
        #expect(b["industry"]?.value == "other")      // pooled at training
        #expect(b["country"]?.value == "other")
        #expect(b["job_level"]?.value == "Director")
        let c = try #require(a["pricing_page_views_30d"])
        #expect(c.description == "pricing_page_views_30d: 2 (typical 0.27), \(String(format: "%+.2f", c.contribution))")
        #expect(a["company_size"]!.description.hasPrefix("company_size: missing, "))
        #expect(LeadReason(column: "industry", value: "Retail", typical: "Software", contribution: 0.314).description
            == "industry: Retail (typical Software), +0.31")
        #expect(LeadReason(column: "company_size", value: "missing", typical: nil, contribution: -0.1234).description
            == "company_size: missing, -0.12")
    }

    @Test func topReasonsAreOrderedByContributionThenByName() {
        func r(_ name: String, _ c: Double) -> LeadReason { LeadReason(column: name, value: "1", typical: "0", contribution: c) }
        let explanation = LeadExplanation(baseline: -2, reasons: [r("b", 0.5), r("a", 0.5), r("c", 0.9), r("d", 0), r("e", -0.2),
                                                                  r("g", -0.7), r("f", -0.7), r("h", 0.1)])
        #expect(explanation.up(3).map(\.column) == ["c", "a", "b"])
        #expect(explanation.up(10).map(\.column) == ["c", "a", "b", "h"])   // only positive ones
        #expect(explanation.down(2).map(\.column) == ["f", "g"])
        #expect(explanation.down(10).map(\.column) == ["f", "g", "e"])
        #expect(explanation.up(0).isEmpty)
        #expect(abs(explanation.logOdds - (-2 + 0.5 + 0.5 + 0.9 - 0.2 - 1.4 + 0.1)) < 1e-12)
    }

    @Test func theScorersTopReasonsAreTheExplanationsTopReasons() throws {
        let design = try design()
        let explainer = LeadExplainer(model: model)
        let d = design.features.columns
        for i in stride(from: 0, to: design.features.rows, by: 7) {
            let row = Array(design.features.storage[(i * d)..<((i + 1) * d)])
            let explanation = explainer.explain(row)
            for k in [1, 3, 20] {
                let top = row.withUnsafeBufferPointer { explainer.topReasons($0, k) }
                #expect(top.up == explanation.up(k))
                #expect(top.down == explanation.down(k))
            }
        }
    }

    @Test func numbersReadAsAPersonWritesThem() {
        #expect(DecimalText.signedTwoDecimals(0.8234) == "+0.82")
        #expect(DecimalText.signedTwoDecimals(-0.004) == "-0.00")
        #expect(DecimalText.signedTwoDecimals(1.5) == "+1.50")
        #expect(DecimalText.signedTwoDecimals(-12.3456) == "-12.35")
        #expect(DecimalText.readable(123.456) == "123")
        #expect(DecimalText.readable(0.0707) == "0.0707")
        #expect(DecimalText.readable(2.9999999999996) == "3")
        #expect(DecimalText.readable(1425.8122) == "1426")
        #expect(DecimalText.readable(0.27016) == "0.27")
        #expect(DecimalText.readable(-0.0) == "0")
        #expect(DecimalText.readable(68.19233) == "68.2")
        #expect(DecimalText.readable(0.0004567) == "0.000457")
    }
}
