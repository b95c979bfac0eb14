import AdEnv

/// How the report prints numbers and cells: deterministic, compact, "—" for a missing value.
enum ReportText {
    static let missing = "—"

    /// The decimals that show about four significant digits of the largest of `values`.
    static func decimals(for values: [Double]) -> Int {
        let largest = values.filter(\.isFinite).map(abs).max() ?? 0
        return min(DecimalText.decimals(forMagnitude: largest, significantDigits: 4), 4)
    }

    static func number(_ x: Double?, decimals: Int) -> String {
        guard let x, x.isFinite else { return missing }
        return DecimalText.fixed(x, decimals: decimals)
    }

    /// `estimate [lower, upper]`.
    static func interval(_ ci: ConfidenceInterval?, decimals: Int) -> String {
        guard let ci, ci.estimate.isFinite else { return missing }
        guard ci.lower.isFinite, ci.upper.isFinite else { return number(ci.estimate, decimals: decimals) }
        return "\(number(ci.estimate, decimals: decimals)) [\(number(ci.lower, decimals: decimals)), \(number(ci.upper, decimals: decimals))]"
    }

    /// `mean ± half-width` (the half-width left out for a single value).
    static func plusMinus(_ summary: Summary?, decimals: Int) -> String {
        guard let summary else { return missing }
        guard summary.halfWidth95.isFinite else { return number(summary.mean, decimals: decimals) }
        return "\(number(summary.mean, decimals: decimals)) ± \(number(summary.halfWidth95, decimals: decimals))"
    }

    /// A rate with three significant digits and a k/M/G suffix: `512`, `45.6k`, `1.23M`.
    static func rate(_ x: Double?) -> String {
        guard let x, x.isFinite, x >= 0 else { return missing }
        for (scale, suffix) in [(1e9, "G"), (1e6, "M"), (1e3, "k")] where x >= scale * 0.9995 {
            return DecimalText.significant(x / scale, digits: 3) + suffix
        }
        return DecimalText.significant(x, digits: 3)
    }

    /// Seeds as a range when consecutive (`0–49`), else listed.
    static func seeds(_ seeds: [Int]) -> String {
        guard let first = seeds.first, let last = seeds.last else { return "none" }
        if seeds.count > 2, seeds == Array(first...max(first, last)) { return "\(first)–\(last)" }
        return seeds.map(String.init).joined(separator: ", ")
    }

    /// A markdown table cell: pipes escaped, line breaks flattened.
    static func cell(_ text: String) -> String {
        text.replacing("|", with: "\\|").replacing("\n", with: " ")
    }

    /// A markdown table from a header and rows.
    static func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        var text = "| " + header.map(cell).joined(separator: " | ") + " |\n"
        text += "|" + header.indices.map { rightAligned.contains($0) ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for row in rows { text += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
        return text
    }

    /// Plain-text columns, each padded to its widest cell (the first left-aligned, the rest right).
    static func columns(_ rows: [[String]], indent: String = "  ") -> String {
        guard let count = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var text = ""
        for row in rows {
            var line = indent
            for (i, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                line += i == 0 ? cell + pad : "  " + pad + cell
            }
            while line.hasSuffix(" ") { line.removeLast() }
            text += line + "\n"
        }
        return text
    }
}
