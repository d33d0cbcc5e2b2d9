import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG file parsed with Foundation's XML parser into a flat list of elements, so tests can look at what a viewer
/// would see rather than at the text; parsing fails on anything that is not well-formed XML.
struct SVGDocument {
    struct Element {
        var name: String
        var attributes: [String: String]
        /// The text directly inside the element.
        var text: String
        /// Names of the enclosing elements, outermost first.
        var ancestors: [String]
        /// `clip-path` attributes of the enclosing elements.
        var clipPaths: [String]
    }

    var elements: [Element]

    /// Parses `svg`, or returns `nil` with the parser's error when it is not well-formed.
    init?(_ svg: String) {
        let collector = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        guard parser.parse(), collector.error == nil else { return nil }
        elements = collector.elements
    }

    func all(_ name: String, class className: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (className == nil || $0.attributes["class"] == className) }
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var open: [Int] = []
        var error: (any Error)?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let ancestors = open.map { elements[$0].name }
            let clips = open.compactMap { elements[$0].attributes["clip-path"] }
            elements.append(Element(name: elementName, attributes: attributes, text: "", ancestors: ancestors, clipPaths: clips))
            open.append(elements.count - 1)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let last = open.last { elements[last].text += string }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            error = parseError
        }
    }
}

extension SVGDocument.Element {
    func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
}
