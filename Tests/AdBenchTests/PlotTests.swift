import Testing
@testable import AdBench

@Suite struct PlotTests {
    static func chart() -> LineChart {
        LineChart(
            title: "Return vs steps", xLabel: "env-steps", yLabel: "mean return",
            series: [
                .init(name: "a<b&c", x: [0, 1000, 2000, 3000], y: [1, 2, .nan, 4],
                      band: (lower: [0.5, 1.5, .nan, 3.5], upper: [1.5, 2.5, .nan, 4.5])),
                .init(name: "theory", x: [0, 3000], y: [0, 6], isDashed: true),
            ],
            references: [.init(label: "random", y: 0.5), .init(label: "oracle", y: 5)])
    }

    @Test func lineChartIsWellFormedXMLWithAxesLabelsTicksAndLegend() throws {
        let contents = try #require(SVGContents.parse(Self.chart().svg))
        #expect(contents.groupClasses.contains("axes"))
        #expect(contents.groupClasses.filter { $0 == "series" }.count == 2)
        for label in ["Return vs steps", "env-steps", "mean return", "random", "oracle"] { #expect(contents.texts.contains(label)) }
        // x ticks every 500 steps (1-2-5 rule for a range of 3000 in about 6 steps), y ticks every 1.
        for tick in ["0", "500", "1000", "3000", "6"] { #expect(contents.texts.contains(tick)) }
        // One legend entry per series, the name escaped in the file and intact once parsed.
        #expect(contents.texts.filter { $0 == "a<b&c" }.count == 1)
        #expect(contents.texts.filter { $0 == "theory" }.count == 1)
        #expect(Self.chart().svg.contains("a&lt;b&amp;c"))
    }

    @Test func aGapSplitsTheLineAndAnIsolatedPointIsADot() throws {
        let chart = LineChart(title: "", xLabel: "x", yLabel: "y", series: [.init(name: "s", x: [0, 1, 2, 3, 4], y: [1, 2, .nan, 4, .nan])])
        let contents = try #require(SVGContents.parse(chart.svg))
        #expect(contents.elementCounts["polyline"] == 1)  // points 0–1
        #expect(contents.elementCounts["circle"] == 1)  // point 3 alone
    }

    @Test func degenerateSeriesStillGiveARangeAndTicks() throws {
        let single = LineChart(title: "", xLabel: "x", yLabel: "y", series: [.init(name: "one", x: [5], y: [2])])
        let empty = LineChart(title: "", xLabel: "x", yLabel: "y", series: [.init(name: "none", x: [], y: [])])
        let constant = LineChart(title: "", xLabel: "x", yLabel: "y", series: [.init(name: "flat", x: [0, 1, 2], y: [-3, -3, -3])])
        for chart in [single, empty, constant] {
            let contents = try #require(SVGContents.parse(chart.svg))
            #expect(contents.texts.count >= 6)
            #expect(!chart.svg.contains("nan") && !chart.svg.contains("inf"))
        }
    }

    @Test func tickLabelsStayShortAtAnyMagnitude() {
        #expect(AxisTicks(covering: 0, 1).values == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(AxisTicks(covering: 0, 1).labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(AxisTicks(covering: 0, 48_000).labels == ["0", "10k", "20k", "30k", "40k", "50k"])
        #expect(AxisTicks(covering: 0, 2.5e6).labels.last == "2.5M")
        #expect(AxisTicks(covering: 0, 0.00051).labels == ["0", "1e-4", "2e-4", "3e-4", "4e-4", "5e-4", "6e-4"])
        #expect(AxisTicks(covering: -37, 12).labels == ["-40", "-30", "-20", "-10", "0", "10", "20"])
        // A constant value gets a non-empty range around it.
        let flat = AxisTicks(covering: 5, 5)
        #expect(flat.lower < 5 && flat.upper > 5)
    }

    @Test func numbersPrintCompactlyAndDeterministically() {
        #expect(SVGDocument.number(12) == "12")
        #expect(SVGDocument.number(3.14159) == "3.14")
        #expect(SVGDocument.number(-0.001) == "0")
        #expect(SVGDocument.number(-2.5) == "-2.5")
        #expect(DecimalText.fixed(2.345, decimals: 1) == "2.3")
        #expect(DecimalText.fixed(-0.05, decimals: 3) == "-0.050")
        #expect(DecimalText.significant(0.012345, digits: 3) == "0.0123")
        #expect(DecimalText.significant(1234.5, digits: 3) == "1235")
    }

    @Test func intervalPlotHasOneRowPerAgentAndTheReferenceLines() throws {
        let plot = IntervalPlot(title: "Aggregate", axisLabel: "normalized score (IQM)", rows: [
            .init(label: "ppo", estimate: 0.8, lower: 0.7, upper: 0.9),
            .init(label: "x<y", estimate: 1.2, lower: 1.1, upper: 1.3),
            .init(label: "nothing", estimate: .nan, lower: .nan, upper: .nan),
        ])
        let contents = try #require(SVGContents.parse(plot.svg))
        #expect(contents.groupClasses.filter { $0 == "row" }.count == 3)
        for text in ["ppo", "x<y", "nothing", "n/a", "random", "oracle", "normalized score (IQM)", "0.0", "1.0"] {
            #expect(contents.texts.contains(text))
        }
        #expect(contents.elementCounts["circle"] == 2)
    }
}
