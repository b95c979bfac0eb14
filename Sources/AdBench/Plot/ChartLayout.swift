/// One line of a legend.
struct LegendEntry {
    var label: String
    var color: String
    var isDashed: Bool
    var hasBand: Bool
}

/// Where a chart's parts go: margins sized from the text they hold, so tick labels, axis labels,
/// the title and the legend never overlap each other or the plot area.
struct ChartLayout {
    static let titleSize = 16.0, labelSize = 14.0, tickSize = 12.0, legendSize = 13.0
    static let legendRow = 22.0, legendSwatch = 26.0

    /// The plot area in canvas coordinates.
    let plot: (x: Double, y: Double, width: Double, height: Double)
    let width: Double
    let height: Double
    /// Where the legend starts (its top left), to the right of the plot.
    let legendOrigin: (x: Double, y: Double)

    init(title: String, plotSize: (width: Double, height: Double), yTickLabels: [String], lastXTickLabel: String, legendLabels: [String]) {
        let yTickWidth = yTickLabels.map { SVGDocument.estimatedWidth(of: $0, size: Self.tickSize) }.max() ?? 0
        let left = 14 + Self.labelSize + 10 + yTickWidth + 9
        let top = title.isEmpty ? 16 : 16 + Self.titleSize + 16
        let bottom = 8 + Self.tickSize + 12 + Self.labelSize + 14
        let overhang = SVGDocument.estimatedWidth(of: lastXTickLabel, size: Self.tickSize) / 2
        let legendWidth = legendLabels.isEmpty
            ? 0 : Self.legendSwatch + 8 + (legendLabels.map { SVGDocument.estimatedWidth(of: $0, size: Self.legendSize) }.max() ?? 0)
        let legendGap = max(24, overhang + 12)
        plot = (left, top, plotSize.width, plotSize.height)
        legendOrigin = (left + plotSize.width + legendGap, top + 4)
        let legendHeight = Double(legendLabels.count) * Self.legendRow
        let contentWidth = left + plotSize.width + (legendLabels.isEmpty ? overhang + 12 : legendGap + legendWidth + 16)
        width = max(contentWidth, SVGDocument.estimatedWidth(of: title, size: Self.titleSize) + 32).rounded(.up)
        height = (top + max(plotSize.height, legendHeight) + bottom).rounded(.up)
    }

    func drawTitle(_ title: String, in svg: inout SVGDocument) {
        guard !title.isEmpty else { return }
        // Centred over the plot, unless that would push it off the canvas.
        let half = SVGDocument.estimatedWidth(of: title, size: Self.titleSize) / 2
        let centre = min(max(plot.x + plot.width / 2, half + 12), width - half - 12)
        svg.text(title, x: centre, y: 16 + Self.titleSize, size: Self.titleSize, anchor: .middle, bold: true)
    }

    /// Gridlines, the left and bottom axes, outward tick marks with labels, and the axis labels.
    /// `xTicks` may be `nil` for a chart whose vertical axis is categorical.
    func drawAxes(x xTicks: AxisTicks?, y yTicks: AxisTicks?, xLabel: String, yLabel: String, in svg: inout SVGDocument) {
        let right = plot.x + plot.width, bottom = plot.y + plot.height
        svg.openGroup([("class", "grid")])
        if let xTicks {
            for value in xTicks.values {
                let x = plot.x + (value - xTicks.lower) / (xTicks.upper - xTicks.lower) * plot.width
                svg.line(from: (x, plot.y), to: (x, bottom), stroke: Palette.grid)
            }
        }
        if let yTicks {
            for value in yTicks.values {
                let y = bottom - (value - yTicks.lower) / (yTicks.upper - yTicks.lower) * plot.height
                svg.line(from: (plot.x, y), to: (right, y), stroke: Palette.grid)
            }
        }
        svg.closeGroup()
        svg.openGroup([("class", "axes")])
        svg.line(from: (plot.x, bottom), to: (right, bottom), stroke: Palette.axis)
        if yTicks != nil { svg.line(from: (plot.x, plot.y), to: (plot.x, bottom), stroke: Palette.axis) }
        if let xTicks {
            for (value, label) in zip(xTicks.values, xTicks.labels) {
                let x = plot.x + (value - xTicks.lower) / (xTicks.upper - xTicks.lower) * plot.width
                svg.line(from: (x, bottom), to: (x, bottom + 5), stroke: Palette.axis)
                svg.text(label, x: x, y: bottom + 8 + Self.tickSize, size: Self.tickSize, anchor: .middle)
            }
        }
        if let yTicks {
            for (value, label) in zip(yTicks.values, yTicks.labels) {
                let y = bottom - (value - yTicks.lower) / (yTicks.upper - yTicks.lower) * plot.height
                svg.line(from: (plot.x - 5, y), to: (plot.x, y), stroke: Palette.axis)
                svg.text(label, x: plot.x - 8, y: y + Self.tickSize * 0.35, size: Self.tickSize, anchor: .end)
            }
        }
        svg.text(xLabel, x: plot.x + plot.width / 2, y: bottom + 8 + Self.tickSize + 12 + Self.labelSize, size: Self.labelSize, anchor: .middle)
        if !yLabel.isEmpty {
            let x = 14 + Self.labelSize, y = plot.y + plot.height / 2
            svg.text(yLabel, x: x, y: y, size: Self.labelSize, anchor: .middle, rotation: -90)
        }
        svg.closeGroup()
    }

    func drawLegend(_ entries: [LegendEntry], in svg: inout SVGDocument) {
        guard !entries.isEmpty else { return }
        svg.openGroup([("class", "legend")])
        for (row, entry) in entries.enumerated() {
            let y = legendOrigin.y + Double(row) * Self.legendRow + Self.legendRow / 2
            if entry.hasBand {
                svg.element("rect", [
                    ("x", SVGDocument.number(legendOrigin.x)), ("y", SVGDocument.number(y - 6)),
                    ("width", SVGDocument.number(Self.legendSwatch)), ("height", "12"), ("fill", entry.color), ("fill-opacity", "0.2"),
                ])
            }
            svg.line(
                from: (legendOrigin.x, y), to: (legendOrigin.x + Self.legendSwatch, y), stroke: entry.color, width: 2.5,
                dash: entry.isDashed ? "7 4" : nil)
            svg.text(entry.label, x: legendOrigin.x + Self.legendSwatch + 8, y: y + Self.legendSize * 0.35, size: Self.legendSize)
        }
        svg.closeGroup()
    }
}
