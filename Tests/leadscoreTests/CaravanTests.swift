import Foundation
import Testing

/// Real data: the CoIL 2000 insurance set (Caravan), fetched from the `islp` wheel by datasets/caravan/fetch.sh.
@Suite struct CaravanTests {
    static let csv = CLI.root.appendingPathComponent("datasets/external/Caravan.csv").path

    /// Fetches the CSV if it is not there yet (PyPI access needed once).
    func ensureData() throws {
        guard !FileManager.default.fileExists(atPath: Self.csv) else { return }
        let fetch = Process()
        fetch.executableURL = URL(fileURLWithPath: "/bin/sh")
        fetch.arguments = [CLI.root.appendingPathComponent("datasets/caravan/fetch.sh").path]
        try fetch.run()
        fetch.waitUntilExit()
        try #require(FileManager.default.fileExists(atPath: Self.csv), "datasets/caravan/fetch.sh could not fetch Caravan.csv")
    }

    @Test func tableModeAgreesWithScikitLearnToOnePartInAMillion() throws {
        try ensureData()
        let folder = try CLI.temporaryFolder()
        let model = folder.appendingPathComponent("caravan.json").path
        let train = try CLI.run(["train", "--table", Self.csv, "--label", "Purchase", "--positive", "Yes", "--l2", "1",
                                 "--out", model, "--format", "json"])
        #expect(train.status == 0, "\(train.stderr)")
        let summary = try CLI.json(train.stdoutData)
        #expect(summary["rows"] as? Int == 5822)
        #expect(summary["positives"] as? Int == 348)
        #expect(summary["features"] as? Int == 85)

        let explain = try CLI.json(try CLI.run(["explain", "--model", model, "--format", "json"]).stdoutData)
        let reference = try CLI.json(try Data(contentsOf: CLI.root.appendingPathComponent("datasets/caravan/reference.json")))
        let sk = try #require(reference["sklearn_newton_cholesky"] as? [String: Any])
        let skWeights = try #require(sk["coefficients"] as? [String: Double])
        let ours = try #require(explain["coefficients"] as? [String: Double])
        var worst = 0.0
        for (name, w) in skWeights { worst = max(worst, abs(try #require(ours[name]) - w) / max(abs(w), 1e-3)) }
        #expect(worst <= 1e-6, "largest relative difference from scikit-learn: \(worst)")
        #expect(abs((explain["intercept"] as? Double ?? .nan) - (sk["intercept"] as? Double ?? .nan)) <= 1e-6)
    }

    @Test func unpenalisedFitIsRefusedAsQuasiSeparable() throws {
        try ensureData()
        let folder = try CLI.temporaryFolder()
        let run = try CLI.run(["train", "--table", Self.csv, "--label", "Purchase", "--positive", "Yes", "--l2", "0",
                               "--out", folder.appendingPathComponent("m.json").path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("quasi-separable"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("m.json").path))
    }
}
