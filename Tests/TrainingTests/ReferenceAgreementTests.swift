import Features
import Foundation
import LeadData
import LinearAlgebra
import Testing
@testable import Training

/// On committed fixtures, the table encoding reproduces the reference design matrix, and the trainer reproduces
/// scikit-learn's `newton-cholesky` (tol 1e-10) to 1e-6 relative and statsmodels' standard errors to 1e-5.
@Suite struct ReferenceAgreementTests {
    func encode(_ name: String) throws -> (FixtureReference, DesignMatrix) {
        let reference = try FixtureReference.load(name)
        let options = TableEncodingOptions(label: reference.label, positive: reference.positive, id: reference.id,
                                           weight: reference.weights_column, minLevelCount: reference.min_level_count)
        let table = try Table.read(path: FixtureReference.path(name, "table.csv"), options: TableEncoding.readOptions(for: options))
        let encoding = try TableEncoding.fit(table, options: options)
        return (reference, try encoding.design(for: table))
    }

    @Test(arguments: FixtureReference.names)
    func tableEncodingReproducesTheReferenceDesignMatrix(fixture: String) throws {
        let (reference, design) = try encode(fixture)
        #expect(design.featureNames == reference.features)
        let expected = try FixtureReference.expectedDesign(fixture)
        let offset = reference.weights_column == nil ? 1 : 2
        #expect(Array(expected.header.dropFirst(offset)) == design.featureNames)
        #expect(expected.rows.count == design.features.rows)
        var worst = 0.0
        for (i, row) in expected.rows.enumerated() {
            #expect(row[0] == design.labels[i])
            if let w = design.weights { #expect(row[1] == w[i]) }
            for j in 0..<design.features.columns {
                worst = max(worst, abs(row[j + offset] - design.features[i, j]))
            }
        }
        #expect(worst <= 1e-12, "largest difference from the reference design matrix: \(worst)")
    }

    @Test(arguments: FixtureReference.names, [Solver.newtonCholesky, .lbfgs])
    func coefficientsMatchScikitLearn(fixture: String, solver: Solver) throws {
        let (reference, design) = try encode(fixture)
        let data = TrainingData(features: design.features, labels: design.labels, weights: design.weights,
                                featureNames: design.featureNames)
        let fit = try LogisticRegression(l2: reference.l2, solver: solver).fit(data)
        let sk = reference.sklearn_newton_cholesky
        var worst = 0.0
        for (name, w) in zip(fit.featureNames, fit.coefficients) {
            worst = max(worst, relativeDifference(w, try #require(sk.coefficients[name])))
        }
        #expect(worst <= 1e-6, "\(fixture), \(solver): largest relative difference \(worst)")
        #expect(abs(fit.intercept - sk.intercept) <= 1e-6)
        // Same objective as scikit-learn's, to the digits the fixture's optimum is known to.
        #expect(abs(fit.objective - sk.objective) <= 1e-9 * abs(sk.objective))
        #expect(fit.objective <= sk.objective + 1e-9 * abs(sk.objective))
    }

    @Test func standardErrorsMatchStatsmodelsWithoutPenalty() throws {
        let (reference, design) = try encode("unpenalised")
        let sm = try #require(reference.statsmodels)
        let data = TrainingData(features: design.features, labels: design.labels, featureNames: design.featureNames)
        let fit = try LogisticRegression(l2: 0).fit(data)
        #expect(fit.standardErrorsArePenalised == false)
        let se = try #require(fit.standardErrors)
        for (name, s) in zip(fit.featureNames, se) {
            let expected = try #require(sm.standard_errors[name])
            #expect(abs(s - expected) <= 1e-5 * expected, "\(name): \(s) vs statsmodels \(expected)")
        }
        #expect(abs(try #require(fit.interceptStandardError) - sm.intercept_standard_error) <= 1e-5 * sm.intercept_standard_error)
        for (name, w) in zip(fit.featureNames, fit.coefficients) {
            #expect(relativeDifference(w, try #require(sm.coefficients[name])) <= 1e-6)
        }
    }
}
