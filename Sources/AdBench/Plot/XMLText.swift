/// Escaping text for XML character data and attribute values.
enum XMLText {
    /// `text` with `& < > " '` replaced by entities and control characters other than tab and
    /// newline (not allowed in XML 1.0) replaced by U+FFFD.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case let c where c.value < 0x20 || (0xFFFE...0xFFFF).contains(c.value): out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
