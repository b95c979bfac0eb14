extension Double {
    /// The value rounded to an integer with thousands separated by commas (`1267815.4` →
    /// `1,267,815`), as the rate tables print them.
    var groupedDigits: String {
        let value = Int(rounded())
        var digits = String(value.magnitude)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits = String(digits.dropLast(3))
        }
        groups.insert(digits, at: 0)
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }
}
