public import Features
import LinearAlgebra
public import Training

/// Scores rows of standardised features with one model: probability (one gemv pass and a sigmoid per chunk), score
/// on the training leads' percentile scale, band and, when asked, the top reasons each way.
///
/// The workflows (``TableScoring``, ``HistoryScoring``) feed it chunks of rows; the HTTP server can feed it one row.
/// A row's probability is the same bit for bit whatever the chunk it comes in (see `LogisticFit.probabilities(rows:count:into:threads:)`).
public struct LeadScorer: Sendable {
    public let fit: LogisticFit
    public let scale: ScoreScale
    public let bands: ModelBands
    public let explainer: LeadExplainer

    /// A scorer for `model`, with the score scale and bands to use (normally the ones stored with the model);
    /// `detailedReasons` gives one reason per feature column instead of one per event type (see ``LeadExplainer``).
    public init(model: LeadModel, scale: ScoreScale, bands: ModelBands, detailedReasons: Bool = false) {
        fit = model.fit
        self.scale = scale
        self.bands = bands
        explainer = LeadExplainer(model: model, detail: detailedReasons)
    }

    /// The number of features in a row.
    public var featureCount: Int { fit.coefficients.count }

    /// Scores `count` rows held row-major in `rows` into `leads`, replacing its contents (its capacity is kept, so a
    /// caller that reuses `leads` and `probabilities` allocates nothing per chunk without reasons).
    ///
    /// `ids` holds the rows' ids in order; `reasons` is how many reasons each way to give (0 for none);
    /// `probabilities` is scratch space, grown when too small.
    public func score(rows: UnsafeBufferPointer<Double>, count: Int, ids: ArraySlice<String>, reasons: Int,
                      probabilities: inout [Double], into leads: inout [ScoredLead]) {
        precondition(ids.count == count, "one id per row")
        let d = featureCount
        if probabilities.count < count { probabilities = [Double](repeating: 0, count: count) }
        probabilities.withUnsafeMutableBufferPointer { p in
            fit.probabilities(rows: rows, count: count, into: p)
        }
        leads.removeAll(keepingCapacity: true)
        var id = ids.startIndex
        for i in 0..<count {
            let p = probabilities[i]
            let score = scale.score(probability: p)
            var lead = ScoredLead(id: ids[id], probability: p, score: score, band: bands.band(probability: p, score: score))
            if reasons > 0 {
                (lead.reasonsUp, lead.reasonsDown) = explainer.topReasons(UnsafeBufferPointer(rebasing: rows[(i * d)..<((i + 1) * d)]), reasons)
            }
            leads.append(lead)
            id = ids.index(after: id)
        }
    }

    /// Scores every row of a design matrix at once, with its ids.
    public func score(_ design: DesignMatrix, reasons: Int = 0) -> [ScoredLead] {
        precondition(design.features.columns == featureCount, "the design matrix has \(design.features.columns) features, the model \(featureCount)")
        var probabilities: [Double] = []
        var leads: [ScoredLead] = []
        design.features.storage.withUnsafeBufferPointer { rows in
            score(rows: rows, count: design.features.rows, ids: design.ids[...], reasons: reasons, probabilities: &probabilities, into: &leads)
        }
        return leads
    }
}
