import LeadData
import LeadDatabase
import Reports
import Scoring

/// `score --into TABLE`: the scores as rows of a PostgreSQL table, one per contact, replaced by `contact_id` on every
/// run, written in one transaction (``TableUpsert``). Values are those `score` writes to CSV and JSON, formatted by
/// ``ScoredLeadFormatter``: the probability to 6 significant digits, rule points as marketers write them, and the
/// reasons as the JSON Lines output has them.
struct ScoreTable {
    /// The table's columns: the key, those each row gives, then those the same for the whole run.
    static let key = TableUpsert.Column("contact_id", "text")
    static let columns: [TableUpsert.Column] = [
        .init("probability", "double precision"),
        .init("score", "integer"),
        .init("band", "text"),
        .init("rule_points", "double precision", nullable: true),
        .init("rule_band", "text", nullable: true),
        .init("reasons", "jsonb", nullable: true),
    ]
    static let model = TableUpsert.Column("model", "text")
    static let scoredAt = TableUpsert.Column("scored_at", "timestamptz")

    let upsert: TableUpsert
    /// Whether the leads carry reasons (`--explain K`); without, `reasons` is NULL.
    let reasons: Bool
    private var rows = CopyRows(capacity: Self.chunkBytes + 65_536)
    private var scratch: [UInt8] = []
    private static let chunkBytes = 1 << 20

    /// Connects to the database `url` gives (nil: the `PG*` environment variables), `name` being how errors call it,
    /// and checks `table` before any scoring. `model` is the model's id (the content hash the server shows), `asOf`
    /// the moment the scores are as of.
    init(table: String, url: String?, name: String, model: String, asOf: Timestamp, reasons: Bool) throws(InputError) {
        let settings = try ConnectionSettings.resolve(url: url, name: name)
        upsert = try TableUpsert.open(settings, table: DatabaseTable(connection: url, relation: DatabaseTable.relation(named: table)),
                                      key: Self.key, columns: Self.columns,
                                      constants: [(Self.model, .text(model)), (Self.scoredAt, .time(asOf))])
        self.reasons = reasons
    }

    /// Adds `leads` to the rows, sending them on by the megabyte.
    mutating func append(_ leads: [ScoredLead]) throws {
        for lead in leads {
            try ScoredLeadFormatter.check(lead)
            rows.field(lead.id)
            field { ScoredLeadFormatter.appendNumber(lead.probability, to: &$0) }
            field { ScoredLeadFormatter.appendInteger(lead.score, to: &$0) }
            rows.field(lead.band)
            if lead.rulePoints != nil { field { ScoredLeadFormatter.appendPoints(lead.rulePoints, to: &$0) } } else { rows.null() }
            if let band = lead.ruleBand { rows.field(band) } else { rows.null() }
            if reasons { field { ScoredLeadFormatter.appendReasonsObject(lead, to: &$0) } } else { rows.null() }
            rows.endRow()
        }
        if rows.bytes.count >= Self.chunkBytes { try upsert.send(&rows) }
    }

    /// A field whose bytes `write` gives.
    private mutating func field(_ write: (inout [UInt8]) -> Void) {
        scratch.removeAll(keepingCapacity: true)
        write(&scratch)
        rows.field(bytes: scratch)
    }

    /// Writes the rows into the table; from here on it holds them.
    mutating func commit() throws(InputError) {
        try upsert.commit(&rows)
    }

    /// Leaves the table as it was.
    func abandon() {
        upsert.abandon()
    }

    /// `Wrote 20,000 scores into crm.lead_scores (postgresql://user@host:5432/crm)`, without the password.
    var summary: String {
        "Wrote \(NumberFormat.count(rows.rows)) score\(rows.rows == 1 ? "" : "s") into \(upsert.table.shortName) (\(upsert.settings.redacted))\n"
    }
}
