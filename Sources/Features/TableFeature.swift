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
    /// What the centred value is divided by: for a number its standard deviation (population, over training rows), for
    /// a 0/1 indicator ``TableEncoding/indicatorScale`` (model files written before it held the standard deviation).
    public let scale: Double
    /// For a numeric value: the smallest and largest raw value seen in training (after imputation). Scoring clamps
    /// values to it, so that no input, however extreme, moves a lead further than the training data did, and the model
    /// loader bounds the log-odds any lead can get by it. Nil for 0/1 features, and in model files written before it
    /// was recorded.
    public let range: ClosedRange<Double>?

    public init(name: String, column: String, kind: Kind, mean: Double, scale: Double, range: ClosedRange<Double>? = nil) {
        self.name = name
        self.column = column
        self.kind = kind
        self.mean = mean
        self.scale = scale
        self.range = range
    }

    /// The feature's standard deviation over the training rows: ``scale`` for a number; for a 0/1 indicator
    /// `sqrt(p (1 - p))` of its share `p` (``mean``), whatever it was divided by.
    public var deviation: Double {
        kind == .value ? scale : (mean * (1 - mean)).squareRoot()
    }

    /// A weight `w` on this feature as trained (per unit of ``scale``) turned into log-odds per standard deviation:
    /// the size reports rank and show, comparable across numbers and levels.
    public func perDeviation(_ w: Double) -> Double {
        w / scale * deviation
    }

    /// The raw values this feature takes in training: ``range`` for a numeric value, 0 to 1 for the others.
    public var trainingRange: ClosedRange<Double>? {
        switch kind {
        case .value: range
        case .missing, .level, .other: 0...1
        }
    }
}

extension TableFeature {
    private enum CodingKeys: String, CodingKey {
        case name, column, kind, level, mean, scale, min, max
    }

    /// Written flat, `{"kind": "level", "level": "Retail", ...}`, so the model file reads naturally.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(column, forKey: .column)
        try c.encode(mean, forKey: .mean)
        try c.encode(scale, forKey: .scale)
        if let range {
            try c.encode(range.lowerBound, forKey: .min)
            try c.encode(range.upperBound, forKey: .max)
        }
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
        switch (try c.decodeIfPresent(Double.self, forKey: .min), try c.decodeIfPresent(Double.self, forKey: .max)) {
        case (nil, nil): range = nil
        case (let lo?, let hi?) where lo <= hi: range = lo...hi
        default:
            throw DecodingError.dataCorruptedError(forKey: .min, in: c, debugDescription: "\"min\" and \"max\" come together, min at most max")
        }
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

