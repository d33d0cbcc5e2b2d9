import Foundation
import LinearAlgebra
import Testing
@testable import Training

@Suite struct LogisticRegressionTests {
    let data = SyntheticData.logistic(rows: 3000, weights: [1.0, -0.5, 0.25, 0, 2], intercept: -2)

    @Test func meanPredictedProbabilityEqualsObservedRateAtTheOptimum() throws {
        for l2 in [0.0, 1.0, 50.0] {
            let fit = try LogisticRegression(l2: l2).fit(data)
            let p = fit.probabilities(for: data.features)
            let meanP = p.reduce(0, +) / Double(p.count)
            let rate = data.labels.reduce(0, +) / Double(data.labels.count)
            // The intercept's gradient per row is exactly mean(p) - rate, and convergence bounds it by the tolerance.
            #expect(abs(meanP - rate) <= 1e-10, "l2 \(l2): mean p \(meanP) vs rate \(rate)")
        }
    }

    @Test func weightedMeanPredictedProbabilityEqualsWeightedRate() throws {
        var weighted = data
        weighted.weights = (0..<data.rows).map { 0.5 + Double($0 % 7) / 3 }
        let fit = try LogisticRegression(l2: 2).fit(weighted)
        let p = fit.probabilities(for: data.features)
        let w = weighted.weights!
        let meanP = zip(p, w).map(*).reduce(0, +) / w.reduce(0, +)
        let rate = zip(data.labels, w).map(*).reduce(0, +) / w.reduce(0, +)
        #expect(abs(meanP - rate) <= 1e-10)
    }

    @Test func gradientIsZeroAtTheReportedOptimum() throws {
        let fit = try LogisticRegression(l2: 1).fit(data)
        // Recomputed here, independently of the solver: X^T (p - y) + lambda w, and sum (p - y) for the intercept.
        let p = fit.probabilities(for: data.features)
        var gradient = [Double](repeating: 0, count: data.columns + 1)
        for i in 0..<data.rows {
            let r = p[i] - data.labels[i]
            gradient[0] += r
            for j in 0..<data.columns { gradient[j + 1] += r * data.features[i, j] }
        }
        for j in 0..<data.columns { gradient[j + 1] += 1 * fit.coefficients[j] }
        #expect(gradient.allSatisfy { abs($0) / Double(data.rows) <= 1e-10 }, "\(gradient)")
        #expect(fit.iterations >= 3 && fit.iterations <= 15)
        // The objective never increases along the way (beyond rounding at the optimum).
        for (a, b) in zip(fit.objectiveTrace, fit.objectiveTrace.dropFirst()) { #expect(b <= a + 1e-12 * abs(a)) }
    }

    @Test func recoversTheGeneratingWeightsWithinTheirIntervals() throws {
        let big = SyntheticData.logistic(rows: 20000, weights: [1.0, -0.5, 0.25, 0, 2], intercept: -2, seed: 7)
        let fit = try LogisticRegression(l2: 0).fit(big)
        let truth = [1.0, -0.5, 0.25, 0, 2]
        let intervals = try #require(fit.confidenceIntervals)
        let covered = zip(truth, intervals).filter { $1.contains($0) }.count
        #expect(covered >= 4)  // 95% intervals: missing more than one of five is very unlikely
        #expect(fit.standardErrorsArePenalised == false)
    }

    @Test func newtonAndLBFGSAgree() throws {
        let newton = try LogisticRegression(l2: 1, solver: .newtonCholesky).fit(data)
        let lbfgs = try LogisticRegression(l2: 1, solver: .lbfgs).fit(data)
        #expect(newton.solver == .newtonCholesky && lbfgs.solver == .lbfgs)
        for (a, b) in zip(newton.coefficients, lbfgs.coefficients) { #expect(abs(a - b) <= 1e-7 * max(abs(a), 1e-3)) }
        #expect(abs(newton.intercept - lbfgs.intercept) < 1e-7)
        let se1 = try #require(newton.standardErrors), se2 = try #require(lbfgs.standardErrors)
        for (a, b) in zip(se1, se2) { #expect(abs(a - b) <= 1e-6 * a) }
    }

    @Test func sameInputGivesBitIdenticalFits() throws {
        let a = try LogisticRegression(l2: 0.3).fit(data)
        let b = try LogisticRegression(l2: 0.3).fit(data)
        #expect(a == b)
    }

    @Test func autoPicksNewtonUpToTheDocumentedWidth() {
        #expect(Solver.auto.resolved(features: Solver.newtonMaxFeatures) == .newtonCholesky)
        #expect(Solver.auto.resolved(features: Solver.newtonMaxFeatures + 1) == .lbfgs)
    }

    @Test func warmStartReachesTheSameOptimum() throws {
        let cold = try LogisticRegression(l2: 5).fit(data)
        let warm = try LogisticRegression(l2: 5).fit(data, warmStart: [cold.intercept] + cold.coefficients.map { $0 * 1.1 })
        for (a, b) in zip(cold.coefficients, warm.coefficients) { #expect(abs(a - b) < 1e-9) }
    }

    @Test func resultDoesNotDependOnTheNumberOfThreads() throws {
        // More rows than one partition, so the work really is split.
        let big = SyntheticData.logistic(rows: 100_000, weights: [0.8, -0.3, 0.1], intercept: -1.5, seed: 3)
        let one = try LogisticRegression(l2: 1, threads: 1).fit(big)
        for threads in [2, 3, 8] {
            #expect(try LogisticRegression(l2: 1, threads: threads).fit(big) == one, "\(threads) threads")
        }
        let lbfgs = try LogisticRegression(l2: 1, solver: .lbfgs, threads: 1).fit(big)
        #expect(try LogisticRegression(l2: 1, solver: .lbfgs, threads: 2).fit(big) == lbfgs)
    }
}
