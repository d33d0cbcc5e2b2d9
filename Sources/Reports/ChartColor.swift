/// A series colour from the Okabe-Ito palette, which stays distinguishable for the common kinds of colour blindness
/// and in greyscale print; grey is kept for reference lines and baselines.
public enum ChartColor: String, Sendable, CaseIterable {
    case blue = "#0072B2"
    case vermillion = "#D55E00"
    case bluishGreen = "#009E73"
    case reddishPurple = "#CC79A7"
    case orange = "#E69F00"
    case skyBlue = "#56B4E9"
    case black = "#000000"
    case grey = "#999999"

    /// The order in which series without a colour of their own are painted: the model blue, the rules vermillion,
    /// then the others.
    public static let palette: [ChartColor] = [.blue, .vermillion, .bluishGreen, .reddishPurple, .orange, .skyBlue, .black]

    /// The hex code written into the SVG.
    public var hex: String { rawValue }
}
