import Foundation

/// One axis of a chart: its label, the range it shows, where its ticks go and how they read.
public struct ChartAxis: Sendable, Equatable {
    /// How tick values are written.
    public enum TickFormat: Sendable, Equatable {
        /// 0.2 as `20%`, for shares and rates, which is how a marketer says them.
        case percent
        /// 0.2 as `0.2`.
        case number
    }

    public var label: String
    /// Data outside it is clipped at the plot area's edge.
    public var range: ClosedRange<Double>
    /// Tick positions in data units; ticks outside `range` are skipped.
    public var ticks: [Double]
    public var format: TickFormat

    /// `ticks` defaults to about five evenly spaced round values across `range` (0, 0.2, ... 1 on the unit range).
    public init(label: String, range: ClosedRange<Double> = 0...1, ticks: [Double]? = nil, format: TickFormat = .percent) {
        self.label = label
        self.range = range
        self.ticks = ticks ?? ChartAxis.niceTicks(range)
        self.format = format
    }

    /// Round tick values 1, 2, 2.5 or 5 times a power of ten apart, about five intervals across `range`.
    public static func niceTicks(_ range: ClosedRange<Double>) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / 5
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = ([1, 2, 2.5, 5, 10].first { $0 * magnitude >= raw * (1 - 1e-9) } ?? 10) * magnitude
        let first = (range.lowerBound / step).rounded(.up)
        let last = (range.upperBound / step).rounded(.down)
        guard last >= first else { return [] }
        // Multiply, not accumulate, so that 0.6 is not 0.6000000000000001.
        return stride(from: first, through: last, by: 1).map { ($0 * step * 1e9).rounded() / 1e9 }
    }

    /// The tick labels, all with the fewest decimals that write every tick exactly (`0%, 20%`; `0.0%, 2.5%`).
    public func tickLabels() -> [String] {
        let scale = format == .percent ? 100.0 : 1.0
        let scaled = ticks.map { $0 * scale }
        let digits = (0...3).first { d in
            let unit = pow(10, Double(d))
            return scaled.allSatisfy { abs(($0 * unit).rounded() - $0 * unit) < 1e-6 }
        } ?? 3
        return scaled.map { NumberFormat.fixed($0, digits) + (format == .percent ? "%" : "") }
    }
}
