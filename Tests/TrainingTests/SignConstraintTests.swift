import Foundation
import LinearAlgebra
import Testing
@testable import Training

/// Sign-constrained fits (``ProjectedNewtonSolver``): the answer is the constrained optimum, checked by its
/// optimality conditions rather than by another solver's numbers.
@Suite struct SignConstraintTests {
    /// Four features whose true weights are +1, -0.8, +0.5, 0; the constraints fight the data on the first two.
    let data = SyntheticData.logistic(rows: 3000, weights: [1, -0.8, 0.5, 0], intercept: -0.5, seed: 7)
    let signs: [WeightSign] = [.nonPositive, .nonNegative, .nonNegative, .zero]

    /// The objective's gradient at `fit` (intercept first), as the solver sees it.
    func gradient(_ fit: LogisticFit, l2: Double) -> [Double] {
        let objective = LogisticObjective(data: data, l2: l2, partitions: RowPartitions(rows: data.rows, workers: 1))
        let theta = [fit.intercept] + fit.coefficients
        return objective.valueAndGradient(z: objective.linearPredictor(theta), theta: theta).gradient
    }

    @Test(arguments: [0.0, 1.0, 50.0])
    func theConstrainedFitMeetsTheOptimalityConditions(l2: Double) throws {
        var estimator = LogisticRegression(l2: l2)
        estimator.signs = signs
        let fit = try estimator.fit(data)
        #expect(zip(signs, fit.coefficients).allSatisfy { $0.allows($1) }, "\(fit.coefficients)")
        // The constraints bind where the data disagree: the first two weights sit at zero, the third does not.
        #expect(fit.coefficients[0] == 0 && fit.coefficients[1] == 0 && fit.coefficients[3] == 0)
        #expect(fit.coefficients[2] > 0.3)
        // Karush-Kuhn-Tucker: zero gradient on free weights (and the intercept); on a weight held at zero, a
        // gradient that points out of its allowed side (descent would leave it).
        let g = gradient(fit, l2: l2).map { $0 / Double(data.rows) }
        #expect(abs(g[0]) < 1e-8 && abs(g[3]) < 1e-8, "\(g)")
        #expect(g[1] < -1e-4, "a weight held at or below zero that the data want positive: \(g[1])")
        #expect(g[2] > 1e-4, "a weight held at or above zero that the data want negative: \(g[2])")
    }

    @Test func constraintsTheFreeFitAlreadyMeetsChangeNothing() throws {
        let free = try LogisticRegression(l2: 1).fit(data)
        var estimator = LogisticRegression(l2: 1)
        estimator.signs = [.nonNegative, .nonPositive, .nonNegative, .free]
        let constrained = try estimator.fit(data)
        for (a, b) in zip(free.coefficients, constrained.coefficients) { #expect(abs(a - b) < 1e-7) }
        #expect(abs(free.intercept - constrained.intercept) < 1e-7)
    }

    @Test func contrastsCarryTheDeltaMethodStandardError() throws {
        let contrasts = [Contrast(terms: [(0, 1)]), Contrast(terms: [(0, 1), (1, 1)])]
        let (fit, estimates) = try LogisticRegression(l2: 0).fit(data, contrasts: contrasts)
        let se = try #require(fit.standardErrors)
        // Without a penalty a single weight's contrast is that weight with its own standard error.
        #expect(abs(estimates[0].estimate - fit.coefficients[0]) < 1e-15)
        #expect(abs(try #require(estimates[0].standardError) - se[0]) < 1e-12)
        // A sum's variance is the sum of both variances plus twice the covariance: between the extremes of
        // perfect negative and positive correlation.
        let sum = try #require(estimates[1].standardError)
        #expect(abs(estimates[1].estimate - fit.coefficients[0] - fit.coefficients[1]) < 1e-15)
        #expect(sum >= abs(se[0] - se[1]) - 1e-12 && sum <= se[0] + se[1] + 1e-12)
        #expect(estimates[0].isClear && estimates[1].isClear)  // +1 is clear; +1 - 0.8 = +0.2 with 3,000 rows too
        // With a penalty the variance is the penalised estimate's (the sandwich H^-1 X'WX H^-1), below the plain
        // inverse Hessian's, and more so the heavier the penalty.
        let light = try LogisticRegression(l2: 1).fit(data, contrasts: contrasts)
        let heavy = try LogisticRegression(l2: 1000).fit(data, contrasts: contrasts)
        let lightSE = try #require(light.contrasts[0].standardError), heavySE = try #require(heavy.contrasts[0].standardError)
        let lightPlain = try #require(light.fit.standardErrors)[0], heavyPlain = try #require(heavy.fit.standardErrors)[0]
        #expect(lightSE < lightPlain)
        #expect(heavySE / heavyPlain < lightSE / lightPlain)
    }

    @Test func disagreeingConstraintsLeaveOnlyZero() {
        #expect(WeightSign.nonNegative.and(.nonPositive) == .zero)
        #expect(WeightSign.free.and(.nonPositive) == .nonPositive)
        #expect(WeightSign.nonNegative.and(.nonNegative) == .nonNegative)
        #expect(WeightSign.zero.and(.free) == .zero)
    }
}
