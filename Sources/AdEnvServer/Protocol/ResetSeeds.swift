import AdEnv

/// The `seed` of a RESET request.
public enum ResetSeeds: Sendable, Equatable {
    /// Every copy continues its stream (on a session's first reset, copy i is seeded with i).
    case none
    /// Copy i is seeded with `seed + i` (wrapping).
    case base(UInt64)
    /// One seed (or `nil`) per copy.
    case perEnv([UInt64?])

    /// The largest seed a JSON number may carry exactly; larger seeds travel as strings.
    static let largestExactNumber: UInt64 = 1 << 53

    /// One seed per copy for a session of `count` copies.
    ///
    /// - Throws: `BAD_REQUEST` if a per-env list does not have `count` entries.
    public func seeds(count: Int) throws(WireError) -> [UInt64?] {
        switch self {
        case .none: return Array(repeating: nil, count: count)
        case .base(let s): return (0..<count).map { s &+ UInt64($0) }
        case .perEnv(let seeds):
            guard seeds.count == count else {
                throw WireError(.badRequest, "RESET.seed has \(seeds.count) entries, the session has \(count) envs")
            }
            return seeds
        }
    }

    /// Parses a RESET body (`nil` frame: no body).
    public init(frame: ZeroMQMessage?) throws(WireError) {
        guard let frame else {
            self = .none
            return
        }
        var reader = try RequestReader(frame: frame, message: "RESET")
        switch reader.value("seed") {
        case nil, .null?: self = .none
        case .array(let items)?:
            self = .perEnv(try items.enumerated().map { i, item throws(WireError) in
                if case .null = item { return nil }
                return try Self.seed(item, name: "RESET.seed[\(i)]")
            })
        case let value?: self = .base(try Self.seed(value, name: "RESET.seed"))
        }
        if let options = try reader.object("options"), let key = options.keys.first {
            throw WireError(.badRequest, "RESET.options.\(key.prefix(100)): this env takes no reset options")
        }
        try reader.finish()
    }

    private static func seed(_ value: ConfigValue, name: String) throws(WireError) -> UInt64 {
        switch value {
        case .number(let x):
            guard x >= 0, x == x.rounded(), x <= Double(largestExactNumber) else {
                throw WireError(.badRequest, "\(name) must be an integer in 0...2^53 (send larger seeds as a decimal string), got \(ConfigValue.format(x))")
            }
            return UInt64(x)
        case .string(let s):
            guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let seed = UInt64(s) else {
                throw WireError(.badRequest, "\(name) must be a decimal string of a u64, got \(ConfigValue.string(String(s.prefix(40))).jsonString())")
            }
            return seed
        default:
            throw WireError(.badRequest, "\(name) must be an integer, a decimal string or null, found \(value.typeName)")
        }
    }

    /// The RESET body.
    public var json: String {
        var writer = JSONWriter()
        switch self {
        case .none: writer.field("seed", json: "null")
        case .base(let s): writer.field("seed", json: Self.text(s))
        case .perEnv(let seeds): writer.field("seed", json: "[" + seeds.map { $0.map(Self.text) ?? "null" }.joined(separator: ",") + "]")
        }
        return writer.finish()
    }

    private static func text(_ seed: UInt64) -> String {
        seed <= largestExactNumber ? String(seed) : "\"\(seed)\""
    }
}
