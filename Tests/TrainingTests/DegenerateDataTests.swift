import LinearAlgebra
import Testing
@testable import Training

/// Data that cannot give a meaningful fit must produce a specific error, never a NaN weight.
@Suite struct DegenerateDataTests {
    func matrix(_ rows: [[Double]]) -> Matrix {
        Matrix(rows: rows.count, columns: rows.first?.count ?? 0, storage: rows.flatMap { $0 })
    }

    @Test func oneClassOnlyIsRejected() {
        let data = TrainingData(features: matrix([[1], [2], [3]]), labels: [0, 0, 0])
        #expect(throws: TrainingError.singleClass(label: 0, rows: 3)) { try LogisticRegression().fit(data) }
    }

    /// `--l2 auto` needs two of each class in every fold; fewer is an error that counts the rarer class and says why.
    @Test func tooFewOfAClassForTheFoldsIsCountedAndExplained() throws {
        // 9 wins, 31 losses: one win short of two in each of 5 folds.
        let labels = (0..<40).map { $0 < 9 ? 1.0 : 0.0 }
        let data = TrainingData(features: matrix((0..<40).map { [Double($0 % 7), Double($0 % 3)] }), labels: labels)
        let search = RegularizationSearch(folds: 5)
        let error = #expect(throws: TrainingError.tooFewForFolds(label: 1, count: 9, rows: 40, folds: 5, perFold: 2)) {
            try search.run(data, estimator: LogisticRegression())
        }
        #expect(error?.description == "only 9 of the 40 training rows are won (1); choosing the penalty by cross-validation needs at least 10 (2 in each of its 5 folds, so that every fold is fitted and measured on both classes): add data, use 4 folds, or fix the penalty instead of searching for it")
        #expect(error?.remedy == .moreDataFewerFoldsOrFixedPenalty(folds: 4))
        // Losses can be the rarer class too; with 4 folds the same data are enough.
        #expect(search.shortfall(labels.map { 1 - $0 }) == .tooFewForFolds(label: 0, count: 9, rows: 40, folds: 5, perFold: 2))
        #expect(RegularizationSearch(folds: 4).shortfall(labels) == nil)
        #expect(try RegularizationSearch(folds: 4).run(data, estimator: LogisticRegression()).chosen > 0)
        // One class is said as such, not as a failure in every fold.
        let oneClass = TrainingData(features: data.features, labels: [Double](repeating: 0, count: 40))
        #expect(throws: TrainingError.singleClass(label: 0, rows: 40)) { try search.run(oneClass, estimator: LogisticRegression()) }
    }

    @Test func nonFiniteValuesAreNamed() {
        let data = TrainingData(features: matrix([[1, 2], [2, .nan], [3, 1]]), labels: [0, 1, 1], featureNames: ["a", "b"])
        let error = #expect(throws: TrainingError.self) { try LogisticRegression().fit(data) }
        #expect(error?.description == "row 2, feature \"b\": nan is not a finite number")
        let inf = TrainingData(features: matrix([[1, 2], [2, .infinity], [3, 1]]), labels: [0, 1, 1], featureNames: ["a", "b"])
        #expect(throws: TrainingError.nonFinite(row: 1, feature: "b", value: .infinity)) { try LogisticRegression().fit(inf) }
    }

    @Test func constantColumnIsNamed() throws {
        let data = TrainingData(features: matrix([[1, 5], [2, 5], [3, 5], [4, 5]]), labels: [0, 1, 0, 1], featureNames: ["a", "flat"])
        #expect(throws: TrainingError.constantFeature("flat")) { try LogisticRegression(l2: 0).fit(data) }
        // With a penalty the fit is defined (the constant shares the intercept's role and is shrunk).
        #expect(try LogisticRegression(l2: 1).fit(data).coefficients.allSatisfy { $0.isFinite })
    }

    @Test func duplicateAndNegatedColumnsAreNamed() throws {
        let dup = TrainingData(features: matrix([[1, 1], [2, 2], [3, 3], [4, 4]]), labels: [0, 1, 0, 1], featureNames: ["a", "b"])
        #expect(throws: TrainingError.duplicateFeatures("a", "b")) { try LogisticRegression(l2: 0).fit(dup) }
        let neg = TrainingData(features: matrix([[1, 0, -1], [2, 1, -2], [3, 0, -3], [4, 1, -4]]), labels: [0, 1, 0, 1],
                               featureNames: ["a", "b", "c"])
        #expect(throws: TrainingError.duplicateFeatures("a", "c")) { try LogisticRegression(l2: 0).fit(neg) }
        let shared = try LogisticRegression(l2: 1).fit(dup)
        #expect(abs(shared.coefficients[0] - shared.coefficients[1]) < 1e-9)
    }

    @Test func moreFeaturesThanRowsNeedsAPenalty() throws {
        let data = TrainingData(features: matrix([[1, 0, 3], [0, 1, 1], [2, 2, 0]]), labels: [0, 1, 1])
        #expect(throws: TrainingError.moreFeaturesThanRows(features: 3, rows: 3)) { try LogisticRegression(l2: 0).fit(data) }
        let fit = try LogisticRegression(l2: 1).fit(data)
        #expect(fit.coefficients.allSatisfy { $0.isFinite })
    }

    @Test func separableDataWithoutPenaltyIsRejected() throws {
        let data = TrainingData(features: matrix([[-2], [-1], [-0.5], [0.5], [1], [2]]), labels: [0, 0, 0, 1, 1, 1])
        #expect(throws: TrainingError.separable) { try LogisticRegression(l2: 0).fit(data) }
        let fit = try LogisticRegression(l2: 1).fit(data)
        #expect(fit.coefficients.allSatisfy { $0.isFinite } && fit.coefficients[0] > 0)
    }

    @Test func quasiSeparableDataWithoutPenaltyGetsAMessageNotNaN() throws {
        // x2 = 1 only ever occurs with y = 1: its weight diverges while the rest stays finite.
        let data = TrainingData(features: matrix([[0.1, 0], [0.4, 0], [0.2, 0], [0.9, 0], [0.3, 1], [0.5, 0], [0.7, 1], [0.6, 0]]),
                                labels: [0, 1, 0, 1, 1, 0, 1, 1])
        #expect(throws: TrainingError.quasiSeparable(feature: "x2")) { try LogisticRegression(l2: 0).fit(data) }
        #expect(throws: TrainingError.quasiSeparable(feature: "x2")) { try LogisticRegression(l2: 0, solver: .lbfgs).fit(data) }
        let fit = try LogisticRegression(l2: 1).fit(data)
        #expect(fit.coefficients.allSatisfy { $0.isFinite })
    }

    @Test func collinearColumnsWithoutPenaltyAreRejected() {
        // c = a + b exactly: the unpenalised Hessian is singular.
        let rows = (0..<20).map { i -> [Double] in let a = Double(i % 5), b = Double((i * 7) % 3); return [a, b, a + b] }
        let data = TrainingData(features: matrix(rows), labels: (0..<20).map { Double(($0 * 3) % 2) })
        #expect(throws: TrainingError.singularHessian) { try LogisticRegression(l2: 0).fit(data) }
    }

    @Test func badLabelsAndWeightsAreNamed() {
        let bad = TrainingData(features: matrix([[1], [2], [3]]), labels: [0, 2, 1])
        #expect(throws: TrainingError.invalidLabel(row: 1, value: 2)) { try LogisticRegression().fit(bad) }
        let negative = TrainingData(features: matrix([[1], [2], [3]]), labels: [0, 1, 1], weights: [1, -1, 1])
        #expect(throws: TrainingError.invalidWeight(row: 1, value: -1)) { try LogisticRegression().fit(negative) }
        let zeroWins = TrainingData(features: matrix([[1], [2], [3]]), labels: [0, 1, 1], weights: [1, 0, 0])
        #expect(throws: TrainingError.singleWeightedClass(label: 1)) { try LogisticRegression().fit(zeroWins) }
    }

    @Test func looseToleranceDoesNotFakeQuasiSeparation() throws {
        // Well-posed data: an unpenalised fit with a loose tolerance must not be mistaken for a diverging one.
        let data = SyntheticData.logistic(rows: 2000, weights: [0.7, -0.4], intercept: -1, seed: 11)
        let fit = try LogisticRegression(l2: 0, tolerance: 1e-3).fit(data)
        #expect(fit.maxGradient <= LogisticRegression.unpenalisedTolerance)
    }
}
