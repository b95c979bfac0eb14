/// The allowed range of a numeric scenario parameter, with open or closed ends.
public struct Bounds: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var lowerInclusive: Bool
    public var upperInclusive: Bool

    public init(lower: Double = -.infinity, upper: Double = .infinity, lowerInclusive: Bool = true, upperInclusive: Bool = true) {
        self.lower = lower
        self.upper = upper
        self.lowerInclusive = lowerInclusive
        self.upperInclusive = upperInclusive
    }

    /// Any finite number.
    public static let any = Bounds()
    /// `x > 0`.
    public static let positive = Bounds(lower: 0, lowerInclusive: false)
    /// `x >= 0`.
    public static let nonNegative = Bounds(lower: 0)
    /// `0 <= x <= 1`.
    public static let probability = Bounds(lower: 0, upper: 1)
    /// `lower <= x <= upper`.
    public static func closed(_ lower: Double, _ upper: Double) -> Bounds { Bounds(lower: lower, upper: upper) }
    /// `x >= lower`.
    public static func atLeast(_ lower: Double) -> Bounds { Bounds(lower: lower) }

    public func contains(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        let aboveLower = lowerInclusive ? x >= lower : x > lower
        let belowUpper = upperInclusive ? x <= upper : x < upper
        return aboveLower && belowUpper
    }
}

extension Bounds: CustomStringConvertible {
    public var description: String {
        let lo = lower == -.infinity ? nil : ConfigValue.format(lower)
        let hi = upper == .infinity ? nil : ConfigValue.format(upper)
        switch (lo, hi) {
        case (nil, nil): return "a finite number"
        case let (lo?, nil): return (lowerInclusive ? ">= " : "> ") + lo
        case let (nil, hi?): return (upperInclusive ? "<= " : "< ") + hi
        case let (lo?, hi?): return (lowerInclusive ? "[" : "(") + lo + ", " + hi + (upperInclusive ? "]" : ")")
        }
    }
}
