import Foundation

/// One axis of a chart: its label, the range it shows, how values map onto it, where its ticks go and how they read.
public struct ChartAxis: Sendable, Equatable {
    /// How tick values are written.
    public enum TickFormat: Sendable, Equatable {
        /// 0.2 as `20%`, for shares and rates, which is how a marketer says them.
        case percent
        /// 0.2 as `0.2`.
        case number
    }

    /// How values map onto the axis.
    public enum Scale: Sendable, Equatable {
        /// Equal differences take equal lengths.
        case linear
        /// Equal ratios take equal lengths (1% to 10% as long as 10% to 100%), for values that span several powers
        /// of ten, such as probabilities when most leads are unlikely to convert. The range must be positive; zero
        /// and negative values have no place on it, and a chart leaves them out or draws them at the edge.
        case log
    }

    public var label: String
    /// Data outside it is clipped at the plot area's edge.
    public var range: ClosedRange<Double>
    /// Tick positions in data units; ticks outside `range` are skipped.
    public var ticks: [Double]
    public var format: TickFormat
    public var scale: Scale

    /// `ticks` defaults to about five evenly spaced round values across `range` (0, 0.2, ... 1 on the unit range), or
    /// on a log scale to `logTicks(range)`.
    public init(label: String, range: ClosedRange<Double> = 0...1, ticks: [Double]? = nil, format: TickFormat = .percent,
                scale: Scale = .linear) {
        self.label = label
        self.range = range
        self.scale = scale
        self.ticks = ticks ?? (scale == .log ? ChartAxis.logTicks(range) : ChartAxis.niceTicks(range))
        self.format = format
    }

    /// Where `value` falls along the axis, as a fraction: 0 at the range's lower bound, 1 at its upper bound, outside
    /// 0...1 beyond them; not finite for a value a log scale cannot show (zero, negative, NaN).
    public func fraction(_ value: Double) -> Double {
        switch scale {
        case .linear:
            let span = range.upperBound - range.lowerBound
            return (value - range.lowerBound) / (span > 0 && span.isFinite ? span : 1)
        case .log:
            guard value > 0, range.lowerBound > 0 else { return .nan }
            let span = log10(range.upperBound) - log10(range.lowerBound)
            return (log10(value) - log10(range.lowerBound)) / (span > 0 && span.isFinite ? span : 1)
        }
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

    /// Ticks for a log scale over a positive `range`: 1, 2 and 5 times each power of ten when the range spans at most
    /// three powers of ten, 1 and 3 times up to four, powers of ten alone beyond; so that neighbouring labels never
    /// crowd each other.
    public static func logTicks(_ range: ClosedRange<Double>) -> [Double] {
        guard range.lowerBound > 0, range.upperBound.isFinite, range.upperBound > range.lowerBound else { return [] }
        let decades = log10(range.upperBound) - log10(range.lowerBound)
        let mantissas: [Double] = decades <= 3 + 1e-9 ? [1, 2, 5] : decades <= 4 + 1e-9 ? [1, 3] : [1]
        var ticks: [Double] = []
        for exponent in Int(log10(range.lowerBound).rounded(.down))...Int(log10(range.upperBound).rounded(.up)) {
            for m in mantissas {
                let tick = roundedToPowerOfTen(m, exponent)
                if tick >= range.lowerBound * (1 - 1e-9) && tick <= range.upperBound * (1 + 1e-9) { ticks.append(tick) }
            }
        }
        return ticks
    }

    /// `mantissa` times 10 to the `exponent`, without the last-bit noise of `pow` (0.1 * 3 is 0.30000000000000004).
    static func roundedToPowerOfTen(_ mantissa: Double, _ exponent: Int) -> Double {
        exponent >= 0 ? mantissa * pow(10, Double(exponent)) : mantissa / pow(10, Double(-exponent))
    }

    /// The smallest of 1, 2 and 5 times a power of ten that is at least `value` (`value` > 0): 0.38 gives 0.5.
    public static func oneTwoFiveAbove(_ value: Double) -> Double {
        let exponent = Int(log10(value).rounded(.down))
        for e in [exponent, exponent + 1] {
            for m in [1.0, 2, 5] where roundedToPowerOfTen(m, e) >= value * (1 - 1e-12) { return roundedToPowerOfTen(m, e) }
        }
        return roundedToPowerOfTen(1, exponent + 2)
    }

    /// The largest of 1, 2 and 5 times a power of ten that is at most `value` (`value` > 0): 0.0013 gives 0.001.
    public static func oneTwoFiveBelow(_ value: Double) -> Double {
        let exponent = Int(log10(value).rounded(.down))
        for e in [exponent, exponent - 1] {
            for m in [5.0, 2, 1] where roundedToPowerOfTen(m, e) <= value * (1 + 1e-12) { return roundedToPowerOfTen(m, e) }
        }
        return roundedToPowerOfTen(1, exponent - 2)
    }

    /// The tick labels. On a linear scale all with the fewest decimals that write every tick exactly (`0%, 20%`;
    /// `0.0%, 2.5%`); on a log scale each with its own (`0.1%, 1%, 10%`), since its ticks span powers of ten.
    public func tickLabels() -> [String] {
        let scale = format == .percent ? 100.0 : 1.0
        let scaled = ticks.map { $0 * scale }
        func digits(_ values: [Double], most: Int) -> Int {
            (0...most).first { d in
                let unit = pow(10, Double(d))
                return values.allSatisfy { abs(($0 * unit).rounded() - $0 * unit) < 1e-6 }
            } ?? most
        }
        let shared = digits(scaled, most: 3)
        return scaled.map { value in
            NumberFormat.fixed(value, self.scale == .log ? digits([value], most: 4) : shared) + (format == .percent ? "%" : "")
        }
    }
}
