/// A line chart written as a standalone SVG 1.1 file: title, subtitle and caveat, axes (linear or log) with light grid
/// lines, series as lines with optional markers and intervals, dashed grey reference lines and a legend inside the plot
/// area. The same chart always gives the same bytes (fixed decimals, no dates, no random ids), so reports can be diffed
/// and tested.
public struct LineChart: Sendable, Equatable {
    /// Which corner of the plot area holds the legend; pick the one the curves leave empty.
    public enum LegendPosition: Sendable, Equatable { case topLeft, topRight, bottomLeft, bottomRight }

    public var title: String
    /// One line under the title saying how to read the chart.
    public var subtitle: String?
    /// One line under the subtitle, in bold red, for what the reader must know before trusting the chart at all (that
    /// it was measured on the leads the model was trained on, say); it travels with the chart wherever it is shown.
    public var caveat: String?
    public var xAxis: ChartAxis
    public var yAxis: ChartAxis
    /// Drawn so that the first series ends up on top, since it is usually the one the chart is about.
    public var series: [ChartSeries]
    public var referenceLines: [ChartReferenceLine]
    public var legendPosition: LegendPosition
    /// One line under the x axis, for what the chart leaves out or how its markers are sized.
    public var note: String?
    /// Canvas size in pixels.
    public var width: Int
    public var height: Int

    public init(title: String, subtitle: String? = nil, caveat: String? = nil, xAxis: ChartAxis, yAxis: ChartAxis,
                series: [ChartSeries], referenceLines: [ChartReferenceLine] = [], legendPosition: LegendPosition = .bottomRight,
                note: String? = nil, width: Int = 640, height: Int = 480) {
        self.title = title
        self.subtitle = subtitle
        self.caveat = caveat
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
        self.referenceLines = referenceLines
        self.legendPosition = legendPosition
        self.note = note
        self.width = width
        self.height = height
    }

    /// The id of the clip path that keeps the curves inside the plot area.
    static let clipID = "plot-area-clip"
    /// How far, in pixels, lines and markers may reach past the plot area, so that a curve running along an edge
    /// (a ROC curve starting up the y axis) is not cut in half.
    static let clipMargin = 6.0

    /// The chart as a standalone SVG document.
    public func svg() -> String {
        let frame = plotFrame()
        var lines: [String] = []
        lines.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        lines.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\">")
        lines.append(SVGMarkup.element("title", [], content: SVGMarkup.escape(title)))
        let m = Self.clipMargin
        lines.append("<defs>" + SVGMarkup.element("clipPath", [("id", Self.clipID)], content: SVGMarkup.element("rect", [
            ("x", SVGMarkup.number(frame.left - m)), ("y", SVGMarkup.number(frame.top - m)),
            ("width", SVGMarkup.number(frame.width + 2 * m)), ("height", SVGMarkup.number(frame.height + 2 * m)),
        ])) + "</defs>")
        lines.append(SVGMarkup.element("rect", [("width", "100%"), ("height", "100%"), ("fill", "#FFFFFF")]))
        lines += headerLines()
        lines += axisLines(frame)
        lines += dataLines(frame)
        lines += legendLines(frame)
        if let note, !note.isEmpty {
            lines.append(SVGMarkup.text(note, x: frame.left, y: Double(height) - 14, [("fill", "#555555")]))
        }
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The plot area: room above for the title, subtitle and caveat, left for the y tick labels and axis label, below
    /// for the x tick labels, axis label and note.
    func plotFrame() -> PlotFrame {
        let header = headerLayout()
        let top = 50.0 + (header.subtitle.isEmpty ? 0 : 20 + Self.lineStep * Double(header.subtitle.count - 1))
            + (header.caveat.isEmpty ? 0 : 21 + Self.lineStep * Double(header.caveat.count - 1))
        let bottom = Double(height) - (note?.isEmpty == false ? 78 : 58)
        return PlotFrame(left: 76, top: top, right: Double(width) - 24, bottom: max(bottom, top + 1), xAxis: xAxis, yAxis: yAxis)
    }

    /// How far apart the lines of a wrapped subtitle or caveat are.
    static let lineStep = 16.0
    /// The smallest font of the header: a subtitle or caveat that does not fit at it is wrapped instead.
    static let smallestHeaderFont = 12.0

    /// The subtitle's and the caveat's lines: each on one line, or wrapped at spaces where it does not fit the width
    /// even at the smallest font (a chart drawn on a narrow canvas).
    func headerLayout() -> (subtitle: [String], caveat: [String]) {
        let available = Double(width) - 32
        func lines(_ text: String?, bold: Bool) -> [String] {
            guard let text, !text.isEmpty else { return [] }
            func fits(_ line: String) -> Bool {
                SVGMarkup.estimatedWidth(line, fontSize: Self.smallestHeaderFont) * (bold ? 1.1 : 1) <= available
            }
            if fits(text) { return [text] }
            var result: [String] = [], line = ""
            for word in text.split(separator: " ", omittingEmptySubsequences: false) {
                let longer = line.isEmpty ? String(word) : line + " " + word
                if line.isEmpty || fits(longer) { line = longer } else { result.append(line); line = String(word) }
            }
            return result + [line]
        }
        return (lines(subtitle, bold: false), lines(caveat, bold: true))
    }

    /// Title, subtitle and caveat, their font shrunk (not below 12px) when the text would not fit the width, and a
    /// subtitle or caveat wrapped when it would not fit at 12px either.
    private func headerLines() -> [String] {
        let available = Double(width) - 32
        func size(_ text: String, _ preferred: Double, bold: Bool) -> String {
            let needed = SVGMarkup.estimatedWidth(text, fontSize: preferred) * (bold ? 1.1 : 1)
            return String(Int(max(Self.smallestHeaderFont, min(preferred, (preferred * available / needed).rounded(.down)))))
        }
        var lines = [SVGMarkup.text(title, x: 16, y: 30, [("font-size", size(title, 18, bold: true)), ("font-weight", "bold"), ("fill", "#222222")])]
        let header = headerLayout()
        var y = 51.0
        for line in header.subtitle {
            let font = header.subtitle.count == 1 ? size(line, 13, bold: false) : String(Int(Self.smallestHeaderFont))
            lines.append(SVGMarkup.text(line, x: 16, y: y, [("font-size", font), ("fill", "#555555")]))
            y += Self.lineStep
        }
        if !header.subtitle.isEmpty { y += 21 - Self.lineStep }
        for line in header.caveat {
            let font = header.caveat.count == 1 ? size(line, 13, bold: true) : String(Int(Self.smallestHeaderFont))
            lines.append(SVGMarkup.text(line, x: 16, y: y, [
                ("class", "caveat"), ("font-size", font), ("font-weight", "bold"), ("fill", "#A50F15"),
            ]))
            y += Self.lineStep
        }
        return lines
    }

    /// Grid, axis lines, ticks and their labels, and the two axis titles.
    private func axisLines(_ frame: PlotFrame) -> [String] {
        let n = SVGMarkup.number
        var grid: [String] = [], ticks: [String] = [], labels: [String] = []
        for (t, label) in zip(xAxis.ticks, xAxis.tickLabels()) where xAxis.range.contains(t) {
            let x = frame.mapX(t)
            grid.append(SVGMarkup.element("line", [("x1", n(x)), ("y1", n(frame.top)), ("x2", n(x)), ("y2", n(frame.bottom))]))
            ticks.append(SVGMarkup.element("line", [("x1", n(x)), ("y1", n(frame.bottom)), ("x2", n(x)), ("y2", n(frame.bottom + 5))]))
            labels.append(SVGMarkup.text(label, x: x, y: frame.bottom + 20, [("text-anchor", "middle")]))
        }
        for (t, label) in zip(yAxis.ticks, yAxis.tickLabels()) where yAxis.range.contains(t) {
            let y = frame.mapY(t)
            grid.append(SVGMarkup.element("line", [("x1", n(frame.left)), ("y1", n(y)), ("x2", n(frame.right)), ("y2", n(y))]))
            ticks.append(SVGMarkup.element("line", [("x1", n(frame.left - 5)), ("y1", n(y)), ("x2", n(frame.left)), ("y2", n(y))]))
            labels.append(SVGMarkup.text(label, x: frame.left - 9, y: y + 4, [("text-anchor", "end")]))
        }
        var lines: [String] = []
        lines.append(SVGMarkup.element("rect", [
            ("class", "plot-area"), ("x", n(frame.left)), ("y", n(frame.top)), ("width", n(frame.width)),
            ("height", n(frame.height)), ("fill", "none"), ("stroke", "#D9D9D9"),
        ]))
        lines.append(SVGMarkup.element("g", [("class", "grid"), ("stroke", "#E8E8E8"), ("stroke-width", "1")], content: grid.joined()))
        lines.append(SVGMarkup.element("g", [("class", "axes"), ("stroke", "#444444"), ("stroke-width", "1")], content:
            SVGMarkup.element("line", [("x1", n(frame.left)), ("y1", n(frame.top)), ("x2", n(frame.left)), ("y2", n(frame.bottom))])
            + SVGMarkup.element("line", [("x1", n(frame.left)), ("y1", n(frame.bottom)), ("x2", n(frame.right)), ("y2", n(frame.bottom))])
            + ticks.joined()))
        lines.append(SVGMarkup.element("g", [("class", "tick-labels"), ("fill", "#444444")], content: labels.joined()))
        lines.append(SVGMarkup.text(xAxis.label, x: frame.left + frame.width / 2, y: frame.bottom + 42,
                                    [("text-anchor", "middle"), ("font-size", "14"), ("fill", "#222222")]))
        let yLabelX = 22.0, yLabelY = frame.top + frame.height / 2
        lines.append(SVGMarkup.text(yAxis.label, x: yLabelX, y: yLabelY, [
            ("text-anchor", "middle"), ("font-size", "14"), ("fill", "#222222"),
            ("transform", "rotate(-90 \(n(yLabelX)) \(n(yLabelY)))"),
        ]))
        return lines
    }

    /// The colour of series `index`: its own, or the palette's in turn.
    func color(ofSeries index: Int) -> ChartColor {
        series[index].color ?? ChartColor.palette[index % ChartColor.palette.count]
    }

    /// Reference lines, then the series from last to first, all inside the clip path; or a "no data" note.
    private func dataLines(_ frame: PlotFrame) -> [String] {
        let n = SVGMarkup.number
        var body: [String] = []
        for line in referenceLines {
            let a = frame.map(line.from.x, line.from.y), b = frame.map(line.to.x, line.to.y)
            guard let cut = frame.clip(a, b, margin: Self.clipMargin) else { continue }
            body.append(SVGMarkup.element("line", [
                ("class", "reference"), ("x1", n(cut.a.x)), ("y1", n(cut.a.y)), ("x2", n(cut.b.x)), ("y2", n(cut.b.y)),
                ("stroke", ChartColor.grey.hex), ("stroke-width", "1.5"), ("stroke-dasharray", "6 4"),
            ]))
        }
        let maxWeight = series.flatMap(\.points).compactMap(\.weight).filter { $0.isFinite && $0 > 0 }.max()
        for index in series.indices.reversed() {
            let s = series[index], color = color(ofSeries: index).hex
            let d = pathData(s.points, frame)
            if !d.isEmpty {
                var attributes = [("class", "series"), ("d", d), ("fill", "none"), ("stroke", color), ("stroke-width", "2.5"),
                                  ("stroke-linejoin", "round"), ("stroke-linecap", "round")]
                if s.line == .dashed { attributes.append(("stroke-dasharray", "8 5")) }
                body.append(SVGMarkup.element("path", attributes))
            }
            let shown = s.points.compactMap { point -> (point: ChartPoint, at: (x: Double, y: Double))? in
                let p = frame.map(point.x, point.y)
                return point.x.isFinite && point.y.isFinite && p.x.isFinite && p.y.isFinite ? (point, p) : nil
            }
            guard s.markers || shown.count == 1 else { continue }
            for (point, p) in shown {
                guard frame.contains(p, margin: Self.clipMargin) else { continue }
                if let interval = point.yInterval {
                    // Ends beyond the axis (0 on a log scale) are cut at the plot area's edge.
                    let low = frame.mapY(interval.lowerBound), high = frame.mapY(interval.upperBound)
                    let from = low.isFinite ? min(low, frame.bottom + Self.clipMargin) : frame.bottom + Self.clipMargin
                    let to = high.isFinite ? max(high, frame.top - Self.clipMargin) : frame.top - Self.clipMargin
                    body.append(SVGMarkup.element("line", [("class", "interval"), ("x1", n(p.x)), ("y1", n(from)), ("x2", n(p.x)),
                                                           ("y2", n(to)), ("stroke", color), ("stroke-width", "1.5"), ("stroke-opacity", "0.6")]))
                }
                let radius: Double
                if let w = point.weight, let maxWeight, w.isFinite, w > 0 {
                    radius = max(2.5, 8 * (w / maxWeight).squareRoot())  // area, not radius, proportional to weight
                } else {
                    radius = 4
                }
                let attributes = point.hollow
                    ? [("class", "marker"), ("cx", n(p.x)), ("cy", n(p.y)), ("r", n(radius)), ("fill", "#FFFFFF"),
                       ("stroke", color), ("stroke-width", "2")]
                    : [("class", "marker"), ("cx", n(p.x)), ("cy", n(p.y)), ("r", n(radius)), ("fill", color),
                       ("fill-opacity", "0.85"), ("stroke", "#FFFFFF"), ("stroke-width", "1")]
                let tooltip = point.label.map { SVGMarkup.element("title", [], content: SVGMarkup.escape($0)) }
                body.append(SVGMarkup.element("circle", attributes, content: tooltip))
            }
        }
        var lines = [SVGMarkup.element("g", [("clip-path", "url(#\(Self.clipID))")], content: "\n" + body.joined(separator: "\n") + "\n")]
        if !series.contains(where: { $0.points.contains { $0.x.isFinite && $0.y.isFinite } }) {
            // On a white patch, since a reference diagonal runs through the middle.
            let cx = frame.left + frame.width / 2, cy = frame.top + frame.height / 2
            let half = SVGMarkup.estimatedWidth("no data", fontSize: 16) / 2 + 8
            lines.append(SVGMarkup.element("rect", [("x", SVGMarkup.number(cx - half)), ("y", SVGMarkup.number(cy - 17)),
                                                    ("width", SVGMarkup.number(2 * half)), ("height", "24"), ("fill", "#FFFFFF")]))
            lines.append(SVGMarkup.text("no data", x: cx, y: cy, [("text-anchor", "middle"), ("font-size", "16"), ("fill", "#777777")]))
        }
        return lines
    }

    /// SVG path data for the points: cut to the clip rectangle, broken at non-finite and hollow points (a hollow point
    /// is not where its value is, so no line may lead to it), and thinned so that points closer than half a pixel to
    /// the last one written are skipped (a ROC curve of 100,000 leads stays small).
    func pathData(_ points: [ChartPoint], _ frame: PlotFrame) -> String {
        let n = SVGMarkup.number
        var commands: [String] = []
        var previous: (x: Double, y: Double)? = nil  // the last mapped point, before clipping
        var current: (x: Double, y: Double)? = nil   // where the run drawn so far ends, written or pending
        var written: (x: Double, y: Double)? = nil   // the last point written
        var pending: (x: Double, y: Double)? = nil   // a point skipped as too close to `written`, written if the run ends
        func flush() {
            if let p = pending { commands.append("L\(n(p.x)) \(n(p.y))"); written = p; pending = nil }
        }
        for point in points {
            let p = frame.map(point.x, point.y)
            guard point.x.isFinite, point.y.isFinite, p.x.isFinite, p.y.isFinite, !point.hollow else {
                flush(); previous = nil; current = nil
                continue
            }
            defer { previous = p }
            guard let a = previous, let cut = frame.clip(a, p, margin: Self.clipMargin) else { continue }
            if current.map({ abs($0.x - cut.a.x) > 1e-9 || abs($0.y - cut.a.y) > 1e-9 }) ?? true {
                flush()
                commands.append("M\(n(cut.a.x)) \(n(cut.a.y))")
                written = cut.a
            }
            current = cut.b
            if let w = written, (cut.b.x - w.x) * (cut.b.x - w.x) + (cut.b.y - w.y) * (cut.b.y - w.y) < 0.25 {
                pending = cut.b
            } else {
                pending = nil
                commands.append("L\(n(cut.b.x)) \(n(cut.b.y))")
                written = cut.b
            }
        }
        flush()
        return commands.joined(separator: " ")
    }

    /// The legend box in the chosen corner: one row per series and per named reference line, sized to its text.
    private func legendLines(_ frame: PlotFrame) -> [String] {
        struct Entry { var name: String; var color: ChartColor; var dashed: Bool; var marker: Bool; var width: Double }
        var entries: [Entry] = []
        for (index, s) in series.enumerated() {
            let empty = !s.points.contains { $0.x.isFinite && $0.y.isFinite }
            entries.append(Entry(name: Self.shortened(s.name) + (empty ? " (no data)" : ""), color: color(ofSeries: index),
                                 dashed: s.line == .dashed, marker: s.markers || s.points.count == 1, width: 2.5))
        }
        for line in referenceLines {
            guard let name = line.name else { continue }
            entries.append(Entry(name: Self.shortened(name), color: .grey, dashed: true, marker: false, width: 1.5))
        }
        guard !entries.isEmpty else { return [] }
        let n = SVGMarkup.number
        let fontSize = 13.0, row = 20.0, sample = 26.0, pad = 10.0, inset = 10.0
        let textWidth = entries.map { SVGMarkup.estimatedWidth($0.name, fontSize: fontSize) }.max() ?? 0
        let boxWidth = pad + sample + 8 + textWidth + pad
        let boxHeight = 6 + Double(entries.count) * row + 4
        let left = legendPosition == .topLeft || legendPosition == .bottomLeft
        let top = legendPosition == .topLeft || legendPosition == .topRight
        let x = left ? frame.left + inset : frame.right - inset - boxWidth
        let y = top ? frame.top + inset : frame.bottom - inset - boxHeight
        var parts = [SVGMarkup.element("rect", [
            ("x", n(x)), ("y", n(y)), ("width", n(boxWidth)), ("height", n(boxHeight)), ("rx", "3"),
            ("fill", "#FFFFFF"), ("fill-opacity", "0.9"), ("stroke", "#CCCCCC"),
        ])]
        for (i, entry) in entries.enumerated() {
            let cy = y + 6 + Double(i) * row + row / 2
            var attributes = [("x1", n(x + pad)), ("y1", n(cy)), ("x2", n(x + pad + sample)), ("y2", n(cy)),
                              ("stroke", entry.color.hex), ("stroke-width", n(entry.width))]
            if entry.dashed { attributes.append(("stroke-dasharray", entry.width < 2 ? "6 4" : "8 5")) }
            parts.append(SVGMarkup.element("line", attributes))
            if entry.marker {
                parts.append(SVGMarkup.element("circle", [("cx", n(x + pad + sample / 2)), ("cy", n(cy)), ("r", "4"),
                                                          ("fill", entry.color.hex), ("stroke", "#FFFFFF"), ("stroke-width", "1")]))
            }
            parts.append(SVGMarkup.text(entry.name, x: x + pad + sample + 8, y: cy + 4.5, [("fill", "#222222")]))
        }
        return [SVGMarkup.element("g", [("class", "legend"), ("font-size", n(fontSize))], content: parts.joined())]
    }

    /// A legend name cut to 40 characters, so a long label from a user's file cannot push the legend across the plot.
    static func shortened(_ name: String) -> String {
        name.count <= 40 ? name : String(name.prefix(39)) + "…"
    }
}
