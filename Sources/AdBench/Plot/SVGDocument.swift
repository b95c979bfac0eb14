/// A small SVG document builder: elements are appended in drawing order, text and attribute values
/// are XML-escaped, and coordinates print with at most two decimals (deterministically), so the same
/// drawing always gives the same bytes.
public struct SVGDocument: Sendable {
    public let width: Double
    public let height: Double
    private var body: String = ""

    /// The font stack every text element uses.
    public static let fontFamily = "Helvetica, Arial, sans-serif"

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A coordinate or length: rounded to two decimals, trailing zeros dropped (`12`, `3.5`, `-0.25`).
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        var text = DecimalText.fixed(x, decimals: 2)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// Appends `<name attributes/>`, or `<name attributes>text</name>` when `text` is given.
    /// Attribute values and text are escaped here; pass them raw.
    public mutating func element(_ name: String, _ attributes: [(String, String)], text: String? = nil) {
        body += "<" + name
        for (key, value) in attributes { body += " " + key + "=\"" + XMLText.escaped(value) + "\"" }
        if let text {
            body += ">" + XMLText.escaped(text) + "</" + name + ">\n"
        } else {
            body += "/>\n"
        }
    }

    /// Opens a group (`<g>`); close it with ``closeGroup()``.
    public mutating func openGroup(_ attributes: [(String, String)] = []) {
        body += "<g"
        for (key, value) in attributes { body += " " + key + "=\"" + XMLText.escaped(value) + "\"" }
        body += ">\n"
    }

    public mutating func closeGroup() { body += "</g>\n" }

    // MARK: Shapes

    public mutating func line(
        from start: (x: Double, y: Double), to end: (x: Double, y: Double), stroke: String, width: Double = 1, dash: String? = nil
    ) {
        var attributes = [
            ("x1", Self.number(start.x)), ("y1", Self.number(start.y)), ("x2", Self.number(end.x)), ("y2", Self.number(end.y)),
            ("stroke", stroke), ("stroke-width", Self.number(width)),
        ]
        if let dash { attributes.append(("stroke-dasharray", dash)) }
        element("line", attributes)
    }

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil) {
        var attributes = [
            ("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(width)), ("height", Self.number(height)), ("fill", fill),
        ]
        if let stroke { attributes.append(("stroke", stroke)) }
        element("rect", attributes)
    }

    public mutating func circle(x: Double, y: Double, radius: Double, fill: String, stroke: String? = nil) {
        var attributes = [("cx", Self.number(x)), ("cy", Self.number(y)), ("r", Self.number(radius)), ("fill", fill)]
        if let stroke { attributes += [("stroke", stroke), ("stroke-width", "1.5")] }
        element("circle", attributes)
    }

    /// An open polyline through `points` (no element for fewer than two points).
    public mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 2, dash: String? = nil) {
        guard points.count >= 2 else { return }
        var attributes = [
            ("points", Self.pointList(points)), ("fill", "none"), ("stroke", stroke), ("stroke-width", Self.number(width)),
            ("stroke-linejoin", "round"), ("stroke-linecap", "round"),
        ]
        if let dash { attributes.append(("stroke-dasharray", dash)) }
        element("polyline", attributes)
    }

    /// A filled closed polygon (no element for fewer than three points).
    public mutating func polygon(_ points: [(x: Double, y: Double)], fill: String, opacity: Double) {
        guard points.count >= 3 else { return }
        element("polygon", [("points", Self.pointList(points)), ("fill", fill), ("fill-opacity", Self.number(opacity)), ("stroke", "none")])
    }

    /// How a text element is placed relative to its anchor point.
    public enum Anchor: String, Sendable {
        case start, middle, end
    }

    /// A text element at (x, y) (the baseline), optionally rotated about that point by `rotation`
    /// degrees.
    public mutating func text(
        _ string: String, x: Double, y: Double, size: Double, anchor: Anchor = .start, fill: String = "#222222",
        bold: Bool = false, rotation: Double? = nil, halo: Bool = false
    ) {
        var attributes = [
            ("x", Self.number(x)), ("y", Self.number(y)), ("font-size", Self.number(size)), ("text-anchor", anchor.rawValue),
            ("fill", fill),
        ]
        if bold { attributes.append(("font-weight", "bold")) }
        if let rotation { attributes.append(("transform", "rotate(\(Self.number(rotation)) \(Self.number(x)) \(Self.number(y)))")) }
        if halo { attributes += [("stroke", "#ffffff"), ("stroke-width", "3"), ("paint-order", "stroke"), ("stroke-linejoin", "round")] }
        element("text", attributes, text: string)
    }

    /// The complete document, with an XML declaration and a white background.
    public var xml: String {
        let w = Self.number(width), h = Self.number(height)
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\""
            + " font-family=\"\(Self.fontFamily)\">\n"
            + "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
            + body + "</svg>\n"
    }

    /// A rough width of `text` in pixels at font size `size` (0.6 em per character, a little more
    /// than Helvetica's average, so layouts err on the roomy side).
    public static func estimatedWidth(of text: String, size: Double) -> Double {
        Double(text.count) * size * 0.6
    }

    private static func pointList(_ points: [(x: Double, y: Double)]) -> String {
        points.map { number($0.x) + "," + number($0.y) }.joined(separator: " ")
    }
}
