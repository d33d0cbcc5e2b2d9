import Foundation
public import Rules

/// What a model trained with `--rules` keeps about the rules: which rules (by content), how their points map to a
/// probability, and what the data say each rule is worth. Written into the model file as `rules`.
public struct RulesBaseline: Codable, Sendable, Equatable {
    /// The rules themselves, so that `score` and `compare` can use them without the file.
    public var rules: RuleSet
    /// `RuleSet.fingerprint` of the rules, to recognise the same rules in another file.
    public var fingerprint: String
    /// Points to probability, fitted on the training leads (the holdout's own fit for holdout figures).
    public var calibration: PointsCalibration
    /// The intercept of the refit on the rules' signals (log-odds of a lead with every signal at zero).
    public var refitIntercept: Double
    /// Each rule's signal and the weight the data give it.
    public var refit: [RefitSignal]

    /// Log-odds per point: the exchange rate between model weights and the rules' points.
    ///
    /// The calibration's slope when the points rank leads at all; otherwise a conventional 20 points per unit of
    /// log-odds, and `scaleNote` says so.
    public var logOddsPerPoint: Double { calibration.perPoint > 1e-9 ? calibration.perPoint : Self.conventionalLogOddsPerPoint }
    public static let conventionalLogOddsPerPoint = 0.05

    /// How model weights were turned into points, for reports.
    public var scaleNote: String {
        if calibration.perPoint > 1e-9 {
            return "points = log-odds / \(Self.format(calibration.perPoint)): on the training leads one rule point is worth \(Self.format(calibration.perPoint)) in log-odds (the slope of a logistic fit of outcome on points)"
        }
        return "the rules' points do not rank the training leads (log-odds per point \(Self.format(calibration.perPoint))), so points = 20 x log-odds by convention"
    }

    /// The same rules with the points the data support, rounded to whole points; band thresholds moved so that each
    /// band starts at the same probability as before, and the calibration of the new points included.
    public func refittedRules() -> RuleSet {
        let scale = logOddsPerPoint
        var out = RuleSet(name: "\(rules.name ?? "rules") (refitted)", bands: rules.bands)
        var signalPoints: [String: Double] = [:]
        for signal in refit { signalPoints[signal.key] = ((signal.weight ?? 0) / scale).rounded() }
        for signal in rules.signals {
            let points = signalPoints[signal.key] ?? 0
            switch signal.withPoints(points) {
            case .event(let rule): out.events.append(rule)
            case .profile(let rule): out.profile.append(rule)
            case .inactivity(let rule): out.inactivity = rule
            }
        }
        // The new points give log-odds = refitIntercept + scale * points; keep each band's probability threshold.
        out.bands = rules.bands.map { band in
            guard let threshold = band.minPoints else { return band }
            let logOdds = calibration.intercept + calibration.perPoint * threshold
            return PointBand(name: band.name, minPoints: ((logOdds - refitIntercept) / scale).rounded())
        }
        // Rounding can make thresholds collide; keep them strictly decreasing.
        for i in out.bands.indices.dropFirst() {
            if let previous = out.bands[i - 1].minPoints, let current = out.bands[i].minPoints, current >= previous {
                out.bands[i].minPoints = previous - 1
            }
        }
        out.calibration = PointsCalibration(intercept: refitIntercept, perPoint: scale)
        return out
    }

    static func format(_ x: Double) -> String { String(format: "%.4g", x) }

    package init(rules: RuleSet, fingerprint: String, calibration: PointsCalibration, refitIntercept: Double, refit: [RefitSignal]) {
        self.rules = rules
        self.fingerprint = fingerprint
        self.calibration = calibration
        self.refitIntercept = refitIntercept
        self.refit = refit
    }
}
