/// Turns a probability into a 0-100 score that ranks a lead against the leads the model was trained on.
///
/// **A lead's score is the percentage of training leads whose predicted probability is strictly lower than its own,
/// rounded down: 0 to 100, where 100 means above every training lead.** So a score of 90 or more puts a lead in the
/// top 10% of the training leads, whatever the base rate; the probability says how likely it is to convert.
///
/// The scale keeps the 100 percentiles of the training probabilities (nearest rank: the k-th is the smallest
/// probability that at least k% of training leads do not exceed; the 100th is the highest), and a score is the number
/// of them strictly below the lead's probability. That count equals the definition above exactly, ties included, and
/// the model file stays small whatever the number of training leads.
public struct ScoreScale: Codable, Sendable, Equatable {
    /// The k-th percentile of the training leads' probabilities at index k - 1, k = 1...100, in ascending order.
    public let boundaries: [Double]

    /// The number of stored percentiles, and the highest score.
    public static let percentiles = 100

    /// The scale of a set of training leads, from their predicted probabilities (at least one, all in [0, 1]).
    public init(trainingProbabilities: [Double]) {
        precondition(!trainingProbabilities.isEmpty, "a score scale needs at least one training lead")
        precondition(trainingProbabilities.allSatisfy { $0 >= 0 && $0 <= 1 }, "training probabilities must lie in [0, 1]")
        let sorted = trainingProbabilities.sorted()
        let n = sorted.count
        // Nearest rank: the k-th percentile is the ceil(k n / 100)-th smallest value.
        boundaries = (1...Self.percentiles).map { k in sorted[(k * n + Self.percentiles - 1) / Self.percentiles - 1] }
    }

    /// A scale from stored percentiles; `nil` unless there are 100 of them, in [0, 1] and ascending.
    public init?(boundaries: [Double]) {
        guard Self.problem(with: boundaries) == nil else { return nil }
        self.boundaries = boundaries
    }

    /// The lead's score, 0...100: the number of stored percentiles strictly below `probability`.
    @inline(__always)
    public func score(probability: Double) -> Int {
        // Binary search for the first boundary >= probability; the boundaries before it are strictly below.
        var low = 0, high = boundaries.count
        while low < high {
            let mid = (low + high) >> 1
            if boundaries[mid] < probability { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// What is wrong with a list of stored percentiles, if anything.
    static func problem(with boundaries: [Double]) -> String? {
        guard boundaries.count == percentiles else {
            return "a score scale has \(percentiles) percentiles, this one has \(boundaries.count)"
        }
        guard boundaries.allSatisfy({ $0 >= 0 && $0 <= 1 }) else { return "score scale percentiles must be probabilities in [0, 1]" }
        guard zip(boundaries, boundaries.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            return "score scale percentiles must be in ascending order"
        }
        return nil
    }

    private enum CodingKeys: String, CodingKey { case boundaries }

    /// Checks the percentiles when reading a model file, so a damaged scale is named rather than misused.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let boundaries = try c.decode([Double].self, forKey: .boundaries)
        if let problem = Self.problem(with: boundaries) {
            throw DecodingError.dataCorruptedError(forKey: .boundaries, in: c, debugDescription: problem)
        }
        self.boundaries = boundaries
    }
}
