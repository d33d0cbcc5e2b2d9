#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Parsing one CSV field as a number, strictly.
///
/// The grammar is `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?` with optional surrounding
/// ASCII spaces: no hex, no thousands separators, no trailing junk, so "1,000" or "12abc" are never silently
/// read as something else. Results are correctly rounded (the same Double that `strtod` gives).
package enum NumericField: Sendable, Equatable {
    /// An empty field (zero bytes) or one with only spaces.
    case missing
    /// A finite number.
    case value(Double)
    /// Looks numeric but is NaN or an infinity (any case: `nan`, `NaN`, `inf`, `Infinity`, `-inf`), or a
    /// finite-looking literal that overflows a Double (e.g. `1e999`). The string is the field text without
    /// its surrounding spaces.
    case nonFinite(String)
    /// Anything else.
    case notNumeric

    /// Parses the raw bytes of one field; allocates nothing unless the result is `.nonFinite`.
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> NumericField {
        guard let base = bytes.baseAddress else { return .missing }
        var lo = 0
        var hi = bytes.count
        while lo < hi && base[lo] == space { lo += 1 }
        while hi > lo && base[hi - 1] == space { hi -= 1 }
        if lo == hi { return .missing }

        var i = lo
        var negative = false
        if base[i] == plus || base[i] == minus {
            negative = base[i] == minus
            i += 1
        }
        let afterSign = i

        // Mantissa digits, accumulated exactly while they fit in 64 bits (for the fast path below).
        var mantissa: UInt64 = 0
        var mantissaExact = true
        var digitCount = 0
        var fractionDigits = 0
        while i < hi, base[i] &- zero < 10 {
            accumulate(base[i], into: &mantissa, exact: &mantissaExact)
            digitCount += 1
            i += 1
        }
        if i < hi && base[i] == dot {
            i += 1
            while i < hi, base[i] &- zero < 10 {
                accumulate(base[i], into: &mantissa, exact: &mantissaExact)
                digitCount += 1
                fractionDigits += 1
                i += 1
            }
        }
        if digitCount == 0 {
            return isNonFiniteSpelling(base + afterSign, count: hi - afterSign)
                ? .nonFinite(text(base + lo, count: hi - lo)) : .notNumeric
        }

        var exponent = 0
        if i < hi && (base[i] | 0x20) == letterE {
            i += 1
            var exponentNegative = false
            if i < hi && (base[i] == plus || base[i] == minus) {
                exponentNegative = base[i] == minus
                i += 1
            }
            let exponentStart = i
            while i < hi, base[i] &- zero < 10 {
                // Clamped: anything this large over- or underflows anyway, and strtod decides which.
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(base[i] &- zero) }
                i += 1
            }
            if i == exponentStart { return .notNumeric }
            if exponentNegative { exponent = -exponent }
        }
        if i != hi { return .notNumeric }

        // Clinger's fast path: an integer mantissa below 2^53 and a power of ten up to 10^22 are both exact
        // Doubles, so one multiplication or division is correctly rounded, exactly as strtod would round.
        let scale = exponent - fractionDigits
        if mantissaExact && mantissa <= (1 << 53) && scale >= -22 && scale <= 22 {
            var result = Double(mantissa)
            if scale >= 0 {
                result *= powerOfTen(scale)
            } else {
                result /= powerOfTen(-scale)
            }
            return .value(negative ? -result : result)
        }

        let result = correctlyRounded(base + lo, count: hi - lo)
        if result.isFinite { return .value(result) }
        return .nonFinite(text(base + lo, count: hi - lo))
    }

    /// Parses a field given as a string; the same rules as the byte version.
    package static func parse(_ text: String) -> NumericField {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    // MARK: Implementation

    private static let space: UInt8 = 0x20
    private static let plus: UInt8 = 0x2B
    private static let minus: UInt8 = 0x2D
    private static let dot: UInt8 = 0x2E
    private static let zero: UInt8 = 0x30
    private static let letterE: UInt8 = 0x65

    @inline(__always)
    private static func accumulate(_ digit: UInt8, into mantissa: inout UInt64, exact: inout Bool) {
        let d = UInt64(digit &- zero)
        if mantissa <= (UInt64.max - 9) / 10 {
            mantissa = mantissa * 10 + d
        } else {
            exact = false
        }
    }

    @inline(__always)
    private static func powerOfTen(_ n: Int) -> Double {
        switch n {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    /// `nan`, `inf` or `infinity` in any case (the sign has been consumed already).
    private static func isNonFiniteSpelling(_ p: UnsafePointer<UInt8>, count: Int) -> Bool {
        func matches(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == count else { return false }
            let w = word.utf8Start
            for k in 0..<count where p[k] | 0x20 != w[k] { return false }
            return true
        }
        return matches("nan") || matches("inf") || matches("infinity")
    }

    /// strtod on a NUL-terminated copy on the stack (no heap allocation).
    ///
    /// strtod follows the process locale's decimal separator; Swift programs run in the "C" locale unless
    /// someone calls setlocale. If strtod stops early for that reason, the standard library's
    /// locale-independent parser (also correctly rounded) decides instead.
    private static func correctlyRounded(_ p: UnsafePointer<UInt8>, count: Int) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { scratch in
            let start = scratch.baseAddress!
            UnsafeMutableRawPointer(start).copyMemory(from: p, byteCount: count)
            start[count] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let result = strtod(start, &end)
            if end == start + count { return result }
            return Double(text(p, count: count)) ?? .nan
        }
    }

    private static func text(_ p: UnsafePointer<UInt8>, count: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
    }
}

extension NumericField {
    /// As ``parse(_:)``, for numbers written with a thousands separator (`1,127,228`, `1.127.228,5`) and a decimal mark
    /// other than `.`: groups must be of three digits after the first, so `1,2,3` is not read as 123.
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>, thousands: UInt8?, decimal: UInt8) -> NumericField {
        guard thousands != nil || decimal != UInt8(ascii: ".") else { return parse(bytes) }
        guard bytes.count <= 64 else { return parse(bytes) }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var digitsInGroup = 0
        var grouped = false
        var inFraction = false
        for byte in bytes {
            if let thousands, byte == thousands, !inFraction {
                // A separator needs 1-3 digits before it (3 after the first group) and is checked when the group ends.
                guard digitsInGroup >= 1, digitsInGroup <= 3, !grouped || digitsInGroup == 3 else { return .notNumeric }
                grouped = true
                digitsInGroup = 0
                continue
            }
            if byte == decimal {
                if grouped, digitsInGroup != 3 { return .notNumeric }
                inFraction = true
                out.append(UInt8(ascii: "."))
                continue
            }
            if byte &- 0x30 < 10 { digitsInGroup += 1 } else if !inFraction, grouped, byte != 0x20 {
                if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { return .notNumeric }
            }
            out.append(byte == UInt8(ascii: ".") && decimal != UInt8(ascii: ".") ? 0xFF : byte)
        }
        if grouped, !inFraction, digitsInGroup != 3 { return .notNumeric }
        return out.withUnsafeBufferPointer { parse($0) }
    }
}
