extension IntervalPlot {
    /// Room above the first row for the reference lines' labels.
    private static let headroom = 26.0

    /// The plot as a standalone SVG document.
    public var svg: String {
        let references = self.references.filter { $0.x.isFinite }
        var xs = references.map(\.x)
        for row in rows {
            for value in [row.estimate, row.lower, row.upper] where value.isFinite { xs.append(value) }
        }
        let ticks = AxisTicks(covering: xs.min() ?? 0, xs.max() ?? 1, targetCount: 6)
        let plotHeight = Self.headroom + Double(max(rows.count, 1)) * rowHeight + 8
        let layout = ChartLayout(
            title: title, plotSize: (plotWidth, plotHeight), yTickLabels: rows.map(\.label), lastXTickLabel: ticks.labels.last ?? "",
            legendLabels: [])
        var svg = SVGDocument(width: layout.width, height: layout.height)
        let frame = layout.plot
        func px(_ x: Double) -> Double { frame.x + (x - ticks.lower) / (ticks.upper - ticks.lower) * frame.width }

        layout.drawTitle(title, in: &svg)
        layout.drawAxes(x: ticks, y: nil, xLabel: axisLabel, yLabel: "", in: &svg)
        for reference in references {
            let x = px(reference.x)
            svg.line(from: (x, frame.y), to: (x, frame.y + frame.height), stroke: Palette.reference, width: 1.5, dash: "5 4")
            // Labels near an end of the axis lean inwards, so they stay on the canvas.
            let half = SVGDocument.estimatedWidth(of: reference.label, size: 11) / 2
            let (labelX, anchor): (Double, SVGDocument.Anchor) =
                x - half < frame.x ? (x + 4, .start) : x + half > frame.x + frame.width ? (x - 4, .end) : (x, .middle)
            svg.text(reference.label, x: labelX, y: frame.y + 12, size: 11, anchor: anchor, fill: Palette.reference, halo: true)
        }
        for (index, row) in rows.enumerated() {
            let color = row.color ?? Palette.color(index)
            let y = frame.y + Self.headroom + (Double(index) + 0.5) * rowHeight
            svg.openGroup([("class", "row")])
            svg.text(row.label, x: frame.x - 10, y: y + ChartLayout.tickSize * 0.35, size: ChartLayout.tickSize, anchor: .end)
            if row.estimate.isFinite {
                if row.lower.isFinite, row.upper.isFinite {
                    let (a, b) = (px(row.lower), px(row.upper))
                    svg.line(from: (a, y), to: (b, y), stroke: color, width: 3)
                    svg.line(from: (a, y - 6), to: (a, y + 6), stroke: color, width: 2)
                    svg.line(from: (b, y - 6), to: (b, y + 6), stroke: color, width: 2)
                }
                svg.circle(x: px(row.estimate), y: y, radius: 5, fill: color, stroke: "#ffffff")
            } else {
                svg.text("n/a", x: frame.x + 8, y: y + ChartLayout.tickSize * 0.35, size: ChartLayout.tickSize, fill: Palette.reference)
            }
            svg.closeGroup()
        }
        return svg.xml
    }
}
