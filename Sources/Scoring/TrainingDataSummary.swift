import Training

/// What a model was trained on, for provenance and for spotting a model applied to the wrong data.
public struct TrainingDataSummary: Codable, Sendable, Equatable {
    /// The input file's name (no folders, so the model file does not depend on where it was made).
    public var source: String
    public var rows: Int
    public var positives: Int
    public var features: Int
    /// A hash of the design matrix, labels and weights (see `DesignMatrix.fingerprint`).
    public var fingerprint: String

    /// Rows of the rarer class per feature that an unpenalised fit wants for stable weights: the usual rule of thumb
    /// for logistic regression (Peduzzi et al., 1996, "ten events per variable").
    public static let rarerClassPerFeature = 10

    /// A warning when the rarer class is thin: without a penalty, fewer than ``rarerClassPerFeature`` rows of it per
    /// feature; with a fixed penalty, fewer than the penalty search would need with its default folds.
    public func rarerClassNote(l2: Double) -> String? {
        let rarer = min(positives, rows - positives)
        let which = "only \(rarer) of the \(rows) training rows \(rarer == 1 ? "is" : "are") \(positives <= rows - positives ? "won (1)" : "lost (0)")"
        if l2 == 0 {
            let needed = Self.rarerClassPerFeature * features
            guard rarer < needed else { return nil }
            return "\(which) for \(features) feature\(features == 1 ? "" : "s"): an unpenalised fit wants about \(Self.rarerClassPerFeature) of the rarer class per feature (\(needed) here) for stable weights, so expect wide intervals; a penalty chosen by cross-validation, or fewer features, are safer"
        }
        let search = RegularizationSearch()
        let needed = RegularizationSearch.minimumPerFold * search.folds
        guard rarer < needed else { return nil }
        return "\(which): fewer than the \(needed) needed to choose a penalty by cross-validation, so the penalty was not checked against the data and the weights rest on very few leads"
    }

    package init(source: String, rows: Int, positives: Int, features: Int, fingerprint: String) {
        self.source = source
        self.rows = rows
        self.positives = positives
        self.features = features
        self.fingerprint = fingerprint
    }
}
