import Foundation

/// Number formatting for reports: fixed, locale-independent, and the same on every machine.
public enum NumberFormat {
    /// `value` with `digits` decimals, `-0.00` shown as `0.00`.
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "inf" : "-inf") }
        let s = String(format: "%.\(digits)f", value)
        return s.hasPrefix("-") && s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) ? String(s.dropFirst()) : s
    }

    /// Fixed with a sign, for weights: `+0.42`, `-1.30`.
    public static func signed(_ value: Double, _ digits: Int) -> String {
        let s = fixed(value, digits)
        return s.hasPrefix("-") || s == fixed(0, digits) ? s : "+" + s
    }

    /// A p-value: `<1e-16` below double resolution, scientific below 0.001, else 3 decimals.
    public static func pValue(_ p: Double) -> String {
        if p < 1e-16 { return "<1e-16" }
        if p < 0.001 { return String(format: "%.1e", p) }
        return fixed(p, 3)
    }

    /// An odds ratio: 2 decimals in the usual range, scientific when huge or tiny (`3.1e+147`).
    public static func ratio(_ value: Double) -> String {
        value >= 1e4 || (value > 0 && value < 0.01) ? String(format: "%.1e", value) : fixed(value, 2)
    }

    /// Significant digits in `%g` style: `0.0123`, `1.5e+04`.
    public static func general(_ value: Double, _ digits: Int = 4) -> String {
        String(format: "%.\(digits)g", value)
    }

    /// An integer with thousands separators: `1,000,000`.
    public static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}
