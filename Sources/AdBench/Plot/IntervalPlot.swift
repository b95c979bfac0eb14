/// An interval plot of an aggregate score, as rliable draws it: one row per agent with the point
/// estimate as a dot and its confidence interval as a whisker, on one horizontal score axis, with
/// labelled dashed vertical reference lines (by default at 0, "random", and 1, "oracle"). Render it
/// with ``svg``.
///
/// A row whose estimate is not finite is drawn as its label with "n/a"; a row whose interval is not
/// finite shows the dot only. The axis covers every finite value and every reference line.
public struct IntervalPlot: Sendable {
    /// One agent's estimate and interval.
    public struct Row: Sendable {
        public var label: String
        public var estimate: Double
        public var lower: Double
        public var upper: Double
        /// A CSS colour; `nil` takes the palette's colour for the row's position.
        public var color: String?

        public init(label: String, estimate: Double, lower: Double, upper: Double, color: String? = nil) {
            self.label = label
            self.estimate = estimate
            self.lower = lower
            self.upper = upper
            self.color = color
        }

        public init(label: String, interval: ConfidenceInterval, color: String? = nil) {
            self.init(label: label, estimate: interval.estimate, lower: interval.lower, upper: interval.upper, color: color)
        }
    }

    /// A dashed vertical line at `x`, labelled at its top.
    public struct ReferenceLine: Sendable {
        public var label: String
        public var x: Double

        public init(label: String, x: Double) {
            self.label = label
            self.x = x
        }
    }

    public var title: String
    public var axisLabel: String
    public var rows: [Row]
    public var references: [ReferenceLine]
    /// The width of the score axis in pixels.
    public var plotWidth: Double = 480
    /// The height of each row in pixels.
    public var rowHeight: Double = 30

    public init(
        title: String, axisLabel: String, rows: [Row],
        references: [ReferenceLine] = [ReferenceLine(label: "random", x: 0), ReferenceLine(label: "oracle", x: 1)]
    ) {
        self.title = title
        self.axisLabel = axisLabel
        self.rows = rows
        self.references = references
    }
}
