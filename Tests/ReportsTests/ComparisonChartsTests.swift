import Reports
import Testing

@Suite struct ComparisonChartsTests {
    static func calibration(_ points: [(x: Double, y: Double, count: Int)], maxAxis: Double? = nil) -> LineChart {
        ComparisonCharts.calibration(series: [(name: "model", points: points)], maxAxis: maxAxis)
    }

    @Test func calibrationAxesZoomToTheSmallestStepHoldingEveryPoint() {
        #expect(Self.calibration([(0.01, 0.02, 100), (0.06, 0.05, 100)]).xAxis.range == 0...0.1)
        #expect(Self.calibration([(0.01, 0.02, 100), (0.08, 0.11, 100)]).yAxis.range == 0...0.2)
        #expect(Self.calibration([(0.02, 0.03, 100), (0.38, 0.31, 100)]).xAxis.range == 0...0.5)
        #expect(Self.calibration([(0.2, 0.1, 100), (0.9, 0.7, 100)]).xAxis.range == 0...1)
        #expect(Self.calibration([]).xAxis.range == 0...0.1)
        #expect(Self.calibration([(0.02, 0.03, 100), (0.38, 0.31, 100)], maxAxis: 0.3).yAxis.range == 0...0.3)
        #expect(Self.calibration([(0.02, 0.03, 100)], maxAxis: 0).xAxis.range == 0...0.1, "a useless maximum is ignored")
    }

    @Test func calibrationMarkersAreSizedByBinCount() throws {
        let chart = Self.calibration([(0.01, 0.01, 100), (0.05, 0.06, 400), (0.09, 0.08, 1600)])
        let doc = try #require(SVGDocument(chart.svg()))
        let radii = doc.all("circle", class: "marker").compactMap { $0.number("r") }.sorted()
        #expect(radii.count == 3)
        // Area proportional to count: four times the leads, twice the radius; the smallest bin stays visible.
        #expect(abs(radii[2] / radii[1] - 2) < 0.01)
        #expect(radii[0] >= 2.5 && radii[0] < radii[1])
        #expect(doc.all("line", class: "reference").count == 1)
        #expect(doc.all("title").contains { $0.text == "predicted 9.0%, observed 8.0%, 1,600 leads" })
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
