/// A strict reader of the Prometheus text exposition format 0.0.4, written from the format's description rather than
/// from the server's writer, so that the tests check what the server sends against the format:
///
/// - every line ends with a line feed; a line is `# HELP name text`, `# TYPE name type`, or a sample
///   `name{label="value",...} number`; the server writes no other comments and no blank lines, so none are taken;
/// - names match `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names `[a-zA-Z_][a-zA-Z0-9_]*`, and a sample has each label once;
/// - a label value escapes `\`, `"` and the line feed as `\\`, `\"`, `\n`, and nothing else is escaped; a help text
///   escapes `\` and the line feed;
/// - numbers are Go floats (`3`, `0.25`, `1e-05`, `+Inf`, `-Inf`, `NaN`);
/// - a family has one HELP and one TYPE line, before its samples, which come together; a histogram's samples are
///   `_bucket` (with `le`), `_sum` and `_count`, a counter's or gauge's carry the family's own name.
struct PrometheusExposition {
    struct Family: Equatable {
        var name: String
        var type: String
        var help: String
    }

    struct Sample: Equatable {
        var name: String
        /// In the order written.
        var labels: [(String, String)]
        var value: Double
        /// The family it belongs to.
        var family: String

        static func == (a: Sample, b: Sample) -> Bool {
            a.name == b.name && a.labels.elementsEqual(b.labels, by: ==) && a.value == b.value && a.family == b.family
        }

        func label(_ name: String) -> String? { labels.first { $0.0 == name }?.1 }
    }

    struct Malformed: Error, CustomStringConvertible {
        var line: Int
        var why: String
        var description: String { "line \(line): \(why)" }
    }

    private(set) var families: [Family] = []
    private(set) var samples: [Sample] = []

    init(_ text: String) throws {
        guard text.hasSuffix("\n") else { throw Malformed(line: 0, why: "the text does not end with a line feed") }
        var helps: [String: String] = [:]
        var current: String?
        var closed: Set<String> = []
        // Split on the line feed scalar: as Characters, a carriage return and the line feed after it would be one.
        let lines = text.unicodeScalars.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map { Substring(String($0)) }
        for (i, line) in lines.enumerated() {
            let number = i + 1
            func fail(_ why: String) -> Malformed { Malformed(line: number, why: "\(why): \(line)") }
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let rest = line.dropFirst(7)
                let space = rest.firstIndex(of: " ")
                let name = String(rest[..<(space ?? rest.endIndex)])
                let tail = space.map { String(rest[rest.index(after: $0)...]) } ?? ""
                guard Self.isName(name, colons: true) else { throw fail("not a metric name") }
                if name != current {
                    if let current { closed.insert(current) }
                    guard !closed.contains(name) else { throw fail("the family \(name) appears twice") }
                    current = name
                }
                if line.hasPrefix("# HELP ") {
                    guard helps[name] == nil else { throw fail("a second HELP line") }
                    guard families.last?.name != name else { throw fail("HELP after TYPE") }
                    helps[name] = try Self.unescape(Substring(tail), quotes: false).orThrow(fail("a bad escape in the help text"))
                } else {
                    guard families.last?.name != name else { throw fail("a second TYPE line") }
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(tail) else { throw fail("not a metric type") }
                    families.append(Family(name: name, type: tail, help: helps[name] ?? ""))
                }
                continue
            }
            guard !line.hasPrefix("#"), !line.isEmpty else { throw fail("a comment or blank line the server does not write") }
            var sample = try Self.sample(line).orThrow(fail("not a sample line"))
            guard let family = families.last, family.name == current else { throw fail("a sample before its family's TYPE line") }
            let allowed = family.type == "histogram" ? ["_bucket", "_sum", "_count"].map { family.name + $0 } : [family.name]
            guard allowed.contains(sample.name) else { throw fail("a sample of another family than \(family.name)") }
            if sample.name == family.name + "_bucket", sample.label("le") == nil { throw fail("a bucket without le") }
            sample.family = family.name
            samples.append(sample)
        }
    }

    /// Parses `name{a="x",b="y"} value [timestamp]`, or nil.
    private static func sample(_ line: Substring) -> Sample? {
        var rest = line[...]
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
        let name = String(rest[..<nameEnd])
        guard isName(name, colons: true) else { return nil }
        rest = rest[nameEnd...]
        var labels: [(String, String)] = []
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                guard let equals = rest.firstIndex(of: "=") else { return nil }
                let label = String(rest[..<equals])
                guard isName(label, colons: false), !labels.contains(where: { $0.0 == label }) else { return nil }
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { return nil }
                rest = rest.dropFirst()
                // The value runs to the first quote not escaped.
                var raw = ""
                var escaped = false
                var closed = false
                while let c = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        escaped = false
                    } else if c == "\\" {
                        escaped = true
                    } else if c == "\"" {
                        closed = true
                        break
                    }
                    raw.append(c)
                }
                guard closed, let value = unescape(Substring(raw), quotes: true) else { return nil }
                labels.append((label, value))
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { return nil }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { return nil }
        let fields = rest.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard (1...2).contains(fields.count), let value = number(fields[0]) else { return nil }
        if fields.count == 2, Int64(fields[1]) == nil { return nil }
        return Sample(name: name, labels: labels, value: value, family: "")
    }

    /// A Go float, as Prometheus reads sample values.
    static func number(_ text: Substring) -> Double? {
        switch text {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default:
            guard text.allSatisfy({ "0123456789.eE+-".contains($0) }) else { return nil }
            return Double(text)
        }
    }

    /// Undoes `\\`, `\n` and (in label values) `\"`; nil for any other escape or an unescaped quote in a label value.
    private static func unescape(_ text: Substring, quotes: Bool) -> String? {
        var out = ""
        var escaped = false
        for c in text {
            if escaped {
                switch c {
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "\"" where quotes: out.append("\"")
                default: return nil
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "\"", quotes {
                return nil
            } else {
                out.append(c)
            }
        }
        return escaped ? nil : out
    }

    private static func isName(_ name: String, colons: Bool) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || (colons && $0 == ":") }
    }

    // MARK: Reading values

    func family(_ name: String) -> Family? { families.first { $0.name == name } }

    /// The samples named `name` whose labels include `labels`.
    func samples(_ name: String, _ labels: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.label($0.key) == $0.value } }
    }

    /// The value of the one sample named `name` with exactly `labels`, or nil.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let found = samples.filter { $0.name == name && Dictionary($0.labels, uniquingKeysWith: { a, _ in a }) == labels }
        return found.count == 1 ? found[0].value : nil
    }

    /// A histogram's buckets for one label set, in the order written: (le, cumulative count).
    func buckets(_ family: String, _ labels: [String: String] = [:]) -> [(le: Double, count: Double)] {
        samples(family + "_bucket", labels).map { (Self.number(Substring($0.label("le") ?? "")) ?? .nan, $0.value) }
    }
}

extension Optional {
    func orThrow(_ error: @autoclosure () -> some Error) throws -> Wrapped {
        guard let self else { throw error() }
        return self
    }
}
