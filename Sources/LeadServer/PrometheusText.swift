/// Text in the Prometheus exposition format, version 0.0.4 (`Content-Type: text/plain; version=0.0.4; charset=utf-8`):
/// for each metric family a `# HELP` and a `# TYPE` line, then its samples, one a line, as
/// `name{label="value",...} number`.
///
/// Label values escape `\`, `"` and the line feed (`\\`, `\"`, `\n`); help texts escape `\` and the line feed.
/// Numbers are written as Go's `strconv.ParseFloat` reads them: whole numbers without a fraction (`3`, `1`), others in
/// Swift's shortest round-trip form (`0.00025`, `1e-05`), infinities as `+Inf` and `-Inf`.
struct PrometheusText {
    /// What a family is, as its `# TYPE` line says.
    enum Kind: String {
        case counter, gauge, histogram
    }

    private(set) var text = ""

    init() {
        text.reserveCapacity(16 * 1024)
    }

    /// The `# HELP` and `# TYPE` lines that open the family `name`; its samples follow.
    mutating func family(_ name: String, _ kind: Kind, help: String) {
        assert(Self.isMetricName(name), "not a metric name: \(name)")
        text += "# HELP \(name) "
        for scalar in help.unicodeScalars {
            switch scalar {
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\n# TYPE \(name) \(kind.rawValue)\n"
    }

    /// One sample: `name{labels} value`; no braces without labels.
    mutating func sample(_ name: String, labels: [(name: String, value: String)] = [], _ value: String) {
        text += name
        if !labels.isEmpty {
            text += "{"
            for (i, label) in labels.enumerated() {
                assert(Self.isLabelName(label.name), "not a label name: \(label.name)")
                if i > 0 { text += "," }
                text += label.name
                text += "=\""
                Self.appendEscaped(label.value, to: &text)
                text += "\""
            }
            text += "}"
        }
        text += " "
        text += value
        text += "\n"
    }

    mutating func sample(_ name: String, labels: [(name: String, value: String)] = [], _ value: UInt64) {
        sample(name, labels: labels, String(value))
    }

    mutating func sample(_ name: String, labels: [(name: String, value: String)] = [], _ value: Double) {
        sample(name, labels: labels, Self.number(value))
    }

    /// `value` as a label value's text between its quotes.
    static func appendEscaped(_ value: String, to text: inout String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "\n": text += "\\n"
            default: text.unicodeScalars.append(scalar)
            }
        }
    }

    /// A number as the format writes it (also the text of a bucket's `le` label).
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return value.description
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
    static func isMetricName(_ name: String) -> Bool {
        isName(name, colons: true)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`
    static func isLabelName(_ name: String) -> Bool {
        isName(name, colons: false)
    }

    private static func isName(_ name: String, colons: Bool) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "_"):
                true
            case UInt8(ascii: ":"): colons
            default: false
            }
        }
    }
}
