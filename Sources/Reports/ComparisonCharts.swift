/// The three charts of `leadscore compare --report`, model against rules, built from plain arrays so that they do not
/// depend on how the metrics are computed: ROC curves, cumulative gains and calibration.
public enum ComparisonCharts {
    /// Series with at most this many points get a marker at each, which shows the few thresholds of a rules score
    /// without smothering a model's curve of thousands of points.
    static let markerLimit = 25

    /// ROC curves (false positive rate on x, true positive rate on y, both 0...1) with the chance diagonal; the
    /// legend shows each AUC, as in "model (AUC 0.884)", and sits bottom right, which the curves leave empty.
    public static func roc(series: [(name: String, points: [(x: Double, y: Double)], auc: Double?)]) -> LineChart {
        LineChart(
            title: "ROC curve: model and rules",
            subtitle: "How well each score puts converters above the rest: the higher the curve, the better.",
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
    public static func gains(series: [(name: String, points: [(x: Double, y: Double)])], baseRate: Double? = nil) -> LineChart {
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
            xAxis: ChartAxis(label: "Leads called, highest score first"),
            yAxis: ChartAxis(label: "Conversions captured"),
            series: all,
            referenceLines: [.diagonal(name: "calling at random")],
            legendPosition: .bottomRight
        )
    }

    /// A reliability plot: per bin, the mean predicted probability (x) against the observed conversion rate (y), with
    /// marker areas proportional to the leads in the bin and the diagonal of perfect calibration. Both axes run to
    /// `maxAxis`, or when it is `nil` to the smallest of 10%, 20%, 50% and 100% that holds every point, so that a
    /// base rate of 6% does not leave the points huddled in a corner.
    public static func calibration(series: [(name: String, points: [(x: Double, y: Double, count: Int)])], maxAxis: Double? = nil) -> LineChart {
        let top = maxAxis.flatMap { $0 > 0 && $0.isFinite ? $0 : nil } ?? axisMaximum(series.flatMap { $0.points.flatMap { [$0.x, $0.y] } })
        let range = 0...top
        return LineChart(
            title: "Calibration: predicted against observed conversion",
            subtitle: "Points on the diagonal mean the probabilities can be taken at face value.",
            xAxis: ChartAxis(label: "Predicted conversion probability (bin average)", range: range),
            yAxis: ChartAxis(label: "Observed conversion rate", range: range),
            series: series.map { s in
                ChartSeries(name: s.name, points: s.points.map { p in
                    ChartPoint(x: p.x, y: p.y, weight: Double(p.count),
                               label: "predicted \(NumberFormat.fixed(100 * p.x, 1))%, observed \(NumberFormat.fixed(100 * p.y, 1))%, \(NumberFormat.count(p.count)) leads")
                }, markers: true)
            },
            referenceLines: [.diagonal(range, name: "perfect calibration")],
            legendPosition: .topLeft,
            note: "Marker area is proportional to the number of leads in the bin."
        )
    }

    /// The smallest of 0.1, 0.2, 0.5 and 1 that is at least every finite value.
    static func axisMaximum(_ values: [Double]) -> Double {
        let largest = values.filter(\.isFinite).max() ?? 0
        return [0.1, 0.2, 0.5].first { largest <= $0 } ?? 1
    }
}
