/// A named line in a chart: its points in drawing order and how it looks.
public struct ChartSeries: Sendable, Equatable {
    /// How the line is stroked.
    public enum LineStyle: Sendable, Equatable { case solid, dashed }

    /// The legend text; it may come from a user's file and is escaped when written.
    public var name: String
    /// Joined in this order; points with a non-finite coordinate break the line.
    public var points: [ChartPoint]
    public var line: LineStyle
    /// Draw a marker at every point; a series with a single point always gets one, or it would be invisible.
    public var markers: Bool
    /// `nil` takes the next colour of `ChartColor.palette` by the series' position in the chart.
    public var color: ChartColor?

    public init(name: String, points: [ChartPoint], line: LineStyle = .solid, markers: Bool = false, color: ChartColor? = nil) {
        self.name = name
        self.points = points
        self.line = line
        self.markers = markers
        self.color = color
    }
}
