import Evaluation
import Foundation
import Testing

/// Issue 3's end-to-end check on the shipped sample: trained on history, the model ranks the most recent 20% of
/// decided contacts within 0.01 ROC AUC of their true probabilities (the best any model of the history can do).
@Suite struct SampleHoldoutTests {
    @Test func holdoutAUCIsWithinOneHundredthOfTheTruth() throws {
        let folder = try CLI.temporaryFolder()
        let predictions = folder.appendingPathComponent("holdout.csv").path
        // The command documented in datasets/README.md.
        let run = try CLI.run(["train", "--contacts", "datasets/sample/contacts.csv", "--events", "datasets/sample/events.csv",
                               "--outcomes", "datasets/sample/outcomes.csv", "--spec", "datasets/sample/spec.json",
                               "--l2", "auto", "--out", folder.appendingPathComponent("m.json").path,
                               "--predictions", predictions])
        #expect(run.status == 0, "\(run.stderr)")

        var truth: [String: Double] = [:]
        for line in try String(contentsOf: CLI.root.appendingPathComponent("datasets/sample/truth.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            truth[String(f[0])] = Double(f[1])
        }
        var model: [Double] = [], best: [Double] = [], labels: [Bool] = []
        for line in try String(contentsOfFile: predictions, encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            labels.append(f[2] == "1")
            model.append(try #require(Double(f[3])))
            best.append(try #require(truth[String(f[0])]))
        }
        #expect(labels.count == 2728)
        let ours = BinaryMetrics.rocAUC(scores: model, labels: labels)
        let ceiling = BinaryMetrics.rocAUC(scores: best, labels: labels)
        #expect(ceiling - ours <= 0.01, "model AUC \(ours) against the true probabilities' \(ceiling)")
        #expect(ours > 0.85)
    }
}
