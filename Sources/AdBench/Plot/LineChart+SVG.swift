extension LineChart {
    /// The chart as a standalone SVG document.
    public var svg: String {
        let references = self.references.filter { $0.y.isFinite }
        // Ranges over every finite value.
        var xs: [Double] = [], ys: [Double] = references.map(\.y)
        for s in series {
            for i in s.x.indices where s.x[i].isFinite {
                xs.append(s.x[i])
                if s.y[i].isFinite { ys.append(s.y[i]) }
                if let band = s.band {
                    if band.lower[i].isFinite { ys.append(band.lower[i]) }
                    if band.upper[i].isFinite { ys.append(band.upper[i]) }
                }
            }
        }
        let xTicks = AxisTicks(covering: xs.min() ?? 0, xs.max() ?? 1, targetCount: 6)
        let yTicks = AxisTicks(covering: ys.min() ?? 0, ys.max() ?? 1, targetCount: 5)

        let layout = ChartLayout(
            title: title, plotSize: plotSize, yTickLabels: yTicks.labels, lastXTickLabel: xTicks.labels.last ?? "",
            legendLabels: series.map(\.name))
        var svg = SVGDocument(width: layout.width, height: layout.height)
        let frame = layout.plot
        func px(_ x: Double) -> Double { frame.x + (x - xTicks.lower) / (xTicks.upper - xTicks.lower) * frame.width }
        func py(_ y: Double) -> Double { frame.y + frame.height - (y - yTicks.lower) / (yTicks.upper - yTicks.lower) * frame.height }

        layout.drawTitle(title, in: &svg)
        layout.drawAxes(x: xTicks, y: yTicks, xLabel: xLabel, yLabel: yLabel, in: &svg)

        // Bands under every line, then lines, then reference lines on top.
        for (index, s) in series.enumerated() {
            guard let band = s.band else { continue }
            let color = s.color ?? Palette.color(index)
            for run in Self.runs(count: s.x.count, where: { s.x[$0].isFinite && band.lower[$0].isFinite && band.upper[$0].isFinite }) {
                let upper = run.map { (x: px(s.x[$0]), y: py(band.upper[$0])) }
                let lower = run.reversed().map { (x: px(s.x[$0]), y: py(band.lower[$0])) }
                svg.polygon(upper + lower, fill: color, opacity: 0.2)
            }
        }
        for (index, s) in series.enumerated() {
            let color = s.color ?? Palette.color(index)
            svg.openGroup([("class", "series")])
            for run in Self.runs(count: s.x.count, where: { s.x[$0].isFinite && s.y[$0].isFinite }) {
                if run.count == 1 {
                    svg.circle(x: px(s.x[run[0]]), y: py(s.y[run[0]]), radius: 3, fill: color)
                } else {
                    svg.polyline(run.map { (x: px(s.x[$0]), y: py(s.y[$0])) }, stroke: color, width: 2, dash: s.isDashed ? "7 4" : nil)
                }
            }
            svg.closeGroup()
        }
        for reference in references {
            let y = py(reference.y)
            svg.line(from: (frame.x, y), to: (frame.x + frame.width, y), stroke: Palette.reference, width: 1.5, dash: "5 4")
            let labelY = y - 5 - 11 < frame.y ? y + 15 : y - 5
            svg.text(reference.label, x: frame.x + frame.width - 4, y: labelY, size: 11, anchor: .end, fill: Palette.reference, halo: true)
        }

        layout.drawLegend(series.enumerated().map { index, s in
            LegendEntry(label: s.name, color: s.color ?? Palette.color(index), isDashed: s.isDashed, hasBand: s.band != nil)
        }, in: &svg)
        return svg.xml
    }

    /// Maximal runs of consecutive indices in `0..<count` satisfying `include`.
    static func runs(count: Int, where include: (Int) -> Bool) -> [[Int]] {
        var runs: [[Int]] = [], current: [Int] = []
        for i in 0..<count {
            if include(i) {
                current.append(i)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}
