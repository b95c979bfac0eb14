#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Deterministic decimal text for numbers, without Foundation: every digit comes from integer
/// arithmetic on a rounded value, so the same number always prints the same way.
public enum DecimalText {
    /// `x` rounded to `decimals` places (0…9), for example `fixed(2.345, 2) == "2.35"` (half away
    /// from zero on the binary value). `-0` prints as `0`; NaN as `nan`; ±infinity as `inf`/`-inf`;
    /// values too large for 64-bit integers after scaling fall back to Swift's description.
    public static func fixed(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        let decimals = min(max(decimals, 0), 9)
        let scaled = (x * power10(decimals)).rounded()
        guard abs(scaled) < 9e18 else { return "\(x)" }
        return digits(Int64(scaled), exponent: -decimals)
    }

    /// `x` with about `digits` significant digits (at least 1), but never in exponent notation and
    /// never with more than 9 decimals: `significant(1234.5, 3) == "1235"`, `significant(0.012345,
    /// 3) == "0.0123"`.
    public static func significant(_ x: Double, digits: Int) -> String {
        fixed(x, decimals: decimals(forMagnitude: abs(x), significantDigits: digits))
    }

    /// The decimals that show `significantDigits` digits of numbers of magnitude `magnitude`
    /// (0…9; 0 for magnitudes of 10^(digits−1) and more, and for zero or non-finite magnitudes).
    public static func decimals(forMagnitude magnitude: Double, significantDigits: Int) -> Int {
        guard magnitude.isFinite, magnitude > 0 else { return 0 }
        let exponent = Int(log10(magnitude).rounded(.down))
        return min(max(max(significantDigits, 1) - 1 - exponent, 0), 9)
    }

    /// The decimal text of `n × 10^exponent`: `digits(-125, exponent: -2) == "-1.25"`,
    /// `digits(3, exponent: 2) == "300"`. Trailing zeros after the point are kept (callers choose
    /// the exponent).
    public static func digits(_ n: Int64, exponent: Int) -> String {
        let negative = n < 0
        var text = String(n.magnitude)
        if exponent >= 0 {
            if n != 0 { text += String(repeating: "0", count: exponent) }
        } else {
            let places = -exponent
            if text.count <= places { text = String(repeating: "0", count: places - text.count + 1) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -places))
        }
        return negative && n != 0 ? "-" + text : text
    }

    static func power10(_ e: Int) -> Double {
        var p = 1.0
        for _ in 0..<abs(e) { p *= 10 }
        return e >= 0 ? p : 1 / p
    }
}
