import Foundation
import LeadData
import Rules

/// Writes scored leads as CSV or JSON Lines, chunk by chunk, into a byte buffer the caller sends on.
///
/// CSV: a header `ID,probability,score,band`, then with rules `rule_points,rule_band`, then with reasons
/// `reason_up_1..K,reason_down_1..K`, one reason phrased for a person per cell (empty when a lead has fewer). JSON
/// Lines: one object per lead, keys in that order, reasons as objects with `column`, `value`, `typical`,
/// `contribution` and `text`. Both stream, and both are deterministic: probabilities and contributions are printed
/// rounded to 6 significant digits, rule points as marketers write them (`25`, `-5`, `12.5`; see `PointsFormat`).
public struct ScoredLeadFormatter: Sendable {
    public let format: ScoredLeadFormat
    /// The id column's name (`contact_id`, the model's id column, or `row`).
    public let idColumn: String
    /// Reasons each way per lead (0 for none): the number of reason columns in CSV.
    public let reasons: Int
    /// Whether leads carry rule points and a rules band (`rule_points`, `rule_band` after `band`).
    public let rules: Bool
    private var wroteHeader = false

    public init(format: ScoredLeadFormat, idColumn: String, reasons: Int, rules: Bool = false) {
        self.format = format
        self.idColumn = idColumn
        self.reasons = reasons
        self.rules = rules
    }

    /// The CSV header's columns.
    public var columns: [String] {
        [idColumn, "probability", "score", "band"] + (rules ? ["rule_points", "rule_band"] : [])
            + (0..<reasons).map { "reason_up_\($0 + 1)" } + (0..<reasons).map { "reason_down_\($0 + 1)" }
    }

    /// Appends `leads` (and, before the first, the CSV header) to `bytes`; a lead with a NaN or infinite number is an
    /// error, never a `nan` in the output.
    public mutating func append(_ leads: [ScoredLead], to bytes: inout [UInt8]) throws(NonFiniteScore) {
        writeHeaderOnce(&bytes)
        for i in leads.indices {
            switch format {
            case .csv:
                try Self.check(leads[i])
                appendCSV(leads[i], to: &bytes)
            case .json:
                try appendJSONObject(leads[i], to: &bytes)
                bytes.append(newline)
            }
        }
    }

    /// Refuses a lead with a NaN or infinite number, as every output does.
    public static func check(_ lead: ScoredLead) throws(NonFiniteScore) {
        if let field = lead.nonFiniteField { throw NonFiniteScore(id: lead.id, field: field) }
    }

    /// Ends the output: writes the CSV header if no lead came.
    public mutating func finish(to bytes: inout [UInt8]) {
        writeHeaderOnce(&bytes)
    }

    private mutating func writeHeaderOnce(_ bytes: inout [UInt8]) {
        guard !wroteHeader else { return }
        wroteHeader = true
        guard format == .csv else { return }
        for (i, column) in columns.enumerated() {
            if i > 0 { bytes.append(comma) }
            Self.appendCSVField(column, to: &bytes)
        }
        bytes.append(newline)
    }

    // MARK: - CSV

    private func appendCSV(_ lead: ScoredLead, to bytes: inout [UInt8]) {
        Self.appendCSVField(lead.id, to: &bytes)
        bytes.append(comma)
        Self.appendNumber(lead.probability, to: &bytes)
        bytes.append(comma)
        Self.appendInteger(lead.score, to: &bytes)
        bytes.append(comma)
        Self.appendCSVField(lead.band, to: &bytes)
        if rules {
            bytes.append(comma)
            Self.appendPoints(lead.rulePoints, to: &bytes)
            bytes.append(comma)
            Self.appendCSVField(lead.ruleBand ?? "", to: &bytes)
        }
        if reasons > 0 {
            for list in [lead.reasonsUp, lead.reasonsDown] {
                for k in 0..<reasons {
                    bytes.append(comma)
                    if k < list.count { Self.appendCSVReason(list[k], to: &bytes) }
                }
            }
        }
        bytes.append(newline)
    }

    /// A field as RFC 4180 has it: quoted (quotes doubled) when it holds a comma, a quote or a line end.
    static func appendCSVField(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            if utf8.contains(where: { $0 == comma || $0 == quote || $0 == 0x0A || $0 == 0x0D }) {
                bytes.append(quote)
                appendQuotedContent(utf8, to: &bytes)
                bytes.append(quote)
            } else {
                bytes.append(contentsOf: utf8)
            }
        }
    }

    /// A reason's text (``LeadReason/description``) as one quoted CSV field, written straight into `bytes`.
    static func appendCSVReason(_ reason: LeadReason, to bytes: inout [UInt8]) {
        appendQuotedReason(reason, to: &bytes) { text, bytes in
            var text = text
            text.withUTF8 { appendQuotedContent($0, to: &bytes) }
        }
    }

    /// ``LeadReason/description`` in quotes, written in its parts with `escape` (CSV and JSON escaping both work
    /// byte by byte, so escaping each part escapes the whole).
    private static func appendQuotedReason(_ reason: LeadReason, to bytes: inout [UInt8],
                                           escape: (String, inout [UInt8]) -> Void) {
        bytes.append(quote)
        escape(reason.column, &bytes)
        bytes.append(contentsOf: colonSpace)
        escape(reason.value, &bytes)
        if let typical = reason.typical {
            bytes.append(contentsOf: typicalOpen)
            escape(typical, &bytes)
            bytes.append(0x29)
        }
        bytes.append(contentsOf: commaSpace)
        DecimalText.appendSignedTwoDecimals(reason.contribution, to: &bytes)
        bytes.append(quote)
    }

    /// Bytes inside a quoted CSV field: quotes doubled, in runs between them.
    private static func appendQuotedContent(_ utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        var start = 0
        while let q = utf8[start...].firstIndex(of: quote) {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...q]))
            bytes.append(quote)
            start = q + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
    }

    private static let colonSpace = Array(": ".utf8)
    private static let commaSpace = Array(", ".utf8)
    private static let typicalOpen = Array(" (typical ".utf8)

    // MARK: - JSON Lines

    /// Appends one lead as a JSON object, keys in the fixed order above, without the line end of JSON Lines: the one
    /// per-lead JSON form, which `score --format json` writes a line of and the HTTP server answers with.
    public func appendJSONObject(_ lead: ScoredLead, to bytes: inout [UInt8]) throws(NonFiniteScore) {
        try Self.check(lead)
        bytes.append(0x7B)
        Self.appendJSONString(idColumn, to: &bytes)
        bytes.append(colon)
        Self.appendJSONString(lead.id, to: &bytes)
        bytes.append(contentsOf: Self.probabilityKey)
        Self.appendNumber(lead.probability, to: &bytes)
        bytes.append(contentsOf: Self.scoreKey)
        Self.appendInteger(lead.score, to: &bytes)
        bytes.append(contentsOf: Self.bandKey)
        Self.appendJSONString(lead.band, to: &bytes)
        if rules {
            bytes.append(contentsOf: Self.rulePointsKey)
            if lead.rulePoints != nil { Self.appendPoints(lead.rulePoints, to: &bytes) } else { bytes.append(contentsOf: Self.null) }
            bytes.append(contentsOf: Self.ruleBandKey)
            if let band = lead.ruleBand { Self.appendJSONString(band, to: &bytes) } else { bytes.append(contentsOf: Self.null) }
        }
        if reasons > 0 {
            bytes.append(comma)
            Self.appendReasonLists(lead, to: &bytes)
        }
        if !lead.warnings.isEmpty {
            bytes.append(contentsOf: Self.warningsKey)
            for (k, warning) in lead.warnings.enumerated() {
                if k > 0 { bytes.append(comma) }
                Self.appendJSONString(warning, to: &bytes)
            }
            bytes.append(0x5D)
        }
        bytes.append(0x7D)
    }

    /// The lead's reasons as one JSON object, `{"reasons_up":[...],"reasons_down":[...]}`, each reason as in JSON
    /// Lines: what `score --into` stores in its `reasons` column.
    public static func appendReasonsObject(_ lead: ScoredLead, to bytes: inout [UInt8]) {
        bytes.append(0x7B)
        appendReasonLists(lead, to: &bytes)
        bytes.append(0x7D)
    }

    /// `"reasons_up":[...],"reasons_down":[...]`.
    private static func appendReasonLists(_ lead: ScoredLead, to bytes: inout [UInt8]) {
        for (i, (key, list)) in [("reasons_up", lead.reasonsUp), ("reasons_down", lead.reasonsDown)].enumerated() {
            if i > 0 { bytes.append(comma) }
            appendJSONString(key, to: &bytes)
            bytes.append(contentsOf: [colon, 0x5B])
            for (k, reason) in list.enumerated() {
                if k > 0 { bytes.append(comma) }
                appendJSON(reason, to: &bytes)
            }
            bytes.append(0x5D)
        }
    }

    private static let warningsKey = Array(#","warnings":["#.utf8)
    private static let probabilityKey = Array(#","probability":"#.utf8)
    private static let scoreKey = Array(#","score":"#.utf8)
    private static let bandKey = Array(#","band":"#.utf8)
    private static let rulePointsKey = Array(#","rule_points":"#.utf8)
    private static let ruleBandKey = Array(#","rule_band":"#.utf8)
    private static let null = Array("null".utf8)

    private static func appendJSON(_ reason: LeadReason, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: columnKey)
        appendJSONString(reason.column, to: &bytes)
        bytes.append(contentsOf: valueKey)
        appendJSONString(reason.value, to: &bytes)
        bytes.append(contentsOf: typicalKey)
        if let typical = reason.typical { appendJSONString(typical, to: &bytes) } else { bytes.append(contentsOf: null) }
        bytes.append(contentsOf: contributionKey)
        appendNumber(reason.contribution, to: &bytes)
        bytes.append(contentsOf: textKey)
        appendQuotedReason(reason, to: &bytes, escape: appendJSONStringContent)
        bytes.append(0x7D)
    }

    private static let columnKey = Array(#"{"column":"#.utf8)
    private static let valueKey = Array(#","value":"#.utf8)
    private static let typicalKey = Array(#","typical":"#.utf8)
    private static let contributionKey = Array(#","contribution":"#.utf8)
    private static let textKey = Array(#","text":"#.utf8)

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    public static func appendJSONString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(quote)
        appendJSONStringContent(text, to: &bytes)
        bytes.append(quote)
    }

    /// What goes between the quotes of ``appendJSONString(_:to:)``.
    private static func appendJSONStringContent(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            // Most text needs no escape: copy it whole.
            guard utf8.contains(where: { $0 < 0x20 || $0 == quote || $0 == backslash }) else {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case quote, backslash:
                    bytes.append(backslash)
                    bytes.append(byte)
                case 0x0A: bytes.append(backslash); bytes.append(0x6E)  // \n
                case 0x0D: bytes.append(backslash); bytes.append(0x72)  // \r
                case 0x09: bytes.append(backslash); bytes.append(0x74)  // \t
                case 0..<0x20:
                    bytes.append(contentsOf: Array(String(format: "\\u%04x", Int(byte)).utf8))
                default: bytes.append(byte)
                }
            }
        }
    }

    // MARK: - Numbers

    /// `x` rounded to 6 significant digits, written in the shortest form that reads back as that value
    /// (`0.0771235`, `1e-05`, `1.0`): valid in CSV and JSON alike, and the same bytes on every run.
    public static func appendNumber(_ x: Double, to bytes: inout [UInt8]) {
        var text = DecimalText.shortest(x, significantDigits: 6)
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Rule points as marketers write them (`PointsFormat.points`: `25`, `-5`, `12.5`), a valid number in CSV and JSON
    /// alike; nothing for none.
    public static func appendPoints(_ points: Double?, to bytes: inout [UInt8]) {
        guard let points else { return }
        if points == points.rounded(), abs(points) < 1e15 {
            appendInteger(Int(points), to: &bytes)
        } else {
            var text = PointsFormat.points(points)
            text.withUTF8 { bytes.append(contentsOf: $0) }
        }
    }

    /// An integer's decimal digits, with a minus sign when negative.
    public static func appendInteger(_ n: Int, to bytes: inout [UInt8]) {
        if n < 0 {
            bytes.append(0x2D)
            appendInteger(-n, to: &bytes)
            return
        }
        if n >= 10 { appendInteger(n / 10, to: &bytes) }
        bytes.append(0x30 + UInt8(n % 10))
    }
}

/// A scored lead with a NaN or infinite number, which no output format may hold: a damaged model, or an input the
/// checks did not catch.
public struct NonFiniteScore: Error, Sendable, Equatable, CustomStringConvertible {
    public var id: String
    /// The number at fault, by its JSON path (`probability`, `reasons_up[0].contribution`).
    public var field: String

    public var description: String {
        "lead \(Echo.quoted(id)): its \(field) is not a finite number, so nothing is written for it: the model file is probably damaged (retrain it)"
    }
}

private let comma: UInt8 = 0x2C
private let quote: UInt8 = 0x22
private let colon: UInt8 = 0x3A
private let backslash: UInt8 = 0x5C
private let newline: UInt8 = 0x0A
