/// A straight dashed grey line for orientation, such as the chance diagonal of a ROC plot; drawn under the series.
public struct ChartReferenceLine: Sendable, Equatable {
    public var from: ChartPoint
    public var to: ChartPoint
    /// The legend text; `nil` leaves the line out of the legend.
    public var name: String?

    public init(from: ChartPoint, to: ChartPoint, name: String? = nil) {
        self.from = from
        self.to = to
        self.name = name
    }

    /// The line y = x across `range`: chance on a ROC plot, random calling on a gains chart, perfect calibration.
    public static func diagonal(_ range: ClosedRange<Double> = 0...1, name: String? = nil) -> ChartReferenceLine {
        ChartReferenceLine(from: ChartPoint(x: range.lowerBound, y: range.lowerBound),
                           to: ChartPoint(x: range.upperBound, y: range.upperBound), name: name)
    }
}
