import LeadData

/// What a scoring run did: how many leads it scored, how many fell in each band, and what it left out.
public struct ScoringSummary: Sendable, Equatable {
    /// The leads scored (rows written).
    public var scored: Int
    /// Leads per band, in band order (highest first, the rest band last).
    public var bandCounts: [BandCount]
    /// History mode: contacts created at or after the as-of time, which have no history yet and are not scored.
    public var notYetCreated: Int
    /// Rows skipped under `--skip-bad-rows` (history mode).
    public var skipped: SkippedRows

    /// How many leads fell in one band.
    public struct BandCount: Sendable, Equatable {
        public var band: String
        public var leads: Int
    }

    /// An empty summary for these bands.
    init(bands: ModelBands) {
        scored = 0
        bandCounts = bands.names.map { BandCount(band: $0, leads: 0) }
        notYetCreated = 0
        skipped = SkippedRows()
    }

    /// Counts a chunk of scored leads.
    mutating func count(_ leads: [ScoredLead], bands: ModelBands) {
        scored += leads.count
        for i in leads.indices { bandCounts[bands.bandIndex(probability: leads[i].probability, score: leads[i].score)].leads += 1 }
    }
}
