#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// "Nice" axis ticks: evenly spaced at a step of 1, 2 or 5 × 10^k, covering a data range, with
/// labels that stay short at any magnitude.
///
/// The axis range is widened to the first tick at or below the data and the last at or above it.
/// Labels print plainly (`0.25`, `1500`, `-40`), with a k/M/G suffix once the largest tick reaches
/// 10,000 (`12.5k`, `3M`), and in exponent notation once every tick is below 0.001 in magnitude
/// (`3e-4`, `1.5e-4`). Tick values are exact multiples of the step computed from integers, so
/// labels never show rounding noise.
public struct AxisTicks: Sendable, Equatable {
    /// The axis range: the first and last tick.
    public let lower: Double
    public let upper: Double
    /// The tick values, ascending, from `lower` to `upper`.
    public let values: [Double]
    /// The text of each tick.
    public let labels: [String]

    /// Ticks covering `low...high` with about `targetCount` intervals (at least 1).
    ///
    /// Edges: a non-finite bound or `low > high` gives the range 0…1; an empty range (`low ==
    /// high`, a constant series) is widened by 10% of the value on each side, or to −1…1 around 0;
    /// a range narrower than 1e-9 of its magnitude is widened to that, so steps stay representable.
    public init(covering low: Double, _ high: Double, targetCount: Int = 6) {
        var low = low, high = high
        if !low.isFinite || !high.isFinite || low > high { (low, high) = (0, 1) }
        let magnitude = max(abs(low), abs(high))
        if high - low <= magnitude * 1e-9 {
            let pad = magnitude == 0 ? 1 : magnitude * 0.1
            low -= pad
            high += pad
        }
        let raw = (high - low) / Double(max(targetCount, 1))
        var exponent = Int(log10(raw).rounded(.down))
        let fraction = raw / DecimalText.power10(exponent)
        var multiplier: Int64
        if fraction <= 1 { multiplier = 1 } else if fraction <= 2 { multiplier = 2 } else if fraction <= 5 { multiplier = 5 } else {
            multiplier = 1
            exponent += 1
        }
        let step = Double(multiplier) * DecimalText.power10(exponent)
        // A bound within 1e-9 steps of a tick is on it (so 0.3 / 0.1 does not add a tick).
        let first = Int64((low / step + 1e-9).rounded(.down))
        let last = Int64((high / step - 1e-9).rounded(.up))
        let counts = (first...max(first + 1, last)).map { $0 * multiplier }
        // n / 10^k rounds once, so 0.6 is 0.6 and not 6 × 0.1 = 0.6000000000000001.
        values = counts.map { exponent >= 0 ? Double($0) * DecimalText.power10(exponent) : Double($0) / DecimalText.power10(-exponent) }
        lower = values.first!
        upper = values.last!
        labels = AxisTicks.labels(counts, exponent: exponent)
    }

    /// Labels for ticks `n × 10^exponent`.
    static func labels(_ counts: [Int64], exponent: Int) -> [String] {
        let largest = counts.map { Double($0.magnitude) * DecimalText.power10(exponent) }.max() ?? 0
        if largest >= 1e4 {
            let group = largest >= 1e9 ? 3 : largest >= 1e6 ? 2 : 1
            let suffix = ["", "k", "M", "G"][group]
            return counts.map { $0 == 0 ? "0" : DecimalText.digits($0, exponent: exponent - 3 * group) + suffix }
        }
        if largest < 1e-3 {
            return counts.map { scientific($0, exponent: exponent) }
        }
        return counts.map { DecimalText.digits($0, exponent: exponent) }
    }

    /// `n × 10^exponent` as `m e x` with one digit before the point and no trailing zeros.
    static func scientific(_ n: Int64, exponent: Int) -> String {
        guard n != 0 else { return "0" }
        var n = n, exponent = exponent
        while n % 10 == 0 {
            n /= 10
            exponent += 1
        }
        let digitCount = String(n.magnitude).count
        return DecimalText.digits(n, exponent: -(digitCount - 1)) + "e" + String(exponent + digitCount - 1)
    }
}
