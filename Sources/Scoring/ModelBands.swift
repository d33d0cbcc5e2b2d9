import Foundation

/// Named bands of leads by the model, from the highest down, in the words sales and marketing already use.
///
/// Each band has a threshold: a probability (`hot=0.4`: probability >= 0.4) or a sales capacity (`sales-ready=top10%`:
/// the top 10% of training leads by score, i.e. score >= 90). A lead gets the first band whose threshold it meets, and
/// the last, implicit band (`early-stage` unless named with `name=rest`) otherwise. The default mirrors marketing's
/// points bands: `sales-ready=top10%,MQL=top30%,early-stage=rest`.
public struct ModelBands: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The bands with thresholds, highest first; every threshold is of the same kind and they strictly decrease.
    public let thresholds: [Band]
    /// The band of every lead below the last threshold.
    public let rest: String

    /// One band: a name and the threshold a lead must meet.
    public struct Band: Codable, Sendable, Equatable {
        public let name: String
        public let threshold: Threshold

        public init(name: String, threshold: Threshold) {
            self.name = name
            self.threshold = threshold
        }
    }

    /// What a lead must meet to be in a band.
    public enum Threshold: Sendable, Equatable {
        /// Probability of conversion at least this, in (0, 1).
        case probability(Double)
        /// Among the top this-many percent of training leads by score, 1...100: score >= 100 - percent.
        case topPercent(Int)
    }

    /// `sales-ready` = top 10%, `MQL` = top 30%, `early-stage` = the rest.
    public static let `default` = try! ModelBands(thresholds: [Band(name: "sales-ready", threshold: .topPercent(10)),
                                                              Band(name: "MQL", threshold: .topPercent(30))],
                                                 rest: "early-stage")

    /// The name of the implicit lowest band when a list does not name it.
    public static let defaultRest = "early-stage"

    /// Bands from their thresholds, highest first; see ``parse(_:)`` for the rules they must follow.
    public init(thresholds: [Band], rest: String = ModelBands.defaultRest) throws(ModelBandsError) {
        if let problem = Self.problem(thresholds: thresholds, rest: rest) { throw ModelBandsError(message: problem) }
        self.thresholds = thresholds
        self.rest = rest
    }

    /// The band names, highest first, `rest` last.
    public var names: [String] { thresholds.map(\.name) + [rest] }

    /// The band of a lead with this probability and score (see ``ScoreScale``).
    @inline(__always)
    public func band(probability: Double, score: Int) -> String {
        let i = bandIndex(probability: probability, score: score)
        return i < thresholds.count ? thresholds[i].name : rest
    }

    /// The position in ``names`` of the band of a lead with this probability and score.
    @inline(__always)
    public func bandIndex(probability: Double, score: Int) -> Int {
        for (i, band) in thresholds.enumerated() {
            switch band.threshold {
            case .probability(let p): if probability >= p { return i }
            case .topPercent(let percent): if score >= 100 - percent { return i }
            }
        }
        return thresholds.count
    }

    /// The list as the command line takes it, e.g. `sales-ready=top10%,MQL=top30%,early-stage=rest`.
    public var description: String {
        (thresholds.map { band in
            switch band.threshold {
            case .probability(let p): "\(band.name)=\(p)"
            case .topPercent(let percent): "\(band.name)=top\(percent)%"
            }
        } + ["\(rest)=rest"]).joined(separator: ",")
    }

    /// Reads a list such as `sales-ready=top10%,MQL=top30%` or `hot=0.4,warm=0.15,cold=rest`.
    ///
    /// Bands come highest first, as `name=threshold`: a probability in (0, 1), or `topN%` with N a whole percentage
    /// in 1...100 (the score moves in 1% steps). Thresholds must all be of one kind and strictly decrease (for
    /// capacities: strictly increase in N). The lowest band is `early-stage` unless the list ends with `name=rest`.
    /// Names must be distinct and free of `,` and `=`.
    public static func parse(_ text: String) throws(ModelBandsError) -> ModelBands {
        var bands: [Band] = []
        var rest: String?
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        guard !(items.count == 1 && items[0].isEmpty) else {
            throw ModelBandsError(message: "no bands given: write them highest first, e.g. sales-ready=top10%,MQL=top30%")
        }
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingSpaces }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ModelBandsError(message: "\"\(item)\" is not name=threshold (e.g. sales-ready=top10% or hot=0.4)")
            }
            let name = parts[0], value = parts[1]
            if rest != nil {
                throw ModelBandsError(message: "\"\(name)\" comes after the rest band \"\(rest!)\": name=rest must come last")
            }
            if value.lowercased() == "rest" {
                rest = name
                continue
            }
            bands.append(Band(name: name, threshold: try threshold(value, band: name)))
        }
        return try ModelBands(thresholds: bands, rest: rest ?? defaultRest)
    }

    // MARK: - Rules

    private static func threshold(_ value: String, band: String) throws(ModelBandsError) -> Threshold {
        let lower = value.lowercased()
        if lower.hasPrefix("top") {
            var number = lower.dropFirst(3).trimmingSpaces
            guard number.hasSuffix("%") else {
                throw ModelBandsError(message: "\"\(band)=\(value)\": a capacity is a percentage of leads, e.g. top10%")
            }
            number = String(number.dropLast()).trimmingSpaces
            guard let percent = Double(number), percent.isFinite else {
                throw ModelBandsError(message: "\"\(band)=\(value)\": a capacity is a percentage of leads, e.g. top10%")
            }
            guard percent > 0, percent <= 100 else {
                throw ModelBandsError(message: "\"\(band)=\(value)\": the percentage must be above 0 and at most 100")
            }
            guard percent == percent.rounded() else {
                throw ModelBandsError(message: "\"\(band)=\(value)\": use a whole percentage (scores move in 1% steps)")
            }
            return .topPercent(Int(percent))
        }
        if lower.hasSuffix("%") {
            throw ModelBandsError(message: "\"\(band)=\(value)\": write a capacity as top\(value) or a probability as a number in (0, 1), e.g. 0.4")
        }
        guard let p = Double(value), p.isFinite else {
            throw ModelBandsError(message: "\"\(band)=\(value)\": a threshold is a probability in (0, 1), e.g. 0.4, or a capacity, e.g. top10%")
        }
        guard p > 0, p < 1 else {
            throw ModelBandsError(message: "\"\(band)=\(value)\": a probability threshold must be above 0 and below 1")
        }
        return .probability(p)
    }

    private static func problem(thresholds: [Band], rest: String) -> String? {
        guard !thresholds.isEmpty else { return "give at least one band with a threshold above the rest band \"\(rest)\"" }
        var seen = Set<String>()
        for name in thresholds.map(\.name) + [rest] {
            if name.isEmpty { return "a band has an empty name" }
            if name.contains(",") || name.contains("=") { return "band name \"\(name)\" may not contain \",\" or \"=\"" }
            if !seen.insert(name).inserted { return "band \"\(name)\" appears twice: band names must be distinct" }
        }
        for band in thresholds {
            switch band.threshold {
            case .probability(let p) where !(p > 0 && p < 1):
                return "band \"\(band.name)\": a probability threshold must be above 0 and below 1"
            case .topPercent(let percent) where !(1...100).contains(percent):
                return "band \"\(band.name)\": a capacity must be a whole percentage from 1 to 100"
            default: continue
            }
        }
        for (higher, lower) in zip(thresholds, thresholds.dropFirst()) {
            switch (higher.threshold, lower.threshold) {
            case (.probability(let a), .probability(let b)) where b >= a:
                return "band \"\(lower.name)\" (\(b)) must have a lower probability than \"\(higher.name)\" (\(a)) before it: list bands from the highest down"
            case (.topPercent(let a), .topPercent(let b)) where b <= a:
                return "band \"\(lower.name)\" (top \(b)%) must take more leads than \"\(higher.name)\" (top \(a)%) before it: list bands from the highest down"
            case (.probability, .topPercent), (.topPercent, .probability):
                return "bands \"\(higher.name)\" and \"\(lower.name)\" mix a probability and a capacity: use one kind of threshold for all bands"
            default: continue
            }
        }
        return nil
    }
}

extension ModelBands.Band {
    private enum CodingKeys: String, CodingKey { case name, minProbability, topPercent }

    /// Written flat: `{"name": "sales-ready", "top_percent": 10}` or `{"name": "hot", "min_probability": 0.4}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        switch threshold {
        case .probability(let p): try c.encode(p, forKey: .minProbability)
        case .topPercent(let percent): try c.encode(percent, forKey: .topPercent)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        switch (try c.decodeIfPresent(Double.self, forKey: .minProbability), try c.decodeIfPresent(Int.self, forKey: .topPercent)) {
        case (let p?, nil): threshold = .probability(p)
        case (nil, let percent?): threshold = .topPercent(percent)
        default:
            throw DecodingError.dataCorruptedError(forKey: .name, in: c,
                                                   debugDescription: "band \"\(name)\" needs exactly one of \"min_probability\" and \"top_percent\"")
        }
    }
}

extension ModelBands {
    private enum CodingKeys: String, CodingKey { case thresholds, rest }

    /// Checks the bands when reading a model file, with the same rules as ``parse(_:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let thresholds = try c.decode([Band].self, forKey: .thresholds)
        let rest = try c.decode(String.self, forKey: .rest)
        if let problem = Self.problem(thresholds: thresholds, rest: rest) {
            throw DecodingError.dataCorruptedError(forKey: .thresholds, in: c, debugDescription: problem)
        }
        self.thresholds = thresholds
        self.rest = rest
    }
}

private extension StringProtocol {
    /// The text without leading and trailing spaces.
    var trimmingSpaces: String { trimmingCharacters(in: .whitespaces) }
}
