import Foundation
import Reports
import Testing

@Suite struct ComparisonChartsTests {
    static func calibration(_ bins: [(predicted: Double, leads: Int, conversions: Int)]) -> LineChart {
        ComparisonCharts.calibration(series: [(name: "model", bins: bins)])
    }

    /// The model's calibration markers of the demo chart, as drawn: centres in pixels, and the plot area.
    static func demoCalibrationMarkers() throws -> (markers: [SVGDocument.Element], area: (x: Double, y: Double, width: Double, height: Double)) {
        let doc = try #require(SVGDocument(DemoCharts.charts().calibration.svg()))
        let blue = doc.all("circle", class: "marker").filter { $0.attributes["fill"] == "#0072B2" || $0.attributes["stroke"] == "#0072B2" }
        return (blue, try LineChartTests.plotArea(doc))
    }

    @Test func calibrationAxesAreLogScalesFromTheSmallestToTheLargestRate() {
        // 0.1% predicted to 38% predicted; intervals do not count (31 of 100 reaches about 40%; 1 of 3 about 80%).
        let chart = Self.calibration([(0.001, 1000, 3), (0.38, 100, 31), (0.3, 3, 1)])
        #expect(chart.xAxis.scale == .log && chart.yAxis.scale == .log)
        #expect(chart.xAxis.range == 0.001...0.5)
        #expect(chart.yAxis.range == chart.xAxis.range, "the same range on both axes, so the diagonal is at 45 degrees")
        #expect(chart.xAxis.tickLabels() == ["0.1%", "0.2%", "0.5%", "1%", "2%", "5%", "10%", "20%", "50%"])
        #expect(Self.calibration([(0.2, 100, 10), (0.9, 100, 70)]).xAxis.range == 0.1...1)
        #expect(Self.calibration([(1e-7, 1000, 1)]).xAxis.range.lowerBound == 0.0001, "no lower than 0.01%")
        #expect(Self.calibration([]).xAxis.range == 0.01...1)
    }

    /// The demo leads convert at about 6%, like the sample: on a linear axis most of the ten equal-count bins sat within
    /// the first tenth of the plot's width. On the log scale they must spread across it, each clearly apart.
    @Test func aLowBaseRateSpreadsTheBinsAcrossTheChart() throws {
        let labels = DemoCharts.leads.map(\.converted)
        let baseRate = Double(labels.filter { $0 }.count) / Double(labels.count)
        #expect(baseRate > 0.03 && baseRate < 0.09, "base rate \(baseRate)")
        let (markers, area) = try Self.demoCalibrationMarkers()
        #expect(markers.count == 10)
        let xs = markers.compactMap { $0.number("cx") }.sorted()
        let columns = Set(xs.map { Int((($0 - area.x) / area.width * 10).rounded(.down)) })
        #expect(columns.count >= 7, "the ten bins fall into \(columns.count) of ten columns of the plot: \(xs)")
        let gaps = zip(xs.dropFirst(), xs).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 >= 12 }, "neighbouring bins at least 12 pixels apart: \(gaps)")
        #expect(xs.filter { $0 < area.x + area.width / 5 }.count <= 2, "at most two bins in the leftmost fifth: \(xs)")
    }

    @Test func everyCalibrationMarkerHasTheSameSizeAndAnInterval() throws {
        let doc = try #require(SVGDocument(DemoCharts.charts().calibration.svg()))
        let markers = doc.all("circle", class: "marker")
        #expect(markers.count > 10)
        #expect(Set(markers.compactMap { $0.attributes["r"] }).count == 1, "one size: equal-count bins leave a size nothing to say")
        #expect(doc.all("line", class: "interval").count == markers.count)
        #expect(!doc.all("text").contains { $0.text.contains("proportional") })
        #expect(doc.all("text").contains { $0.text.contains("95% intervals") })
        #expect(doc.all("line", class: "reference").count == 1)
    }

    @Test func aBinWithoutConversionsIsARingOnTheBottomEdge() throws {
        let chart = Self.calibration([(0.002, 300, 0), (0.01, 300, 2), (0.05, 300, 16), (0.3, 300, 95)])
        let doc = try #require(SVGDocument(chart.svg()))
        let area = try LineChartTests.plotArea(doc)
        let markers = doc.all("circle", class: "marker")
        #expect(markers.count == 4)
        let rings = markers.filter { $0.attributes["fill"] == "#FFFFFF" }
        #expect(rings.count == 1)
        let ring = try #require(rings.first)
        #expect(abs(try #require(ring.number("cy")) - (area.y + area.height)) < 0.01, "drawn on the bottom edge")
        #expect(doc.all("title").contains { $0.text == "predicted 0.20%, observed 0.00%: 0 of 300 leads" })
        #expect(doc.all("text").contains { $0.text.contains("rings: 0% or off the scale") })
        // No line leads to the ring: the path starts at the second bin.
        let d = try #require(doc.all("path", class: "series").first?.attributes["d"])
        #expect(d.filter { $0 == "M" }.count == 1)
        #expect(LineChartTests.coordinates(d).count == 3)
        // Without such a bin, no ring and no word of rings.
        let full = try #require(SVGDocument(Self.calibration([(0.01, 300, 2), (0.05, 300, 16)]).svg()))
        #expect(!full.all("circle", class: "marker").contains { $0.attributes["fill"] == "#FFFFFF" })
        #expect(!full.all("text").contains { $0.text.contains("rings") })
    }

    @Test func observedRatesCarryTheirWilsonInterval() throws {
        // 0 of 300: the interval runs from 0 to z^2 / (n + z^2); 150 of 300: symmetric about one half.
        let z2 = 1.959963984540054 * 1.959963984540054
        let chart = Self.calibration([(0.01, 300, 0), (0.5, 300, 150)])
        let intervals = chart.series[0].points.compactMap(\.yInterval)
        #expect(intervals.count == 2)
        #expect(intervals[0].lowerBound == 0 && abs(intervals[0].upperBound - z2 / (300 + z2)) < 1e-12)
        #expect(abs(intervals[1].lowerBound + intervals[1].upperBound - 1) < 1e-12)
        #expect(abs(intervals[1].upperBound - 0.5560) < 5e-4)
    }

    @Test func logAxesGiveEqualRatiosEqualLengths() {
        let axis = ChartAxis(label: "", range: 0.001...1, scale: .log)
        #expect(abs(axis.fraction(0.01) - 1.0 / 3) < 1e-12 && abs(axis.fraction(0.1) - 2.0 / 3) < 1e-12)
        #expect(axis.fraction(0.001) == 0 && axis.fraction(1) == 1)
        #expect(axis.fraction(0).isNaN && axis.fraction(-1).isNaN, "no place for 0 on a log scale")
        #expect(ChartAxis.logTicks(0.0001...1) == [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1], "1-3 steps over four decades")
        #expect(ChartAxis.logTicks(0.00001...1) == [0.00001, 0.0001, 0.001, 0.01, 0.1, 1], "powers of ten over five or more")
        #expect(ChartAxis.oneTwoFiveBelow(0.0013) == 0.001 && ChartAxis.oneTwoFiveAbove(0.38) == 0.5)
        #expect(ChartAxis.oneTwoFiveBelow(0.03) == 0.02 && ChartAxis.oneTwoFiveAbove(0.05) == 0.05)
    }

    /// A chart given a caveat shows it in its header, whatever kind of chart it is; without one, there is no such line.
    @Test func aCaveatIsALineOfEveryChartHeader() throws {
        let caveat = "Measured on the training leads."
        let with = DemoCharts.charts(caveat: caveat), without = DemoCharts.charts()
        for (chart, plain) in [(with.roc, without.roc), (with.gains, without.gains), (with.calibration, without.calibration)] {
            let doc = try #require(SVGDocument(chart.svg()))
            let line = try #require(doc.all("text", class: "caveat").first, "\(chart.title) has no caveat line")
            #expect(line.text == caveat)
            #expect(line.attributes["font-weight"] == "bold")
            // Between the subtitle and the plot area.
            let area = try LineChartTests.plotArea(doc)
            let y = try #require(line.number("y"))
            #expect(y > 51 && y < area.y)
            let plainDoc = try #require(SVGDocument(plain.svg()))
            #expect(plainDoc.all("text", class: "caveat").isEmpty)
            #expect(!plain.svg().contains(caveat))
        }
    }

    @Test func gainsAddsThePerfectCurveOnlyWithABaseRate() throws {
        let series = [(name: "model", points: [(x: 0.0, y: 0.0), (0.5, 0.9), (1, 1)])]
        let without = try #require(SVGDocument(ComparisonCharts.gains(series: series).svg()))
        #expect(without.all("path", class: "series").count == 1)
        let with = try #require(SVGDocument(ComparisonCharts.gains(series: series, baseRate: 0.06).svg()))
        let paths = with.all("path", class: "series")
        #expect(paths.count == 2)
        #expect(paths.contains { $0.attributes["stroke"] == "#999999" && $0.attributes["stroke-dasharray"] != nil })
        #expect(with.all("text").contains { $0.text == "perfect score" })
    }

    @Test func legendsSitWhereTheCurvesAreNot() throws {
        let (roc, gains, calibration) = DemoCharts.charts()
        #expect(roc.legendPosition == .bottomRight)
        #expect(gains.legendPosition == .bottomRight)
        #expect(calibration.legendPosition == .topLeft)
    }
}
