public import LeadData
import Scoring

/// What a scoring run did: how many leads it scored, how many fell in each band, and what it left out.
public struct ScoringSummary: Sendable, Equatable {
    /// The leads scored (rows written).
    public var scored: Int
    /// Leads per band, in band order (highest first, the rest band last).
    public var bandCounts: [BandCount]
    /// History mode: contacts created at or after the as-of time, which have no history yet and are not scored.
    public var notYetCreated: Int
    /// History mode with outcomes: contacts already decided (won or lost) before the as-of time, not scored.
    public var alreadyDecided: Int
    /// Rows skipped under `--skip-bad-rows` (history mode).
    public var skipped: SkippedRows
    /// With a rules file: leads per rules band, in the file's band order; empty without rules.
    public var ruleBandCounts: [BandCount]
    /// Things a person should know about the run, such as a rule that found nothing to read and gave no points.
    public var notes: [String]
    /// Things that make the scores doubtful, shown even with `--quiet`: an as-of time long after the data end.
    public var warnings: [String]

    /// How many leads fell in one band.
    public struct BandCount: Sendable, Equatable {
        public var band: String
        public var leads: Int
    }

    /// An empty summary for these bands (and these rules bands, with rules).
    init(bands: ModelBands, ruleBands: [String] = []) {
        scored = 0
        bandCounts = bands.names.map { BandCount(band: $0, leads: 0) }
        notYetCreated = 0
        alreadyDecided = 0
        warnings = []
        skipped = SkippedRows()
        ruleBandCounts = ruleBands.map { BandCount(band: $0, leads: 0) }
        notes = []
    }

    /// Counts a chunk of scored leads.
    mutating func count(_ leads: [ScoredLead], bands: ModelBands) {
        scored += leads.count
        for i in leads.indices { bandCounts[bands.bandIndex(probability: leads[i].probability, score: leads[i].score)].leads += 1 }
        guard !ruleBandCounts.isEmpty else { return }
        for i in leads.indices {
            if let k = ruleBandCounts.firstIndex(where: { $0.band == leads[i].ruleBand }) { ruleBandCounts[k].leads += 1 }
        }
    }
}
