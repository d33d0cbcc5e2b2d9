/// One point of a chart series, in data units; `weight` scales the marker's area (for example the number of leads in a
/// calibration bin) and `label` becomes the marker's tooltip.
public struct ChartPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    /// When set, marker areas in the chart are proportional to it, so a bin of 2,000 leads looks heavier than one of 20.
    public var weight: Double?
    /// Shown when the pointer rests on the marker (an SVG `<title>`); not drawn.
    public var label: String?

    public init(x: Double, y: Double, weight: Double? = nil, label: String? = nil) {
        self.x = x
        self.y = y
        self.weight = weight
        self.label = label
    }
}
