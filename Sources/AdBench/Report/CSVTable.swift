/// A CSV file of numbers with a header line, as the bench writes them: no quoting, every line the
/// header's number of fields, an empty field for a missing value (read as NaN).
struct CSVTable {
    let columns: [String]
    /// One array per column, in file order.
    let values: [[Double]]

    var rowCount: Int { values.first?.count ?? 0 }

    /// Parses `text`; the header must be exactly `expectedColumns`.
    init(parsing text: String, file: String, expectedColumns: [String]) throws(BenchReportError) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.first else { throw .malformedCSV(path: file, line: 1, reason: "the file is empty") }
        let names = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard names == expectedColumns else {
            throw .malformedCSV(path: file, line: 1, reason: "expected the header '\(expectedColumns.joined(separator: ","))', found '\(header)'")
        }
        var values = [[Double]](repeating: [], count: names.count)
        for (index, line) in lines.enumerated().dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == names.count else {
                throw .malformedCSV(path: file, line: index + 1, reason: "has \(fields.count) fields, the header has \(names.count)")
            }
            for (c, field) in fields.enumerated() {
                if field.isEmpty {
                    values[c].append(.nan)
                } else if let x = Double(field), x.isFinite {
                    values[c].append(x)
                } else {
                    throw .malformedCSV(path: file, line: index + 1, reason: "\(names[c]): '\(field)' is not a number")
                }
            }
        }
        self.columns = names
        self.values = values
    }

    /// The values of column `name` (which must be one of `columns`).
    func column(_ name: String) -> [Double] {
        values[columns.firstIndex(of: name)!]
    }
}
