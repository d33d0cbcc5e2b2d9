/// How leads fall into bands (sales-ready, MQL, early-stage...) and how well each band converts: per band its
/// leads and conversions, and, counting it with every band above it, the share of leads flagged, the precision and
/// the recall (the share of all conversions captured).
public struct BandTable: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var band: String
        public var leads: Int
        public var conversions: Int
        /// Conversions per lead within the band; nil for an empty band.
        public var conversionRate: Double?
        /// This band and every band above it, as a share of all leads.
        public var cumulativeShare: Double
        /// Conversions per lead in this band and above; nil while no lead is.
        public var cumulativePrecision: Double?
        /// Conversions in this band and above, as a share of all conversions; nil without conversions.
        public var cumulativeRecall: Double?
    }

    public var rows: [Row]

    /// `bands` holds each lead's band; `order` lists the band names from the highest down (every band in it gets a
    /// row, also an empty one; a band missing from it is an error of the caller).
    public init(bands: [String], order: [String], labels: [Bool]) {
        precondition(bands.count == labels.count, "one band per label")
        let index = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        var leads = [Int](repeating: 0, count: order.count), wins = leads
        for (band, won) in zip(bands, labels) {
            guard let k = index[band] else { preconditionFailure("band \"\(band)\" is not in the order") }
            leads[k] += 1
            if won { wins[k] += 1 }
        }
        let n = bands.count, total = wins.reduce(0, +)
        var cumulativeLeads = 0, cumulativeWins = 0
        rows = order.indices.map { k in
            cumulativeLeads += leads[k]
            cumulativeWins += wins[k]
            return Row(band: order[k], leads: leads[k], conversions: wins[k],
                       conversionRate: leads[k] > 0 ? Double(wins[k]) / Double(leads[k]) : nil,
                       cumulativeShare: n > 0 ? Double(cumulativeLeads) / Double(n) : 0,
                       cumulativePrecision: cumulativeLeads > 0 ? Double(cumulativeWins) / Double(cumulativeLeads) : nil,
                       cumulativeRecall: total > 0 ? Double(cumulativeWins) / Double(total) : nil)
        }
    }
}
