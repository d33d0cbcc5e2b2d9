import Foundation
import LeadData
import Scoring
import Testing

/// Model bands: by probability or by capacity, parsed from the command line, checked, and stored.
@Suite struct ModelBandsTests {
    @Test func defaultIsSalesReadyTopTenMQLTopThirtyThenEarlyStage() throws {
        let bands = ModelBands.default
        #expect(bands.description == "sales-ready=top10%,MQL=top30%,early-stage=rest")
        #expect(try ModelBands.parse(bands.description) == bands)
        #expect(bands.band(probability: 0.01, score: 90) == "sales-ready")
        #expect(bands.band(probability: 0.99, score: 89) == "MQL")
        #expect(bands.band(probability: 0.99, score: 70) == "MQL")
        #expect(bands.band(probability: 0.99, score: 69) == "early-stage")
        #expect(bands.names == ["sales-ready", "MQL", "early-stage"])
    }

    @Test func probabilityThresholdsAreInclusiveAndTheRestCanBeNamed() throws {
        let bands = try ModelBands.parse(" hot = 0.4 , warm=0.15,cold=rest")
        #expect(bands.thresholds == [.init(name: "hot", threshold: .probability(0.4)), .init(name: "warm", threshold: .probability(0.15))])
        #expect(bands.rest == "cold")
        #expect(bands.band(probability: 0.4, score: 0) == "hot")
        #expect(bands.band(probability: 0.3999, score: 100) == "warm")
        #expect(bands.band(probability: 0.15, score: 100) == "warm")
        #expect(bands.band(probability: 0.1499, score: 100) == "cold")
        #expect(try ModelBands.parse("A=top100%").band(probability: 0, score: 0) == "A")
        #expect(try ModelBands.parse("sales-ready=TOP 5%").thresholds[0].threshold == .topPercent(5))
    }

    @Test(arguments: [
        ("", "no bands given"),
        ("hot", "is not name=threshold"),
        ("hot=", "is not name=threshold"),
        ("=0.4", "is not name=threshold"),
        ("hot=0", "above 0 and below 1"),
        ("hot=1", "above 0 and below 1"),
        ("hot=1.5", "above 0 and below 1"),
        ("hot=abc", "a threshold is a probability in (0, 1)"),
        ("hot=40%", "write a capacity as top40%"),
        ("hot=top0%", "above 0 and at most 100"),
        ("hot=top101%", "above 0 and at most 100"),
        ("hot=top2.5%", "whole percentage"),
        ("hot=top10", "a capacity is a percentage of leads"),
        ("hot=0.2,warm=0.3", "must have a lower probability than \"hot\""),
        ("hot=0.2,warm=0.2", "must have a lower probability"),
        ("a=top30%,b=top10%", "must take more leads than \"a\""),
        ("a=top10%,b=0.1", "mix a probability and a capacity"),
        ("a=0.4,a=0.1", "appears twice"),
        ("a=0.4,early-stage=0.1", "appears twice"),
        ("a=0.4,cold=rest,b=0.1", "must come last"),
        ("cold=rest", "at least one band with a threshold"),
    ])
    func badListsSayWhatIsWrong(text: String, message: String) {
        #expect {
            _ = try ModelBands.parse(text)
        } throws: { error in
            (error as? ModelBandsError)?.message.contains(message) == true
        }
    }

    @Test func storedFlatAndCheckedWhenRead() throws {
        let bands = try ModelBands.parse("hot=0.4,warm=0.15")
        let json = String(decoding: try DeterministicJSON.encode(bands), as: UTF8.self)
        #expect(json.contains(#""min_probability" : 0.4"#))
        #expect(json.contains(#""rest" : "early-stage""#))
        #expect(try DeterministicJSON.decoder().decode(ModelBands.self, from: Data(json.utf8)) == bands)
        let capacity = String(decoding: try DeterministicJSON.encode(ModelBands.default), as: UTF8.self)
        #expect(capacity.contains(#""top_percent" : 10"#))
        let backwards = #"{"rest": "x", "thresholds": [{"name": "a", "top_percent": 30}, {"name": "b", "top_percent": 10}]}"#
        #expect(throws: DecodingError.self) { try DeterministicJSON.decoder().decode(ModelBands.self, from: Data(backwards.utf8)) }
    }
}
