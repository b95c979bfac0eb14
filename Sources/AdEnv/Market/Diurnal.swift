#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The diurnal traffic intensity `λ(t) = λ0 · (1 + A · sin(2π (t − phase) / 24))`, `t` in hours of
/// the budget day `[0, 24)`, with its integral `Λ(t)` and a table of `Λ⁻¹` for fast lookups.
///
/// `AdMarket` uses the inverse: the day is measured in expected page views, and the page view at
/// operational time `x` happens at hour `Λ⁻¹(x)`, so page views are dense in busy hours.
/// `AutoBidding` uses the integral over each time slot as the Poisson mean of its opportunities.
public struct Diurnal: Sendable {
    /// `λ0`, arrivals per hour on average over the day.
    public let baseRate: Double
    /// `A`, in [0, 1].
    public let amplitude: Double
    /// The phase shift in hours (the rate peaks at `phase + 6`).
    public let phaseHours: Double
    /// `Λ⁻¹` sampled at `tableSize + 1` evenly spaced fractions of the daily total.
    private let inverse: [Double]
    private static let tableSize = 4096

    public init(baseRate: Double, amplitude: Double, phaseHours: Double) {
        self.baseRate = baseRate
        self.amplitude = amplitude
        self.phaseHours = phaseHours
        // Invert the cumulative fraction F(t) = Λ(t)/Λ(24) by bisection at each table point.
        let total = Self.cumulative(24, amplitude: amplitude, phase: phaseHours)
        var table = [Double](repeating: 0, count: Self.tableSize + 1)
        for i in 0...Self.tableSize {
            let target = total * Double(i) / Double(Self.tableSize)
            var lo = 0.0, hi = 24.0
            for _ in 0..<60 {
                let mid = 0.5 * (lo + hi)
                if Self.cumulative(mid, amplitude: amplitude, phase: phaseHours) < target { lo = mid } else { hi = mid }
            }
            table[i] = 0.5 * (lo + hi)
        }
        table[0] = 0
        table[Self.tableSize] = 24
        inverse = table
    }

    /// `λ(t)`, arrivals per hour at hour `t`.
    public func rate(atHour t: Double) -> Double {
        baseRate * (1 + amplitude * sin(2 * Double.pi * (t - phaseHours) / 24))
    }

    /// `∫_a^b λ(t) dt`, the expected arrivals between hours `a` and `b`.
    public func expectedArrivals(from a: Double, to b: Double) -> Double {
        baseRate * (Self.cumulative(b, amplitude: amplitude, phase: phaseHours) - Self.cumulative(a, amplitude: amplitude, phase: phaseHours))
    }

    /// `Λ(t)/λ0 = t + A·(24/2π)·(cos(2π(−phase)/24) − cos(2π(t − phase)/24))`.
    static func cumulative(_ t: Double, amplitude: Double, phase: Double) -> Double {
        let w = 2 * Double.pi / 24
        return t + amplitude / w * (cos(-w * phase) - cos(w * (t - phase)))
    }

    /// The hour at which a fraction `f ∈ [0, 1]` of the day's expected arrivals has happened
    /// (`Λ⁻¹(f · Λ(24))`), by linear interpolation in the table of 4,096 intervals.
    ///
    /// The interpolation error grows as the rate's minimum `λ0(1 − A)` approaches zero, where `Λ⁻¹`
    /// is steep: its maximum over the day is about 2e-6 h at A = 0.5 (the default), 1e-5 h at
    /// A = 0.75, 1.2e-4 h at A = 0.9 and 0.03 h at A = 0.99, and up to about 0.5 h at A = 1, around
    /// the hour without traffic (measured against bisection on `Λ`; the phase does not matter).
    public func hour(atFraction f: Double) -> Double {
        let x = Swift.min(Swift.max(f, 0), 1) * Double(Self.tableSize)
        let i = Swift.min(Int(x), Self.tableSize - 1)
        let frac = x - Double(i)
        return inverse[i] + frac * (inverse[i + 1] - inverse[i])
    }
}
