import Foundation

/// A committed reference case (see Fixtures/make_fixtures.py): labels, a model probability and rule points for the
/// same leads, and what scikit-learn, an O(m n) numpy DeLong and exact rational arithmetic found for each score.
struct EvaluationFixture: Decodable {
    struct Curve: Decodable {
        var false_positive_rate: [Double]
        var true_positive_rate: [Double]
        var threshold: [Double]
    }
    struct PRCurve: Decodable {
        var precision: [Double]
        var recall: [Double]
        var threshold: [Double]
    }
    struct DeLong: Decodable {
        var auc: Double
        var variance: Double
        var standard_error: Double
        var lower: Double
        var upper: Double
    }
    struct GainsRow: Decodable {
        var rank: Int
        var from_share: Double
        var to_share: Double
        var leads: Double
        var conversions: Double
        var conversion_rate: Double
        var cumulative_conversions: Double
        var cumulative_share_of_conversions: Double
        var lift: Double
        var cumulative_lift: Double
    }
    struct Capacity: Decodable {
        var fraction: Double
        var leads_called: Double
        var conversions_captured: Double
        var share_of_conversions: Double
        var precision: Double
        var lift: Double
    }
    struct Threshold: Decodable {
        var threshold: Double
        var flagged: Int
        var flagged_conversions: Int
        var precision: Double
        var recall: Double
    }
    struct CalibrationBin: Decodable {
        var lower: Double
        var upper: Double
        var count: Int
        var conversions: Int
        var mean_predicted: Double
        var observed_rate: Double
    }
    struct Calibration: Decodable {
        var source: String
        var bins: [CalibrationBin]
        var ece: Double
    }
    struct Score: Decodable {
        var roc_auc: Double
        var average_precision: Double
        var roc_curve: Curve
        var pr_curve: PRCurve
        var delong: DeLong
        var gains: [String: [GainsRow]]
        var capacity: [Capacity]
        var thresholds: [Threshold]
        var calibration: [String: Calibration]?
    }
    struct Paired: Decodable {
        var auc_a: Double
        var auc_b: Double
        var variance_a: Double
        var variance_b: Double
        var covariance: Double
        var difference: Double
        var standard_error: Double
        var z: Double
        var p_value: Double
        var lower: Double
        var upper: Double
    }

    var `case`: String
    var rows: Int
    var positives: Int
    var labels: [Bool]
    var scores: [String: [Double]]
    var model: Score
    var rules: Score
    /// `a` is the model, `b` the rules.
    var delong_test: Paired

    /// The reference for the score named `name` ("model" or "rules").
    func reference(_ name: String) -> Score { name == "model" ? model : rules }

    /// The folder holding the committed fixtures.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The case names, in the order the script wrote them.
    static let names = ["continuous", "points", "rare", "tiny"]

    static func load(_ name: String) throws -> EvaluationFixture {
        let data = try Data(contentsOf: folder.appendingPathComponent("\(name).json"))
        return try JSONDecoder().decode(EvaluationFixture.self, from: data)
    }
}

/// `|a - b| / max(|b|, 1e-3)`: relative, and absolute near zero.
func relativeDifference(_ a: Double, _ b: Double) -> Double {
    abs(a - b) / max(abs(b), 1e-3)
}

/// The largest relative difference between paired lists (infinite when their lengths differ).
func largestDifference(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { relativeDifference($0, $1) }.max() ?? 0
}

/// A fixed pseudo-random permutation of `0 ..< n`, for checking that input order does not matter.
func shuffledIndices(_ n: Int, seed: UInt64) -> [Int] {
    var state = seed
    var indices = Array(0..<n)
    for i in stride(from: n - 1, to: 0, by: -1) {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let j = Int((state >> 33) % UInt64(i + 1))
        indices.swapAt(i, j)
    }
    return indices
}
