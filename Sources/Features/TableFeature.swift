/// One column of the design matrix built from a table, and how to compute it from the source column.
public struct TableFeature: Codable, Sendable, Equatable {
    /// What the feature measures about its source column.
    public enum Kind: Sendable, Equatable {
        /// The numeric value itself (missing values imputed).
        case value
        /// 1 when the numeric value is missing, else 0.
        case missing
        /// 1 when the category is this level, else 0.
        case level(String)
        /// 1 when the category is one of the pooled rare levels (or unseen at training), else 0.
        case other
    }

    /// The name a person reads, also the column name in exports: `company_size`, `company_size (missing)`, `industry=Retail`, `industry=other`.
    public let name: String
    /// The table column it comes from.
    public let column: String
    public let kind: Kind
    /// The mean subtracted in standardisation (over training rows, after imputation).
    public let mean: Double
    /// The standard deviation divided by in standardisation (population, over training rows).
    public let scale: Double
}

extension TableFeature {
    private enum CodingKeys: String, CodingKey {
        case name, column, kind, level, mean, scale
    }

    /// Written flat, `{"kind": "level", "level": "Retail", ...}`, so the model file reads naturally.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(column, forKey: .column)
        try c.encode(mean, forKey: .mean)
        try c.encode(scale, forKey: .scale)
        switch kind {
        case .value: try c.encode("value", forKey: .kind)
        case .missing: try c.encode("missing", forKey: .kind)
        case .other: try c.encode("other", forKey: .kind)
        case .level(let level):
            try c.encode("level", forKey: .kind)
            try c.encode(level, forKey: .level)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        column = try c.decode(String.self, forKey: .column)
        mean = try c.decode(Double.self, forKey: .mean)
        scale = try c.decode(Double.self, forKey: .scale)
        switch try c.decode(String.self, forKey: .kind) {
        case "value": kind = .value
        case "missing": kind = .missing
        case "other": kind = .other
        case "level": kind = .level(try c.decode(String.self, forKey: .level))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown feature kind \"\(other)\"")
        }
    }
}

