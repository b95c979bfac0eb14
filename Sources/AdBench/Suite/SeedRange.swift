import AdEnv

/// Consecutive seeds `start..<start+count`: the runs of one scenario × agent cell.
public struct SeedRange: Sendable, Equatable {
    public var start: UInt64
    public var count: Int

    public init(start: UInt64, count: Int) {
        self.start = start
        self.count = count
    }

    /// The seeds in order.
    public var seeds: [UInt64] { (0..<count).map { start + UInt64($0) } }

    /// Parses `A..B` (both included, `0..9` is ten seeds) or a single seed `A`.
    ///
    /// - Throws: ``ScenarioError/invalidValue(path:reason:)`` for anything else, an empty range
    ///   (B < A), more than 100,000 seeds, or a seed above 9·10¹⁵ (results store seeds as JSON numbers).
    public init(parsing text: String) throws(ScenarioError) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let bad = ScenarioError.invalidValue(path: "--seeds", reason: "'\(text)' is not a seed range like 0..9 (both ends included) or one seed")
        if parts.count == 1, let seed = UInt64(text), seed <= 9_000_000_000_000_000 {
            self.init(start: seed, count: 1)
            return
        }
        guard parts.count == 3, parts[1].isEmpty, let first = UInt64(parts[0]), let last = UInt64(parts[2]), last >= first else { throw bad }
        guard last - first < 100_000 else { throw .invalidValue(path: "--seeds", reason: "'\(text)' names more than 100000 seeds") }
        guard last <= 9_000_000_000_000_000 else { throw .invalidValue(path: "--seeds", reason: "'\(text)': seeds go up to 9000000000000000") }
        self.init(start: first, count: Int(last - first) + 1)
    }

    /// Reads `{"start": S, "count": N}` (1 ≤ N ≤ 100,000).
    init(reading reader: inout ConfigReader) throws(ScenarioError) {
        let start = try reader.int("start", default: 0, in: .closed(0, 9e15))
        let count = try reader.int("count", default: 10, in: .closed(1, 100_000))
        self.init(start: UInt64(start), count: count)
    }

    var json: ConfigValue { ["start": .number(Double(start)), "count": .number(Double(count))] }
}
