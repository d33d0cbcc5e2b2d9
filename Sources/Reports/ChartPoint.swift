/// One point of a chart series, in data units; `weight` scales the marker's area, `yInterval` draws a vertical line
/// through the marker, `hollow` draws it as a ring, and `label` becomes the marker's tooltip.
public struct ChartPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    /// When set, marker areas in the chart are proportional to it, so a bin of 2,000 leads looks heavier than one of
    /// 20. A chart that sizes markers should say so in its note: a reader cannot guess what a size means.
    public var weight: Double?
    /// An interval around `y` (a 95% confidence interval, say), drawn as a thin vertical line through the marker.
    public var yInterval: ClosedRange<Double>?
    /// Draw the marker as a ring rather than a disc, and break the series' line there: for a point that is not where its
    /// value is, such as a rate of 0 drawn at the bottom edge of a log axis. A chart that draws rings should say what
    /// they mean in its note.
    public var hollow: Bool
    /// Shown when the pointer rests on the marker (an SVG `<title>`); not drawn.
    public var label: String?

    public init(x: Double, y: Double, weight: Double? = nil, yInterval: ClosedRange<Double>? = nil, hollow: Bool = false,
                label: String? = nil) {
        self.x = x
        self.y = y
        self.weight = weight
        self.yInterval = yInterval
        self.hollow = hollow
        self.label = label
    }
}
