import Foundation

/// Numbers as scores and reasons print them: rounded to a number of significant digits and written in the shortest
/// form that reads back as the rounded value, without `String(format:)` (slow, and locale-dependent elsewhere).
package enum DecimalText {
    /// The Double nearest to `x` rounded to `digits` significant digits (1...15).
    package static func rounded(_ x: Double, significantDigits digits: Int) -> Double {
        // Below 1e-290 the scaling would overflow; such numbers (probabilities that underflowed) stay as they are.
        guard x.isFinite, abs(x) >= 1e-290 else { return x }
        let magnitude = abs(x)
        var shift = digits - 1 - Int(floor(log10(magnitude)))
        var m = (magnitude * power(shift)).rounded()
        if m < power(digits - 1) {  // log10 came out a hair high
            shift += 1
            m = (magnitude * power(shift)).rounded()
        }
        let rounded = shift >= 0 ? m / power(shift) : m * power(-shift)
        return x < 0 ? -rounded : rounded
    }

    /// `x` to `digits` significant digits in its shortest form: `0.0771235`, `1e-05`, `1.0`.
    package static func shortest(_ x: Double, significantDigits digits: Int) -> String {
        rounded(x, significantDigits: digits).description
    }

    /// A number as a person reads it: whole numbers (and anything from 1000 up) without decimals, others to three
    /// significant digits: `3`, `1426`, `0.27`, `68.2`, `0.000457`; from 1e15 up, three significant digits with an
    /// exponent (`1e+308`).
    package static func readable(_ x: Double) -> String {
        guard x.isFinite else { return x.description }
        guard abs(x) < 1e15 else { return rounded(x, significantDigits: 3).description }
        if abs(x) >= 1000 { return String(Int64(x.rounded())) }
        let r = rounded(x, significantDigits: 3)
        if r == r.rounded() { return String(Int64(r)) }
        return r.description
    }

    /// `x` with a sign and two decimals, as `%+.2f` gives it: `+0.82`, `-0.12`, `-0.00`.
    package static func signedTwoDecimals(_ x: Double) -> String {
        guard x.isFinite, abs(x) < 1e15 else { return String(format: "%+.2f", x) }
        let hundredths = Int64((abs(x) * 100).rounded())
        let cents = hundredths % 100
        return "\(x < 0 ? "-" : "+")\(hundredths / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// ``signedTwoDecimals(_:)`` written straight into `bytes`.
    package static func appendSignedTwoDecimals(_ x: Double, to bytes: inout [UInt8]) {
        guard x.isFinite, abs(x) < 1e15 else {
            bytes.append(contentsOf: Array(signedTwoDecimals(x).utf8))
            return
        }
        let hundredths = Int64((abs(x) * 100).rounded())
        bytes.append(x < 0 ? 0x2D : 0x2B)
        appendDigits(hundredths / 100, to: &bytes)
        bytes.append(0x2E)
        bytes.append(0x30 + UInt8(hundredths % 100 / 10))
        bytes.append(0x30 + UInt8(hundredths % 10))
    }

    /// The decimal digits of `n >= 0`.
    private static func appendDigits(_ n: Int64, to bytes: inout [UInt8]) {
        if n >= 10 { appendDigits(n / 10, to: &bytes) }
        bytes.append(0x30 + UInt8(n % 10))
    }

    /// 10^n, exact up to 10^22.
    private static func power(_ n: Int) -> Double {
        (0...22).contains(n) ? powersOfTen[n] : pow(10, Double(n))
    }

    private static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { a, _ in a * 10 } }
}
