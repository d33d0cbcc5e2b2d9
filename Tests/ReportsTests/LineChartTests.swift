import Foundation
import Reports
import Testing

@Suite struct LineChartTests {
    static func chart(_ series: [ChartSeries], x: ClosedRange<Double> = 0...1, y: ClosedRange<Double> = 0...1) -> LineChart {
        LineChart(title: "Test chart", subtitle: "a subtitle", xAxis: ChartAxis(label: "x", range: x),
                  yAxis: ChartAxis(label: "y", range: y), series: series, referenceLines: [.diagonal(name: "chance")],
                  note: "a note")
    }

    static func points(_ xy: [(Double, Double)]) -> [ChartPoint] { xy.map { ChartPoint(x: $0.0, y: $0.1) } }

    /// The plot area's rectangle as the SVG draws it.
    static func plotArea(_ doc: SVGDocument) throws -> (x: Double, y: Double, width: Double, height: Double) {
        let rect = try #require(doc.all("rect", class: "plot-area").first)
        return try (#require(rect.number("x")), #require(rect.number("y")), #require(rect.number("width")), #require(rect.number("height")))
    }

    /// The coordinates in a path's `d` attribute, in order.
    static func coordinates(_ d: String) -> [(x: Double, y: Double)] {
        let numbers = d.split(whereSeparator: { $0 == " " || $0 == "M" || $0 == "L" }).compactMap { Double($0) }
        return stride(from: 0, to: numbers.count - 1, by: 2).map { (numbers[$0], numbers[$0 + 1]) }
    }

    @Test func demoChartsAreWellFormedStandaloneSVG() throws {
        let (roc, gains, calibration) = DemoCharts.charts()
        for chart in [roc, gains, calibration] {
            let svg = chart.svg()
            #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
            let doc = try #require(SVGDocument(svg), "not well-formed XML")
            let root = try #require(doc.elements.first)
            #expect(root.name == "svg")
            #expect(root.attributes["version"] == "1.1")
            #expect(root.attributes["width"] == "640" && root.attributes["height"] == "480")
            #expect(root.attributes["viewBox"] == "0 0 640 480")
            #expect(root.attributes["font-family"] == "sans-serif")
        }
        if let directory = ProcessInfo.processInfo.environment["LEADSCORE_CHART_DIR"] {
            // For looking at the charts: LEADSCORE_CHART_DIR=/tmp/charts swift test --filter ReportsTests
            for (name, chart) in [("roc", roc), ("gains", gains), ("calibration", calibration)] {
                try chart.svg().write(toFile: directory + "/\(name).svg", atomically: true, encoding: .utf8)
            }
        }
    }

    @Test func everyFontSizeIsAtLeastTwelvePixels() throws {
        let (roc, gains, calibration) = DemoCharts.charts()
        for chart in [roc, gains, calibration] {
            let doc = try #require(SVGDocument(chart.svg()))
            let sizes = doc.elements.compactMap { $0.number("font-size") }
            #expect(!sizes.isEmpty)
            #expect(sizes.allSatisfy { $0 >= 12 })
        }
    }

    @Test func aSubtitleAndCaveatTooLongForANarrowCanvasAreWrappedAtSpacesAndThePlotMovesDown() throws {
        let subtitle = "How well each score puts converters above the rest: the higher the curve, the better."
        let caveat = "Measured on the leads the model was trained on: expect less on new leads."
        var chart = LineChart(title: "ROC curve", subtitle: subtitle, caveat: caveat, xAxis: ChartAxis(label: "x", range: 0...1),
                              yAxis: ChartAxis(label: "y", range: 0...1), series: [])
        let wide = try #require(SVGDocument(chart.svg()))
        (chart.width, chart.height) = (300, 380)
        let narrow = try #require(SVGDocument(chart.svg()))

        func header(_ doc: SVGDocument) -> [SVGDocument.Element] {
            doc.all("text").filter { $0.attributes["fill"] == "#555555" && $0.attributes["font-size"] != nil || $0.attributes["class"] == "caveat" }
        }
        // On 640 px each is one line, as before; on 300 px both wrap, every line at 12 px and inside the canvas.
        #expect(header(wide).map(\.text) == [subtitle, caveat])
        let lines = header(narrow)
        #expect(lines.count > 2)
        #expect(lines.map(\.text).joined(separator: " ") == subtitle + " " + caveat)
        #expect(lines.allSatisfy { $0.number("font-size") == 12 && $0.text.count < subtitle.count })
        let ys = lines.compactMap { $0.number("y") }
        #expect(ys == ys.sorted() && Set(ys).count == ys.count)
        // The plot starts below the last line.
        #expect(try Self.plotArea(narrow).y > ys.last! + 5)
        #expect(try Self.plotArea(narrow).y > Self.plotArea(wide).y)
    }

    @Test func drawsOnePathPerSeries() throws {
        let chart = Self.chart([
            ChartSeries(name: "model", points: Self.points([(0, 0), (0.1, 0.5), (1, 1)])),
            ChartSeries(name: "rules", points: Self.points([(0, 0), (0.3, 0.5), (1, 1)]), markers: true),
            ChartSeries(name: "other", points: Self.points([(0, 0), (1, 1)]), line: .dashed),
        ])
        let doc = try #require(SVGDocument(chart.svg()))
        let paths = doc.all("path", class: "series")
        #expect(paths.count == 3)
        #expect(doc.elements.filter { $0.name == "path" || $0.name == "polyline" }.count == 3)
        // Palette order: the first series blue, the second vermillion, the third green; only the third is dashed.
        #expect(Set(paths.compactMap { $0.attributes["stroke"] }) == ["#0072B2", "#D55E00", "#009E73"])
        #expect(paths.filter { $0.attributes["stroke-dasharray"] != nil }.map { $0.attributes["stroke"] } == ["#009E73"])
        // Markers only on the series that asked for them.
        #expect(doc.all("circle", class: "marker").count == 3)
        // The first series is drawn last, so it ends up on top.
        #expect(paths.last?.attributes["stroke"] == "#0072B2")
    }

    @Test func rocLegendShowsTheAUC() throws {
        let chart = ComparisonCharts.roc(series: [
            (name: "model", points: [(0, 0), (0.1, 0.6), (1, 1)], auc: 0.88441),
            (name: "rules", points: [(0, 0), (0.3, 0.6), (1, 1)], auc: 0.75),
            (name: "no auc", points: [(0, 0), (1, 1)], auc: nil),
        ])
        let doc = try #require(SVGDocument(chart.svg()))
        let legend = doc.elements.filter { $0.name == "text" && $0.ancestors.contains("g") }.map(\.text)
        #expect(legend.contains("model (AUC 0.884)"))
        #expect(legend.contains("rules (AUC 0.750)"))
        #expect(legend.contains("no auc"))
        #expect(legend.contains("chance (AUC 0.500)"))
        for label in ["0%", "20%", "40%", "60%", "80%", "100%"] {
            #expect(doc.all("text").filter { $0.text == label }.count == 2, "tick \(label) on both axes")
        }
    }

    @Test func escapesMarkupInNamesFromUserFiles() throws {
        let name = #"<b>Tom & "Jerry's"</b> ]]> <!--"#
        var chart = Self.chart([ChartSeries(name: name, points: Self.points([(0, 0), (1, 1)]))])
        chart.title = "A & B < C"
        chart.xAxis.label = "\"quoted\""
        let svg = chart.svg()
        #expect(svg.contains("&lt;b&gt;Tom &amp; &quot;Jerry&apos;s&quot;&lt;/b&gt; ]]&gt; &lt;!--"))
        #expect(!svg.contains("<b>"))
        let doc = try #require(SVGDocument(svg))
        #expect(doc.all("text").contains { $0.text == name })
        #expect(doc.all("text").contains { $0.text == "A & B < C" })
        #expect(doc.all("text").contains { $0.text == "\"quoted\"" })
    }

    @Test func controlCharactersInNamesDoNotBreakTheXML() throws {
        let chart = Self.chart([ChartSeries(name: "tab\there\u{1}bell\u{0}nul", points: Self.points([(0, 0), (1, 1)]))])
        #expect(SVGDocument(chart.svg()) != nil)
    }

    @Test func sameChartGivesTheSameBytes() {
        let a = DemoCharts.charts(), b = DemoCharts.charts()
        #expect(a.roc.svg() == b.roc.svg())
        #expect(a.roc.svg() == a.roc.svg())
        #expect(a.gains.svg() == b.gains.svg())
        #expect(a.calibration.svg() == b.calibration.svg())
    }

    @Test(arguments: [(0.0...1.0, 0.5), (0.0...0.2, 0.1), (-1.0...3.0, 1.0)])
    func middleOfTheRangeLandsInTheMiddleOfThePlotArea(range: ClosedRange<Double>, middle: Double) throws {
        let chart = Self.chart([ChartSeries(name: "one point", points: [ChartPoint(x: middle, y: middle)])], x: range, y: range)
        let doc = try #require(SVGDocument(chart.svg()))
        let area = try Self.plotArea(doc)
        let marker = try #require(doc.all("circle", class: "marker").first, "a single point gets a marker")
        let cx = try #require(marker.number("cx")), cy = try #require(marker.number("cy"))
        #expect(abs(cx - (area.x + area.width / 2)) < 0.01)
        #expect(abs(cy - (area.y + area.height / 2)) < 0.01)
        #expect(doc.all("path", class: "series").isEmpty)
    }

    @Test func corners_mapToThePlotAreaCorners_withYUp() throws {
        let chart = Self.chart([ChartSeries(name: "s", points: Self.points([(0, 0), (1, 1)]))])
        let doc = try #require(SVGDocument(chart.svg()))
        let area = try Self.plotArea(doc)
        let d = try #require(doc.all("path", class: "series").first?.attributes["d"])
        let xy = Self.coordinates(d)
        #expect(xy.count == 2)
        #expect(abs(xy[0].x - area.x) < 0.01 && abs(xy[0].y - (area.y + area.height)) < 0.01)
        #expect(abs(xy[1].x - (area.x + area.width)) < 0.01 && abs(xy[1].y - area.y) < 0.01)
    }

    @Test func pointsOutsideTheRangeAreClippedToThePlotArea() throws {
        let chart = Self.chart([
            ChartSeries(name: "runs off", points: Self.points([(0, 0), (0.5, 0.5), (2, 3), (1e300, -1e300)]), markers: true),
        ])
        let svg = chart.svg()
        let doc = try #require(SVGDocument(svg))
        // The curves are drawn inside a group clipped by a rectangle around the plot area.
        let clip = try #require(doc.all("clipPath").first)
        let id = try #require(clip.attributes["id"])
        let path = try #require(doc.all("path", class: "series").first)
        #expect(path.clipPaths == ["url(#\(id))"])
        let clipRect = try #require(doc.elements.first { $0.name == "rect" && $0.ancestors.last == "clipPath" })
        let area = try Self.plotArea(doc)
        let (cx, cy, cw, ch) = try (#require(clipRect.number("x")), #require(clipRect.number("y")),
                                    #require(clipRect.number("width")), #require(clipRect.number("height")))
        #expect(cx <= area.x && cy <= area.y && cx + cw >= area.x + area.width && cy + ch >= area.y + area.height)
        #expect(cw - area.width < 20, "the clip hugs the plot area")
        // The geometry itself stays inside the clip rectangle too, so no huge coordinates are written.
        let d = try #require(path.attributes["d"])
        let xy = Self.coordinates(d)
        #expect(xy.count >= 2)
        #expect(xy.allSatisfy { $0.x >= cx - 0.01 && $0.x <= cx + cw + 0.01 && $0.y >= cy - 0.01 && $0.y <= cy + ch + 0.01 })
        #expect(!svg.contains("e+"))
        // Markers only for the points in range.
        #expect(doc.all("circle", class: "marker").count == 2)
    }

    @Test func neverWritesNegativeZero() throws {
        let chart = Self.chart([
            ChartSeries(name: "tiny negatives", points: Self.points([(-0.0, -0.0), (-1e-9, -0.004), (0.5, -0.0), (1, 1)]), markers: true),
        ], x: -0.004...1, y: -0.0...1)
        let svg = chart.svg()
        #expect(!svg.contains("-0.00"))
        #expect(!svg.contains("-0%"))
        #expect(SVGDocument(svg) != nil)
    }

    @Test func emptyChartDrawsAxesAndSaysNoData() throws {
        for series in [[], [ChartSeries(name: "model", points: [])], [ChartSeries(name: "nan", points: Self.points([(.nan, 0.5)]))]] {
            let doc = try #require(SVGDocument(Self.chart(series).svg()))
            #expect(doc.all("text").contains { $0.text == "no data" })
            #expect(doc.all("path", class: "series").isEmpty)
            #expect(doc.all("rect", class: "plot-area").count == 1)
            #expect(doc.all("text").contains { $0.text == "100%" })
            if let name = series.first?.name {
                #expect(doc.all("text").contains { $0.text == "\(name) (no data)" })
            }
        }
        let withData = Self.chart([ChartSeries(name: "model", points: []), ChartSeries(name: "rules", points: Self.points([(0, 0), (1, 1)]))])
        let withDataDoc = try #require(SVGDocument(withData.svg()))
        #expect(!withDataDoc.all("text").contains { $0.text == "no data" })
    }

    @Test func nonFiniteValuesBreakTheLine() throws {
        let chart = Self.chart([ChartSeries(name: "gap", points: Self.points([(0, 0), (0.2, 0.2), (0.4, .nan), (0.6, 0.6), (1, 1)]))])
        let doc = try #require(SVGDocument(chart.svg()))
        let d = try #require(doc.all("path", class: "series").first?.attributes["d"])
        #expect(d.filter { $0 == "M" }.count == 2)
        #expect(!d.contains("nan") && !d.contains("inf"))
    }

    @Test func longCurvesAreThinnedButKeepTheirEnds() throws {
        let n = 100_000
        let points = (0...n).map { i -> ChartPoint in
            let x = Double(i) / Double(n)
            return ChartPoint(x: x, y: x.squareRoot())
        }
        let chart = Self.chart([ChartSeries(name: "big", points: points)])
        let doc = try #require(SVGDocument(chart.svg()))
        let area = try Self.plotArea(doc)
        let d = try #require(doc.all("path", class: "series").first?.attributes["d"])
        let xy = Self.coordinates(d)
        #expect(xy.count < 3000)
        let last = try #require(xy.last)
        #expect(abs(last.x - (area.x + area.width)) < 0.01 && abs(last.y - area.y) < 0.01)
    }

    @Test func markerAreasAreProportionalToTheirWeights() throws {
        let points = [ChartPoint(x: 0.1, y: 0.1, weight: 100), ChartPoint(x: 0.5, y: 0.5, weight: 400), ChartPoint(x: 0.9, y: 0.9, weight: 1600)]
        let doc = try #require(SVGDocument(Self.chart([ChartSeries(name: "weighted", points: points, markers: true)]).svg()))
        let radii = doc.all("circle", class: "marker").compactMap { $0.number("r") }.sorted()
        #expect(radii.count == 3)
        // Four times the weight, twice the radius; the smallest stays visible.
        #expect(abs(radii[2] / radii[1] - 2) < 0.01)
        #expect(radii[0] >= 2.5 && radii[0] < radii[1])
    }

    /// Zero and negative values have no place on a log axis: they break the line and get no marker, and nothing
    /// non-finite reaches the SVG.
    @Test func aLogAxisLeavesOutWhatItCannotShow() throws {
        var chart = Self.chart([ChartSeries(name: "s", points: Self.points([(0.01, 0.01), (0.1, 0.1), (0.2, 0), (0.5, 0.5), (1, 1)]), markers: true)],
                               x: 0.01...1, y: 0.01...1)
        chart.xAxis.scale = .log
        chart.yAxis.scale = .log
        let svg = chart.svg()
        #expect(!svg.contains("nan") && !svg.contains("inf"))
        let doc = try #require(SVGDocument(svg))
        #expect(doc.all("circle", class: "marker").count == 4)
        let d = try #require(doc.all("path", class: "series").first?.attributes["d"])
        #expect(d.filter { $0 == "M" }.count == 2)
        // 0.1 sits halfway across two decades.
        let area = try Self.plotArea(doc)
        let xy = Self.coordinates(d)
        #expect(abs(xy[1].x - (area.x + area.width / 2)) < 0.01)
    }

    /// The same number of decimals on every tick of an axis, as few as keep the ticks exact.
    @Test func tickLabelsUseJustEnoughDecimals() {
        #expect(ChartAxis(label: "", range: 0...1).tickLabels() == ["0%", "20%", "40%", "60%", "80%", "100%"])
        #expect(ChartAxis(label: "", range: 0...0.1).tickLabels() == ["0%", "2%", "4%", "6%", "8%", "10%"])
        #expect(ChartAxis(label: "", range: 0...0.2).tickLabels() == ["0%", "5%", "10%", "15%", "20%"])
        #expect(ChartAxis(label: "", range: 0...0.5).tickLabels() == ["0%", "10%", "20%", "30%", "40%", "50%"])
        #expect(ChartAxis(label: "", range: 0...1, ticks: [0, 0.025, 0.05], format: .percent).tickLabels() == ["0.0%", "2.5%", "5.0%"])
        #expect(ChartAxis(label: "", range: 0...1, format: .number).tickLabels() == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        // A log axis writes each tick with its own decimals.
        #expect(ChartAxis(label: "", range: 0.0005...0.2, scale: .log).tickLabels() == ["0.05%", "0.1%", "0.2%", "0.5%", "1%", "2%", "5%", "10%", "20%"])
    }
}
