/// A line chart: several series of (x, y) points, each with an optional shaded band (a confidence
/// interval), horizontal reference lines, a title, axis labels, nice ticks, light gridlines, and a
/// legend to the right of the plot area (never over the data). Render it with ``svg``.
///
/// Missing values are gaps: a point whose x or y is not finite breaks the line there (and a band
/// breaks where its x, lower or upper is not finite). A point with no neighbour on either side is
/// drawn as a dot, so a single-point series is visible. The axis ranges cover every finite value,
/// band and reference line; a constant series gets a non-empty range around its value.
public struct LineChart: Sendable {
    /// One line of the chart.
    public struct Series: Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        /// The band's lower and upper edges, one per point; `nil` for no band.
        public var band: (lower: [Double], upper: [Double])?
        /// Drawn dashed (for example a theory line).
        public var isDashed: Bool
        /// A CSS colour; `nil` takes the palette's colour for the series' position.
        public var color: String?

        /// - Precondition: `x`, `y` (and the band's arrays) have the same length.
        public init(
            name: String, x: [Double], y: [Double], band: (lower: [Double], upper: [Double])? = nil, isDashed: Bool = false,
            color: String? = nil
        ) {
            precondition(x.count == y.count, "a series needs as many y values as x values")
            if let band { precondition(band.lower.count == x.count && band.upper.count == x.count, "a band needs one interval per point") }
            self.name = name
            self.x = x
            self.y = y
            self.band = band
            self.isDashed = isDashed
            self.color = color
        }
    }

    /// A dashed horizontal line across the plot at `y`, labelled at its right end.
    public struct ReferenceLine: Sendable {
        public var label: String
        public var y: Double

        public init(label: String, y: Double) {
            self.label = label
            self.y = y
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// Reference lines; those with a non-finite `y` are left out.
    public var references: [ReferenceLine]
    /// The size of the plot area in pixels (the canvas adds margins, ticks and the legend).
    public var plotSize: (width: Double, height: Double) = (560, 320)

    public init(title: String, xLabel: String, yLabel: String, series: [Series] = [], references: [ReferenceLine] = []) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.references = references
    }
}
