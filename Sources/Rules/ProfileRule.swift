import LeadData

/// Points for a profile value: `{"field": "job_title", "equals": "VP Marketing", "points": 10}`, one of several
/// values (`"one_of": [...]`), or a numeric range (`"min": 200, "max": 1000`, min included, max excluded).
public struct ProfileRule: Codable, Sendable, Equatable {
    /// The column of contacts.csv (or of the table).
    public var field: String
    public var points: Double
    /// The value that earns the points.
    public var equals: String?
    /// Any of these values earns the points.
    public var oneOf: [String]?
    /// A numeric range: at least `min`, below `max`; either end may be open.
    public var min: Double?
    public var max: Double?

    public init(field: String, points: Double, equals: String? = nil, oneOf: [String]? = nil, min: Double? = nil, max: Double? = nil) {
        self.field = field
        self.points = points
        self.equals = equals
        self.oneOf = oneOf
        self.min = min
        self.max = max
    }

    /// Whether the rule compares text (`equals`, `one_of`) rather than a range of numbers.
    public var isCategorical: Bool { equals != nil || oneOf != nil }

    /// Whether a text value earns the points.
    public func matches(text: String) -> Bool {
        if let equals, text == equals { return true }
        return oneOf?.contains(text) ?? false
    }

    /// Whether a number earns the points (a missing value, NaN, never does).
    public func matches(number: Double) -> Bool {
        guard !number.isNaN else { return false }
        if isCategorical { return matches(text: PointsFormat.points(number)) }
        if let min, number < min { return false }
        if let max, number >= max { return false }
        return true
    }

    /// The rule's signal for a number: 1 when it earns the points, else 0.
    public func signal(number: Double) -> Double {
        matches(number: number) ? 1 : 0
    }

    /// The rule's signal for a text value (a category): 1 when it earns the points, else 0. A range rule reads the
    /// text as a number, and text that is not one never matches.
    public func signal(text: String) -> Double {
        if isCategorical { return matches(text: text) ? 1 : 0 }
        return Double(text).map(matches(number:)) ?? false ? 1 : 0
    }

    /// How the rule reads in a report: `job_title = VP`, `industry in {Retail, Software}`, `company_size 200 to <1000`.
    public var label: String {
        if let equals { return "\(field) = \(equals)" }
        if let oneOf { return "\(field) in {\(oneOf.joined(separator: ", "))}" }
        switch (min, max) {
        case let (low?, high?): return "\(field) \(PointsFormat.points(low)) to <\(PointsFormat.points(high))"
        case let (low?, nil): return "\(field) \(PointsFormat.points(low)) or more"
        case let (nil, high?): return "\(field) below \(PointsFormat.points(high))"
        case (nil, nil): return field
        }
    }
}

extension ProfileRule {
    private enum CodingKeys: String, CodingKey, CaseIterable { case field, points, equals, oneOf, min, max }

    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownKeys(decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        field = try c.decode(String.self, forKey: .field)
        points = try c.decode(Double.self, forKey: .points)
        equals = try c.decodeIfPresent(String.self, forKey: .equals)
        oneOf = try c.decodeIfPresent([String].self, forKey: .oneOf)
        min = try c.decodeIfPresent(Double.self, forKey: .min)
        max = try c.decodeIfPresent(Double.self, forKey: .max)
    }
}
