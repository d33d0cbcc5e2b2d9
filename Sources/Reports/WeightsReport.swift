import Features
public import Foundation
import LeadData
public import Scoring
import Training

/// The learned weights of a model: per standard deviation and per unit, with standard errors, p-values, 95% intervals
/// and odds ratios; as text for people and as JSON on the scale of the exported design matrix.
public struct WeightsReport: Sendable {
    public let model: LeadModel

    public init(model: LeadModel) { self.model = model }

    /// A text table, largest effect first.
    public func text() -> String {
        let fit = model.fit
        var lines: [String] = []
        let se = fit.standardErrors, p = fit.pValues, ci = fit.confidenceIntervals
        let features = model.encoding.features
        let perSD = zip(features, fit.coefficients).map { $0.perDeviation($1) }
        lines.append("Weights (log-odds of converting; per standard deviation of the feature; largest first)")
        var table = TextTable(headers: ["feature", "per sd", "std err", "95% interval", "p", "odds x per sd", "per unit"],
                              alignments: [.left, .right, .right, .right, .right, .right, .right])
        let order = perSD.indices.sorted { abs(perSD[$0]) > abs(perSD[$1]) }
        for j in order {
            let w = perSD[j], f = features[j]
            table.append([
                fit.featureNames[j],
                NumberFormat.signed(w, 3),
                se.map { NumberFormat.fixed(f.perDeviation($0[j]), 3) } ?? "-",
                ci.map { "\(NumberFormat.signed(f.perDeviation($0[j].lowerBound), 2))..\(NumberFormat.signed(f.perDeviation($0[j].upperBound), 2))" } ?? "-",
                p.map { NumberFormat.pValue($0[j]) } ?? "-",
                NumberFormat.ratio(exp(w)),
                NumberFormat.general(model.rawCoefficients[j], 3),
            ])
        }
        lines.append(table.render())
        lines.append("  intercept \(NumberFormat.signed(fit.intercept, 3)) (log-odds for a lead with every feature at its mean)")
        let hessian = fit.standardErrorsArePenalised
            ? "the penalised Hessian (X'WX + lambda I), so they are approximate for shrunk weights"
            : "the inverse Hessian (maximum likelihood, no penalty)"
        lines.append("  standard errors, intervals and p-values (Wald) come from \(hessian)")
        if let effects = eventEffectsText() { lines += ["", effects] }
        return lines.joined(separator: "\n")
    }

    /// Per event type: its effect from never to one occurrence now, and how many open leads one more of it would move
    /// the other way ("more of a good thing never hurts"); nil for models without event types.
    public func eventEffectsText() -> String? {
        guard let effects = model.eventEffects, !effects.isEmpty else { return nil }
        let open = effects[0].openLeads, all = effects[0].openLeadsInData
        let leads = open == all ? "the \(NumberFormat.count(open)) open leads" : "\(NumberFormat.count(open)) of the \(NumberFormat.count(all)) open leads (evenly spaced)"
        var lines = ["Event types (effect: log-odds between the average lead that had the type and one that never did; one more event just now checked on \(leads) as of the end of the data)"]
        var table = TextTable(headers: ["event type", "effect", "95% interval", "way", "clear", "held to it", "leads moved the other way"],
                              alignments: [.left, .right, .right, .left, .left, .left, .right])
        for e in effects.sorted(by: { abs($0.effect) != abs($1.effect) ? abs($0.effect) > abs($1.effect) : $0.event < $1.event }) {
            table.append([
                e.event, NumberFormat.signed(e.effect, 2),
                e.low.flatMap { lo in e.high.map { "\(NumberFormat.signed(lo, 2))..\(NumberFormat.signed($0, 2))" } } ?? "-",
                e.direction, e.clear ? "yes" : "no", e.signConstrained ? "yes" : "no",
                open == 0 ? "-" : "\(NumberFormat.count(e.movedAgainst)) of \(NumberFormat.count(e.openLeads))",
            ])
        }
        lines.append(table.render())
        let held = effects.allSatisfy(\.signConstrained)
        lines.append(held
            ? "  each type's features (counts, recency, never seen) and the overall activity features are held to the type's way, so one more event never moves a lead the other way"
            : "  trained with --event-signs free: where a type's features have weights of opposite signs, one more event can move some leads the other way")
        return lines.joined(separator: "\n")
    }

    /// The strongest signals in a sentence each: which way they push and by how much, per standard deviation.
    public func headline(count: Int = 5) -> String {
        let fit = model.fit
        let perSD = zip(model.encoding.features, fit.coefficients).map { $0.perDeviation($1) }
        let order = perSD.indices.sorted { abs(perSD[$0]) > abs(perSD[$1]) }
        let references = Dictionary(uniqueKeysWithValues: model.encoding.recipes.map { ($0.column, $0.reference ?? "") })
        let lines = order.prefix(count).map { j -> String in
            let feature = model.encoding.features[j]
            let w = perSD[j], raw = model.rawCoefficients[j]
            let significant = fit.pValues.map { $0[j] < 0.05 } ?? true
            let caveat = significant ? "" : " (not significant at 5%)"
            // Indicators read best as "this rather than that"; numbers per standard deviation, with its size.
            switch feature.kind {
            case .level(let level):
                return "  \(feature.column) \"\(level)\" rather than \"\(references[feature.column] ?? "")\": odds of converting x\(NumberFormat.ratio(exp(raw)))\(caveat)"
            case .other:
                return "  \(feature.column) in a rare level (pooled as \"other\") rather than \"\(references[feature.column] ?? "")\": odds x\(NumberFormat.ratio(exp(raw)))\(caveat)"
            case .missing:
                return "  \(feature.column) unknown: odds x\(NumberFormat.ratio(exp(raw)))\(caveat)"
            case .value where abs(feature.scale * feature.scale - feature.mean * (1 - feature.mean)) < 1e-12:
                // A 0/1 column: its standard deviation is sqrt(m (1 - m)), and "1 rather than 0" is the natural step.
                return "  \(feature.name) 1 rather than 0: odds x\(NumberFormat.ratio(exp(raw)))\(caveat)"
            case .value:
                return "  \(feature.name) +\(NumberFormat.general(feature.scale, 3)) (one standard deviation): odds x\(NumberFormat.ratio(exp(w)))\(caveat)"
            }
        }
        return "Strongest signals (odds of converting, all else equal):\n" + lines.joined(separator: "\n")
    }

    /// The JSON the peer scripts compare against: `intercept`, `l2` and `coefficients` by name, on the scale of the
    /// design matrix (`leadscore features`): per standard deviation for numbers; for a 0/1 indicator, whose column is
    /// halved, twice the level's effect per unit.
    public func json() throws -> Data {
        let fit = model.fit
        func byName(_ values: [Double]) -> [String: Double] {
            Dictionary(uniqueKeysWithValues: zip(fit.featureNames, values))
        }
        let body = ExplainJSON(
            intercept: fit.intercept, l2: fit.l2, coefficients: byName(fit.coefficients),
            standardErrors: fit.standardErrors.map(byName), interceptStandardError: fit.interceptStandardError,
            pValues: fit.pValues.map(byName),
            confidenceIntervals95: fit.confidenceIntervals.map { ci in
                Dictionary(uniqueKeysWithValues: zip(fit.featureNames, ci.map { [$0.lowerBound, $0.upperBound] }))
            },
            standardErrorsArePenalised: fit.standardErrorsArePenalised,
            rawIntercept: model.rawIntercept, rawCoefficients: byName(model.rawCoefficients),
            featureMeans: byName(model.encoding.features.map(\.mean)), featureScales: byName(model.encoding.features.map(\.scale)),
            featureOrder: fit.featureNames, eventEffects: model.eventEffects)
        return try DeterministicJSON.encode(body)
    }

    private struct ExplainJSON: Encodable {
        var intercept: Double
        var l2: Double
        var coefficients: [String: Double]
        var standardErrors: [String: Double]?
        var interceptStandardError: Double?
        var pValues: [String: Double]?
        var confidenceIntervals95: [String: [Double]]?
        var standardErrorsArePenalised: Bool
        var rawIntercept: Double
        var rawCoefficients: [String: Double]
        var featureMeans: [String: Double]
        var featureScales: [String: Double]
        var featureOrder: [String]
        var eventEffects: [EventEffect]?
    }
}
