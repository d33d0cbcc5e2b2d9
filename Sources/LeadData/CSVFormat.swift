/// How a CSV export is written, beyond RFC 4180's grammar: the separator, the character encoding, how numbers are
/// written, and how dates and times are. The default is leadscore's own format (comma, UTF-8, `1234.5`, ISO 8601 in
/// UTC); CRM exports differ on every point (`;` and Windows-1252 from Excel in much of Europe, `1,127,228`,
/// `03/21/2026 14:05` in the exporting user's time zone), and a source description says so.
public struct CSVFormat: Sendable, Equatable {
    /// The field separator: `,`, `;`, tab or `|`.
    public var delimiter: UInt8
    /// The character encoding of the file; anything but UTF-8 is turned into UTF-8 as it is read.
    public var encoding: TextEncoding
    /// The character that groups thousands in numbers (`,` in `1,127,228`), if the file uses one.
    public var thousands: UInt8?
    /// The decimal mark: `.` or `,`.
    public var decimal: UInt8
    /// How dates and times are written besides ISO 8601, which is always read, and the zone of those without one.
    public var dates: DateFormats

    public init(delimiter: UInt8 = UInt8(ascii: ","), encoding: TextEncoding = .utf8, thousands: UInt8? = nil,
                decimal: UInt8 = UInt8(ascii: "."), dates: DateFormats = DateFormats()) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.thousands = thousands
        self.decimal = decimal
        self.dates = dates
    }

    /// leadscore's own format.
    public static let standard = CSVFormat()

    /// Whether numbers are written as leadscore writes them (no thousands separator, `.` for decimals).
    var plainNumbers: Bool { thousands == nil && decimal == UInt8(ascii: ".") }

    /// The character encodings leadscore reads.
    public enum TextEncoding: String, Sendable, Equatable, CaseIterable {
        case utf8 = "utf-8"
        /// Windows' Western European code page, what Excel saves "CSV" as on many Windows machines.
        case windows1252 = "windows-1252"
        /// ISO 8859-1.
        case latin1 = "latin-1"
    }
}
