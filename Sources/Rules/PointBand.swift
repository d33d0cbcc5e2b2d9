import LeadData

/// A band of rule points: `{"name": "sales-ready", "min_points": 80}`; the last band has no minimum and takes the rest.
public struct PointBand: Codable, Sendable, Equatable {
    public var name: String
    /// The fewest points that reach the band; nil for the lowest band.
    public var minPoints: Double?

    public init(name: String, minPoints: Double?) {
        self.name = name
        self.minPoints = minPoints
    }

    /// Marketing's usual bands: sales-ready at 80 points or more, MQL at 50 or more, early-stage below.
    public static let standard = [PointBand(name: "sales-ready", minPoints: 80), PointBand(name: "MQL", minPoints: 50),
                                  PointBand(name: "early-stage", minPoints: nil)]
}

extension PointBand {
    private enum CodingKeys: String, CodingKey, CaseIterable { case name, minPoints }

    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownKeys(decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        minPoints = try c.decodeIfPresent(Double.self, forKey: .minPoints)
    }
}
