/// Colours for series: the Okabe–Ito palette, distinguishable with the common forms of colour
/// blindness, without its yellow (too faint on white). Index `i` wraps around after seven; black
/// comes last, as it is also the colour of theory lines.
public enum Palette {
    public static let colors = [
        "#0072B2",  // blue
        "#D55E00",  // vermillion
        "#009E73",  // bluish green
        "#CC79A7",  // reddish purple
        "#E69F00",  // orange
        "#56B4E9",  // sky blue
        "#000000",  // black
    ]

    /// The colour of series `index` (wrapping around).
    public static func color(_ index: Int) -> String { colors[((index % colors.count) + colors.count) % colors.count] }

    /// Reference lines, axes and labels.
    public static let reference = "#555555"
    public static let axis = "#333333"
    public static let grid = "#e6e6e6"
}
