import Foundation
import FoundationXML

/// Collects what an SVG document holds, parsing it as XML.
final class SVGContents: NSObject, XMLParserDelegate {
    private(set) var elementCounts: [String: Int] = [:]
    private(set) var texts: [String] = []
    private(set) var groupClasses: [String] = []
    private var currentText: String?

    /// Parses `xml`; `nil` if it is not well-formed.
    static func parse(_ xml: String) -> SVGContents? {
        let contents = SVGContents()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = contents
        return parser.parse() ? contents : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elementCounts[name, default: 0] += 1
        if name == "text" { currentText = "" }
        if name == "g", let c = attributes["class"] { groupClasses.append(c) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { currentText? += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let text = currentText {
            texts.append(text)
            currentText = nil
        }
    }
}
