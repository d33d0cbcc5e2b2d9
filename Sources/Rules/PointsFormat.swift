import Foundation

/// Points as marketers write them: whole numbers without a decimal point, others with up to two decimals.
package enum PointsFormat {
    package static func points(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// With a sign: `+25`, `-10`, `0`.
    package static func signed(_ value: Double) -> String {
        value > 0 ? "+" + points(value) : points(value == 0 ? 0 : value)
    }
}
