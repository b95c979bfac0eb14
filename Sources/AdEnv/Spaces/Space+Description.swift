/// The JSON description of a space, modelled on Gymnasium's names and fields.
///
/// ```json
/// {"type": "Discrete", "n": 5, "start": 0, "dtype": "int64"}
/// {"type": "Box", "low": [0, 0], "high": [1, null], "shape": [2], "dtype": "float32"}
/// {"type": "MultiDiscrete", "nvec": [4, 4], "dtype": "int64"}
/// {"type": "MultiBinary", "n": 3, "dtype": "int8"}
/// {"type": "Dict", "spaces": {"a": {...}, "b": {...}}}
/// ```
/// Infinite Box bounds are written as `null` (JSON has no infinity): `null` in `low` means -inf and
/// in `high` means +inf.
extension Space {
    public var jsonDescription: ConfigValue {
        switch self {
        case .discrete(let s):
            ["type": "Discrete", "n": .number(Double(s.n)), "start": .number(Double(s.start)), "dtype": "int64"]
        case .box(let s):
            [
                "type": "Box",
                "low": .array(s.low.map { $0.isFinite ? .number(Double($0)) : .null }),
                "high": .array(s.high.map { $0.isFinite ? .number(Double($0)) : .null }),
                "shape": .array(s.shape.map { .number(Double($0)) }),
                "dtype": "float32",
            ]
        case .multiDiscrete(let s):
            ["type": "MultiDiscrete", "nvec": .array(s.nvec.map { .number(Double($0)) }), "dtype": "int64"]
        case .multiBinary(let s):
            ["type": "MultiBinary", "n": .number(Double(s.n)), "dtype": "int8"]
        case .dict(let s):
            ["type": "Dict", "spaces": .object(ConfigObject(s.spaces.map { (key: $0.key, value: $0.space.jsonDescription) }))]
        }
    }

    /// Parses a description written by ``jsonDescription``. Errors name the offending field.
    public init(description: ConfigValue, path: String = "space") throws(ScenarioError) {
        guard case .object(let object) = description else {
            throw .wrongType(path: path, expected: "object", found: description.typeName)
        }
        var reader = ConfigReader(object, path: path)
        let type = try reader.string("type", default: "")
        let dtype = try reader.string("dtype", default: "")
        let expectedDType = ["Discrete": "int64", "MultiDiscrete": "int64", "Box": "float32", "MultiBinary": "int8"][type]
        if let expectedDType, !dtype.isEmpty, dtype != expectedDType {
            throw .invalidValue(path: reader.path(of: "dtype"), reason: "'\(dtype)' is not the dtype of a \(type) space ('\(expectedDType)')")
        }
        switch type {
        case "Discrete":
            let n = try reader.int("n", default: 0, in: .atLeast(1))
            self = .discrete(Discrete(n, start: try reader.int("start", default: 0)))
        case "Box":
            let shape = try reader.ints("shape", default: [], count: 1...8, each: .closed(1, Double(Self.maximumBoxCount)))
            var count = 1
            for size in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: size)
                guard !overflow, product <= Self.maximumBoxCount else {
                    throw .invalidValue(path: reader.path(of: "shape"), reason: "has more than \(Self.maximumBoxCount) elements")
                }
                count = product
            }
            let low = try Self.bounds(reader.raw("low"), path: reader.path(of: "low"), count: count, infinity: -.infinity)
            let high = try Self.bounds(reader.raw("high"), path: reader.path(of: "high"), count: count, infinity: .infinity)
            for i in 0..<count where low[i] > high[i] {
                throw .invalidValue(path: reader.path(of: "low") + "[\(i)]", reason: "is above high[\(i)]")
            }
            self = .box(Box(low: low, high: high, shape: shape))
        case "MultiDiscrete":
            self = .multiDiscrete(MultiDiscrete(try reader.ints("nvec", default: [], count: 1...Int.max, each: .atLeast(1))))
        case "MultiBinary":
            self = .multiBinary(MultiBinary(try reader.int("n", default: 0, in: .atLeast(1))))
        case "Dict":
            let spacesPath = reader.path(of: "spaces")
            guard case .object(let nested)? = try reader.raw("spaces") else {
                throw .wrongType(path: spacesPath, expected: "object", found: object["spaces"]?.typeName ?? "nothing")
            }
            var items: [(key: String, space: Space)] = []
            for entry in nested.entries {
                items.append((entry.key, try Space(description: entry.value, path: spacesPath + "." + entry.key)))
            }
            self = .dict(DictSpace(items))
        default:
            throw .invalidValue(path: reader.path(of: "type"), reason: "'\(type)' is not a space type")
        }
        try reader.finish()
    }

    /// The largest number of elements a Box description may have (16 Mi).
    public static let maximumBoxCount = 1 << 24

    private static func bounds(_ value: ConfigValue?, path: String, count: Int, infinity: Float) throws(ScenarioError) -> [Float] {
        guard case .array(let items)? = value else {
            throw .wrongType(path: path, expected: "array of numbers or nulls", found: value?.typeName ?? "nothing")
        }
        guard items.count == count else { throw .invalidValue(path: path, reason: "has \(items.count) elements, shape needs \(count)") }
        var out: [Float] = []
        for (i, item) in items.enumerated() {
            switch item {
            case .null: out.append(infinity)
            case .number(let x):
                guard abs(x) <= Double(Float.greatestFiniteMagnitude) else {
                    throw .outOfRange(path: "\(path)[\(i)]", value: ConfigValue.format(x), allowed: "a finite float32 (null for infinity)")
                }
                out.append(Float(x))
            default: throw .wrongType(path: "\(path)[\(i)]", expected: "number or null", found: item.typeName)
            }
        }
        return out
    }
}

extension Space: CustomStringConvertible {
    /// A short Gymnasium-style form, for example `Discrete(5)` or `Box(0.0, 1.0, (3,), float32)`.
    public var description: String {
        switch self {
        case .discrete(let s): return s.start == 0 ? "Discrete(\(s.n))" : "Discrete(\(s.n), start=\(s.start))"
        case .box(let s):
            let shape = "(" + s.shape.map(String.init).joined(separator: ", ") + (s.shape.count == 1 ? ",)" : ")")
            let uniformLow = s.low.allSatisfy { $0 == s.low[0] }, uniformHigh = s.high.allSatisfy { $0 == s.high[0] }
            let low = uniformLow ? "\(s.low[0])" : "[...]", high = uniformHigh ? "\(s.high[0])" : "[...]"
            return "Box(\(low), \(high), \(shape), float32)"
        case .multiDiscrete(let s): return "MultiDiscrete(\(s.nvec))"
        case .multiBinary(let s): return "MultiBinary(\(s.n))"
        case .dict(let s): return "Dict(" + s.spaces.map { "'\($0.key)': \($0.space)" }.joined(separator: ", ") + ")"
        }
    }
}
