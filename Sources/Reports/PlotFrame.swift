/// Where the plot area sits on the canvas and how data units map into it (linearly, or by logarithm on a log axis);
/// y grows upwards in the data and downwards in SVG.
struct PlotFrame: Sendable {
    var left: Double, top: Double, right: Double, bottom: Double
    var xAxis: ChartAxis, yAxis: ChartAxis

    var width: Double { right - left }
    var height: Double { bottom - top }

    /// Canvas position of a data point; not finite for a value its axis cannot show (zero on a log axis).
    func map(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        (mapX(x), mapY(y))
    }

    func mapX(_ x: Double) -> Double { left + xAxis.fraction(x) * width }
    func mapY(_ y: Double) -> Double { bottom - yAxis.fraction(y) * height }

    /// The part of segment a-b inside the rectangle grown by `margin` pixels (Liang-Barsky), or `nil` when it misses;
    /// cutting the geometry here keeps far-away points from writing huge coordinates, and keeps the visible piece
    /// of the segment pointing the right way.
    func clip(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double), margin: Double)
        -> (a: (x: Double, y: Double), b: (x: Double, y: Double))?
    {
        let dx = b.x - a.x, dy = b.y - a.y
        var t0 = 0.0, t1 = 1.0
        let edges: [(p: Double, q: Double)] = [
            (-dx, a.x - (left - margin)), (dx, (right + margin) - a.x),
            (-dy, a.y - (top - margin)), (dy, (bottom + margin) - a.y),
        ]
        for (p, q) in edges {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let t = q / p
                if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
                if t0 > t1 { return nil }
            }
        }
        return ((a.x + t0 * dx, a.y + t0 * dy), (a.x + t1 * dx, a.y + t1 * dy))
    }

    /// Whether a canvas position lies inside the rectangle grown by `margin` pixels.
    func contains(_ p: (x: Double, y: Double), margin: Double) -> Bool {
        p.x >= left - margin && p.x <= right + margin && p.y >= top - margin && p.y <= bottom + margin
    }
}
