import Foundation
package import LeadData

/// Chooses the L2 penalty by seeded, stratified k-fold cross-validation of the log loss (`--l2 auto`).
///
/// The grid is relative to the (weighted) number of rows, `lambda = n * 10^k` for `k` from -7 to -1 in half steps,
/// because the penalty competes with a sum of `n` losses. Each fold is fitted from the largest penalty down, warm
/// started from the previous one. The pooled held-out log loss (every row held out once) picks the penalty.
/// Standardisation is learned on all rows before the folds are drawn: a negligible leak, and the usual simplification.
package struct RegularizationSearch: Sendable {
    package var folds: Int
    package var seed: UInt64
    /// Penalties to try; `nil` means the default grid for the data.
    package var grid: [Double]?
    /// Told after each fit, for a progress line.
    package var progress: ProgressReport?

    package init(folds: Int = 5, seed: UInt64 = 1, grid: [Double]? = nil) {
        self.folds = folds
        self.seed = seed
        self.grid = grid
    }

    /// The default grid for `weightSum` units of sample weight, largest penalty first.
    package static func defaultGrid(weightSum: Double) -> [Double] {
        stride(from: -1.0, through: -7.0, by: -0.5).map { weightSum * pow(10, $0) }
    }

    /// How far the default grid may be widened, in powers of ten per unit of weight.
    static let widestExponents = -10.0...1.0

    /// The fewest rows of each class per fold: with two, every fold's held-out part holds both classes and its training
    /// part at least one of each even after stratification rounds unevenly, so every held-out log loss is defined.
    package static let minimumPerFold = 2

    /// Why `labels` (0 and 1, both present) are too few for the search, if they are: fewer than ``minimumPerFold`` of a
    /// class per fold.
    package func shortfall(_ labels: [Double]) -> TrainingError? {
        let positives = labels.filter { $0 == 1 }.count, negatives = labels.count - positives
        let needed = Self.minimumPerFold * folds
        guard min(positives, negatives) < needed, positives > 0, negatives > 0 else { return nil }
        return positives < negatives
            ? .tooFewForFolds(label: 1, count: positives, rows: labels.count, folds: folds, perFold: Self.minimumPerFold)
            : .tooFewForFolds(label: 0, count: negatives, rows: labels.count, folds: folds, perFold: Self.minimumPerFold)
    }

    /// Fits every penalty on every fold and returns the curve with the chosen penalty.
    package func run(_ data: TrainingData, estimator: LogisticRegression) throws(TrainingError) -> RegularizationPath {
        guard folds >= 2 else { throw .invalidOption("cross-validation needs at least 2 folds, not \(folds)") }
        let positives = data.labels.filter { $0 == 1 }.count
        if positives == 0 || positives == data.rows { throw .singleClass(label: positives == 0 ? 0 : 1, rows: data.rows) }
        if let shortfall = shortfall(data.labels) { throw shortfall }
        let weightSum = data.weights?.reduce(0, +) ?? Double(data.rows)
        let assignment = stratifiedFolds(data.labels)
        // Row numbers only: a fold's rows are copied out when it is fitted, so that one fold's copy lives at a time.
        let parts = (0..<folds).map { fold in
            (train: assignment.indices.filter { assignment[$0] != fold }, test: assignment.indices.filter { assignment[$0] == fold })
        }
        var points: [RegularizationPath.Point] = []
        var firstFailure: TrainingError? = nil
        // Each fold's fit at the smallest penalty so far, to warm-start smaller ones.
        var warm = [[Double]?](repeating: nil, count: folds)
        var widened: String? = nil
        if let grid {
            points = evaluate(grid.sorted(by: >), data: data, parts: parts, estimator: estimator, warm: &warm, firstFailure: &firstFailure)
        } else {
            // The default grid, widened by two half-decades at a time while the best penalty sits at one of its edges
            // (data that want a very light or a very heavy penalty), within ``widestExponents``.
            points = evaluate(Self.defaultGrid(weightSum: weightSum), data: data, parts: parts, estimator: estimator, warm: &warm, firstFailure: &firstFailure)
            while let best = Self.best(points), let largest = points.first?.l2, let smallest = points.last?.l2 {
                let exponent = log10(best.l2 / weightSum)
                let more: [Double]
                if best.l2 == smallest, exponent > Self.widestExponents.lowerBound + 0.1 {
                    more = [exponent - 0.5, exponent - 1].filter(Self.widestExponents.contains)
                    points += evaluate(more.map { weightSum * pow(10, $0) }, data: data, parts: parts, estimator: estimator, warm: &warm, firstFailure: &firstFailure)
                } else if best.l2 == largest, exponent < Self.widestExponents.upperBound - 0.1 {
                    // Heavier penalties than any fitted: no fit to warm-start from.
                    var cold = [[Double]?](repeating: nil, count: folds)
                    more = [exponent + 1, exponent + 0.5].filter(Self.widestExponents.contains)
                    points = evaluate(more.map { weightSum * pow(10, $0) }, data: data, parts: parts, estimator: estimator, warm: &cold, firstFailure: &firstFailure) + points
                } else {
                    break
                }
                widened = "the best penalty was at an edge of the grid, so the grid was widened to \(Self.decimal(points.last!.l2)) to \(Self.decimal(points.first!.l2))"
            }
        }
        guard let best = Self.best(points) else {
            throw .invalidOption("no penalty on the grid could be fitted on every fold (first failure: \(firstFailure.map { "\($0)" } ?? "unknown"))")
        }
        var path = RegularizationPath(folds: folds, seed: seed, points: points, chosen: best.l2)
        path.widened = widened
        return path
    }

    /// The point with the lowest held-out log loss, among those fitted on every fold.
    private static func best(_ points: [RegularizationPath.Point]) -> RegularizationPath.Point? {
        points.filter { $0.logLoss != nil }.min { $0.logLoss! < $1.logLoss! }
    }

    private static func decimal(_ x: Double) -> String { DecimalText.readable(x) }

    /// Fits `penalties` (largest first) on every fold, warm-started from `warm` and leaving there each fold's last fit,
    /// and measures each penalty's pooled held-out log loss.
    private func evaluate(_ penalties: [Double], data: TrainingData, parts: [(train: [Int], test: [Int])], estimator: LogisticRegression,
                          warm: inout [[Double]?], firstFailure: inout TrainingError?) -> [RegularizationPath.Point] {
        var lossSum = [[Double]](repeating: [Double](repeating: 0, count: folds), count: penalties.count)
        var weightPerFold = [Double](repeating: 0, count: folds)
        var failed = Set<Int>()
        for (fold, rows) in parts.enumerated() {
            let train = data.selectingRows(rows.train), test = data.selectingRows(rows.test)
            weightPerFold[fold] = test.weights?.reduce(0, +) ?? Double(test.rows)
            for (k, l2) in penalties.enumerated() {
                var estimator = estimator
                estimator.l2 = l2
                progress?(StepProgress(step: "choosing the penalty (\(folds)-fold cross-validation)", done: Int64(fold * penalties.count + k),
                                       total: Int64(folds * penalties.count), unit: .fits))
                do {
                    let fit = try estimator.fit(train, warmStart: warm[fold])
                    warm[fold] = [fit.intercept] + fit.coefficients
                    lossSum[k][fold] = logLoss(fit, on: test)
                } catch {
                    failed.insert(k)
                    if firstFailure == nil { firstFailure = error }
                }
            }
        }
        return penalties.enumerated().map { k, l2 -> RegularizationPath.Point in
            guard !failed.contains(k) else { return .init(l2: l2, logLoss: nil, standardError: nil) }
            let pooled = lossSum[k].reduce(0, +) / weightPerFold.reduce(0, +)
            let perFold = zip(lossSum[k], weightPerFold).map { $0 / $1 }
            let mean = perFold.reduce(0, +) / Double(folds)
            let variance = perFold.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(folds - 1)
            return .init(l2: l2, logLoss: pooled, standardError: (variance / Double(folds)).squareRoot())
        }
    }

    /// Fold numbers with wins and losses spread evenly: each class shuffled with the seed, then dealt round-robin.
    func stratifiedFolds(_ labels: [Double]) -> [Int] {
        var generator = SeededGenerator(seed: seed)
        var assignment = [Int](repeating: 0, count: labels.count)
        for cls in [1.0, 0.0] {
            var rows = labels.indices.filter { labels[$0] == cls }
            generator.shuffle(&rows)
            for (position, row) in rows.enumerated() { assignment[row] = position % folds }
        }
        return assignment
    }

    /// The weighted sum of log losses of `fit` on `data`.
    private func logLoss(_ fit: LogisticFit, on data: TrainingData) -> Double {
        let p = fit.probabilities(for: data.features)
        var sum = 0.0
        for i in 0..<data.rows {
            let pi = min(max(p[i], 1e-15), 1 - 1e-15)
            let loss = data.labels[i] == 1 ? -log(pi) : -log(1 - pi)
            sum += (data.weights?[i] ?? 1) * loss
        }
        return sum
    }
}
