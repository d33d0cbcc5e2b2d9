import Evaluation

/// The three charts of `leadscore compare --report`, model against rules, built from plain arrays so that they do not
/// depend on how the metrics are computed: ROC curves, cumulative gains and calibration. Each takes a `caveat`, a
/// line drawn under its subtitle that the reader cannot miss (a report on the training leads gives every chart one).
public enum ComparisonCharts {
    /// Series with at most this many points get a marker at each, which shows the few thresholds of a rules score
    /// without smothering a model's curve of thousands of points.
    static let markerLimit = 25

    /// ROC curves (false positive rate on x, true positive rate on y, both 0...1) with the chance diagonal; the
    /// legend shows each AUC, as in "model (AUC 0.884)", and sits bottom right, which the curves leave empty.
    public static func roc(series: [(name: String, points: [(x: Double, y: Double)], auc: Double?)], caveat: String? = nil) -> LineChart {
        LineChart(
            title: "ROC curve: model and rules",
            subtitle: "How well each score puts converters above the rest: the higher the curve, the better.",
            caveat: caveat,
            xAxis: ChartAxis(label: "Non-converters flagged (false positive rate)"),
            yAxis: ChartAxis(label: "Converters flagged (true positive rate)"),
            series: series.map { s in
                let name = s.auc.map { $0.isFinite ? "\(s.name) (AUC \(NumberFormat.fixed($0, 3)))" : s.name } ?? s.name
                return ChartSeries(name: name, points: s.points.map { ChartPoint(x: $0.x, y: $0.y) },
                                   markers: s.points.count <= markerLimit)
            },
            referenceLines: [.diagonal(name: "chance (AUC 0.500)")],
            legendPosition: .bottomRight
        )
    }

    /// Cumulative gains (share of leads called, best-scored first, on x; share of conversions captured on y) with the
    /// random-calling diagonal; with `baseRate` (the share of leads that convert) also the dashed grey curve of a
    /// perfect score, which captures every conversion after calling `baseRate` of the leads.
    public static func gains(series: [(name: String, points: [(x: Double, y: Double)])], baseRate: Double? = nil,
                             caveat: String? = nil) -> LineChart {
        var all = series.map { s in
            ChartSeries(name: s.name, points: s.points.map { ChartPoint(x: $0.x, y: $0.y) }, markers: s.points.count <= markerLimit)
        }
        if let baseRate, baseRate > 0, baseRate <= 1 {
            all.append(ChartSeries(name: "perfect score", points: [ChartPoint(x: 0, y: 0), ChartPoint(x: baseRate, y: 1), ChartPoint(x: 1, y: 1)],
                                   line: .dashed, color: .grey))
        }
        return LineChart(
            title: "Cumulative gains: calling the best-scored leads first",
            subtitle: "Read up from the share of leads called to the share of conversions they bring.",
            caveat: caveat,
            xAxis: ChartAxis(label: "Leads called, highest score first"),
            yAxis: ChartAxis(label: "Conversions captured"),
            series: all,
            referenceLines: [.diagonal(name: "calling at random")],
            legendPosition: .bottomRight
        )
    }

    /// A reliability plot: per bin, the mean predicted probability (x) against the observed conversion rate (y), with
    /// the 95% Wilson interval of that rate (cut at the plot's edges) and the diagonal of perfect calibration.
    ///
    /// Both axes are on a log scale over the same range, from the 1-2-5 step at or below the smallest rate shown to
    /// the one at or above the largest (at most 100%, and no lower than 0.01%): with a base rate of 6%, equal-count
    /// bins put most leads below 5%, and a linear axis would pile their points into one corner, whereas on a log
    /// scale each bin gets its own place and 1% against 2% reads as plainly as 20% against 40%. A bin with no
    /// conversions (or a value below the axis) has no place on a log scale: it is drawn as a ring at the axis' edge,
    /// with no line to it, and the note says so. Every marker has the same size, since with equal-count bins a size
    /// would say nothing; the tooltip gives each bin's leads and conversions.
    public static func calibration(series: [(name: String, bins: [(predicted: Double, leads: Int, conversions: Int)])],
                                   caveat: String? = nil) -> LineChart {
        let bins = series.flatMap(\.bins).filter { $0.leads > 0 }
        let range = logRange(bins.flatMap { [$0.predicted, Double($0.conversions) / Double($0.leads)] })
        var rings = false
        let chartSeries = series.map { s in
            ChartSeries(name: s.name, points: s.bins.filter { $0.leads > 0 }.map { bin in
                let observed = Double(bin.conversions) / Double(bin.leads)
                let outside = bin.predicted < range.lowerBound || observed < range.lowerBound
                rings = rings || outside
                return ChartPoint(x: max(bin.predicted, range.lowerBound), y: max(observed, range.lowerBound),
                                  yInterval: wilsonInterval(conversions: bin.conversions, leads: bin.leads), hollow: outside,
                                  label: "predicted \(percent(bin.predicted)), observed \(percent(observed)): \(NumberFormat.count(bin.conversions)) of \(NumberFormat.count(bin.leads)) leads")
            }, markers: true)
        }
        return LineChart(
            title: "Calibration: predicted against observed conversion",
            subtitle: "Points on the diagonal mean the probabilities can be taken at face value.",
            caveat: caveat,
            xAxis: ChartAxis(label: "Predicted conversion probability, bin average (log scale)", range: range, scale: .log),
            yAxis: ChartAxis(label: "Observed conversion rate (log scale)", range: range, scale: .log),
            series: chartSeries,
            referenceLines: [.diagonal(range, name: "perfect calibration")],
            legendPosition: .topLeft,
            note: rings ? "Equal-count bins; lines: 95% intervals; rings: 0% or off the scale, drawn at the edge."
                        : "Bins of about equal numbers of leads; vertical lines: 95% intervals of the observed rate."
        )
    }

    /// The log axis range for `values` (those above 0 count): from the 1-2-5 step at or below the smallest, but not
    /// below 0.01%, to the step at or above the largest, but not above 100%; 1% to 100% when there is nothing to show.
    /// Intervals do not widen it: an interval of a few leads can span most of 0...1, and is cut at the edge instead.
    static func logRange(_ values: [Double]) -> ClosedRange<Double> {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        guard let smallest = positive.min(), let largest = positive.max() else { return 0.01...1 }
        let low = max(ChartAxis.oneTwoFiveBelow(smallest), 0.0001)
        let high = min(ChartAxis.oneTwoFiveAbove(largest), 1)
        return low < high ? low...high : min(low, 0.5)...1
    }

    /// A probability as a percentage, with two decimals below 1% (`0.08%`) and one above (`12.5%`).
    static func percent(_ p: Double) -> String {
        NumberFormat.fixed(100 * p, p < 0.01 ? 2 : 1) + "%"
    }
}
