/// Reads typed, validated parameters out of a JSON object, and records what it read.
///
/// A scenario kind reads each of its parameters with a default and a range. The reader
/// - takes the default when the key is absent;
/// - throws ``ScenarioError`` naming the field's full path for a wrong type or an out-of-range value;
/// - records the resolved value (given or default) in ``resolved``, which `adenv describe` prints;
/// - rejects, in ``finish()``, any key that was never read, so a typo is an error and never a
///   silently ignored setting.
public struct ConfigReader: Sendable {
    /// The path of this object in the scenario file, for example `parameters.auction`.
    public let path: String
    private let object: ConfigObject
    private var readKeys: [String] = []
    /// Every parameter read so far, with its resolved value, in reading order.
    public private(set) var resolved = ConfigObject()

    public init(_ object: ConfigObject, path: String) {
        self.object = object
        self.path = path
    }

    /// The full path of `key` inside this object.
    public func path(of key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The value of `key`, or `nil` when absent. An explicit `null` is an error, never a silent
    /// default: to take the default, leave the key out.
    private mutating func take(_ key: String) throws(ScenarioError) -> ConfigValue? {
        readKeys.append(key)
        let value = object[key]
        if case .null = value {
            throw .wrongType(path: path(of: key), expected: "a value (leave the key out to take the default)", found: "null")
        }
        return value
    }

    /// Throws ``ScenarioError/unknownKey(path:known:)`` for the first key that was never read.
    public func finish() throws(ScenarioError) {
        let read = Set(readKeys)
        for key in object.keys where !read.contains(key) {
            throw .unknownKey(path: path(of: key), known: readKeys)
        }
    }

    // MARK: Scalars

    /// A number in `bounds`, or `defaultValue` when absent.
    public mutating func double(_ key: String, default defaultValue: Double, in bounds: Bounds = .any) throws(ScenarioError) -> Double {
        let x = try Self.number(try take(key) ?? .number(defaultValue), path: path(of: key), bounds: bounds)
        resolved[key] = .number(x)
        return x
    }

    /// An integer in `bounds`, or `defaultValue` when absent. `2.0` is accepted, `2.5` is not.
    public mutating func int(_ key: String, default defaultValue: Int, in bounds: Bounds = .any) throws(ScenarioError) -> Int {
        let x = try Self.integer(try take(key) ?? .number(Double(defaultValue)), path: path(of: key), bounds: bounds)
        resolved[key] = .number(Double(x))
        return x
    }

    /// A boolean, or `defaultValue` when absent.
    public mutating func bool(_ key: String, default defaultValue: Bool) throws(ScenarioError) -> Bool {
        let value = try take(key) ?? .bool(defaultValue)
        guard case .bool(let b) = value else {
            throw .wrongType(path: path(of: key), expected: "boolean", found: value.typeName)
        }
        resolved[key] = .bool(b)
        return b
    }

    /// A string, or `defaultValue` when absent.
    public mutating func string(_ key: String, default defaultValue: String) throws(ScenarioError) -> String {
        let value = try take(key) ?? .string(defaultValue)
        guard case .string(let s) = value else {
            throw .wrongType(path: path(of: key), expected: "string", found: value.typeName)
        }
        resolved[key] = .string(s)
        return s
    }

    /// One of an enumeration's raw values, or `defaultValue` when absent.
    public mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, default defaultValue: T) throws(ScenarioError) -> T
    where T.RawValue == String {
        let text = try string(key, default: defaultValue.rawValue)
        guard let value = T(rawValue: text) else {
            throw .invalidValue(
                path: path(of: key),
                reason: "'\(text)' is not one of \(T.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))")
        }
        return value
    }

    // MARK: Arrays

    /// An array of numbers, each in `bounds`, with a length in `count`.
    public mutating func doubles(
        _ key: String, default defaultValue: [Double], count: ClosedRange<Int> = 0...Int.max, each bounds: Bounds = .any
    ) throws(ScenarioError) -> [Double] {
        let p = path(of: key)
        let value = try take(key) ?? .array(defaultValue.map { .number($0) })
        guard case .array(let items) = value else { throw .wrongType(path: p, expected: "array of numbers", found: value.typeName) }
        guard count.contains(items.count) else {
            throw .invalidValue(path: p, reason: "has \(items.count) elements, needs \(Self.describe(count))")
        }
        var out: [Double] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            out.append(try Self.number(item, path: "\(p)[\(i)]", bounds: bounds))
        }
        resolved[key] = .array(out.map { .number($0) })
        return out
    }

    /// An array of integers, each in `bounds`, with a length in `count`.
    public mutating func ints(
        _ key: String, default defaultValue: [Int], count: ClosedRange<Int> = 0...Int.max, each bounds: Bounds = .any
    ) throws(ScenarioError) -> [Int] {
        let p = path(of: key)
        let value = try take(key) ?? .array(defaultValue.map { .number(Double($0)) })
        guard case .array(let items) = value else { throw .wrongType(path: p, expected: "array of integers", found: value.typeName) }
        guard count.contains(items.count) else {
            throw .invalidValue(path: p, reason: "has \(items.count) elements, needs \(Self.describe(count))")
        }
        var out: [Int] = []
        for (i, item) in items.enumerated() {
            out.append(try Self.integer(item, path: "\(p)[\(i)]", bounds: bounds))
        }
        resolved[key] = .array(out.map { .number(Double($0)) })
        return out
    }

    /// A matrix given as an array of equal-length rows of numbers.
    public mutating func matrix(
        _ key: String, default defaultValue: [[Double]], rows: ClosedRange<Int> = 1...Int.max,
        columns: ClosedRange<Int> = 1...Int.max, each bounds: Bounds = .any
    ) throws(ScenarioError) -> [[Double]] {
        let p = path(of: key)
        let value = try take(key) ?? .array(defaultValue.map { .array($0.map { .number($0) }) })
        guard case .array(let rowValues) = value else { throw .wrongType(path: p, expected: "array of arrays", found: value.typeName) }
        guard rows.contains(rowValues.count) else {
            throw .invalidValue(path: p, reason: "has \(rowValues.count) rows, needs \(Self.describe(rows))")
        }
        var out: [[Double]] = []
        for (r, rowValue) in rowValues.enumerated() {
            guard case .array(let items) = rowValue else {
                throw .wrongType(path: "\(p)[\(r)]", expected: "array of numbers", found: rowValue.typeName)
            }
            if r > 0, items.count != out[0].count {
                throw .invalidValue(path: "\(p)[\(r)]", reason: "has \(items.count) columns, row 0 has \(out[0].count)")
            }
            guard columns.contains(items.count) else {
                throw .invalidValue(path: "\(p)[\(r)]", reason: "has \(items.count) columns, needs \(Self.describe(columns))")
            }
            var row: [Double] = []
            for (c, item) in items.enumerated() { row.append(try Self.number(item, path: "\(p)[\(r)][\(c)]", bounds: bounds)) }
            out.append(row)
        }
        resolved[key] = .array(out.map { .array($0.map { .number($0) }) })
        return out
    }

    /// The raw value of `key`, or `nil` when absent, for fields with a shape of their own. The value
    /// is recorded as given.
    public mutating func raw(_ key: String) throws(ScenarioError) -> ConfigValue? {
        let value = try take(key)
        if let value { resolved[key] = value }
        return value
    }

    // MARK: Nested objects

    /// Reads a nested object with `body`; an absent key reads as an empty object, so every nested
    /// parameter takes its default.
    public mutating func object<T>(_ key: String, _ body: (inout ConfigReader) throws(ScenarioError) -> T) throws(ScenarioError) -> T {
        let p = path(of: key)
        let value = try take(key) ?? .object(ConfigObject())
        guard case .object(let nested) = value else { throw .wrongType(path: p, expected: "object", found: value.typeName) }
        var reader = ConfigReader(nested, path: p)
        let result = try body(&reader)
        try reader.finish()
        resolved[key] = .object(reader.resolved)
        return result
    }

    /// Reads an array of objects, each with `body`. An absent key reads `defaultValue`.
    public mutating func objects<T>(
        _ key: String, default defaultValue: [ConfigObject], count: ClosedRange<Int> = 0...Int.max,
        _ body: (inout ConfigReader, Int) throws(ScenarioError) -> T
    ) throws(ScenarioError) -> [T] {
        let p = path(of: key)
        let value = try take(key) ?? .array(defaultValue.map { .object($0) })
        guard case .array(let items) = value else { throw .wrongType(path: p, expected: "array of objects", found: value.typeName) }
        guard count.contains(items.count) else {
            throw .invalidValue(path: p, reason: "has \(items.count) elements, needs \(Self.describe(count))")
        }
        var out: [T] = []
        var resolvedItems: [ConfigValue] = []
        for (i, item) in items.enumerated() {
            guard case .object(let nested) = item else {
                throw .wrongType(path: "\(p)[\(i)]", expected: "object", found: item.typeName)
            }
            var reader = ConfigReader(nested, path: "\(p)[\(i)]")
            out.append(try body(&reader, i))
            try reader.finish()
            resolvedItems.append(.object(reader.resolved))
        }
        resolved[key] = .array(resolvedItems)
        return out
    }

    // MARK: Helpers

    static func number(_ value: ConfigValue, path: String, bounds: Bounds) throws(ScenarioError) -> Double {
        guard case .number(let x) = value else { throw .wrongType(path: path, expected: "number", found: value.typeName) }
        guard bounds.contains(x) else { throw .outOfRange(path: path, value: ConfigValue.format(x), allowed: bounds.description) }
        return x
    }

    static func integer(_ value: ConfigValue, path: String, bounds: Bounds) throws(ScenarioError) -> Int {
        guard case .number(let x) = value else { throw .wrongType(path: path, expected: "integer", found: value.typeName) }
        guard x == x.rounded() else { throw .wrongType(path: path, expected: "integer", found: ConfigValue.format(x)) }
        guard abs(x) < 9e15 else { throw .outOfRange(path: path, value: ConfigValue.format(x), allowed: bounds.description) }
        guard bounds.contains(x) else { throw .outOfRange(path: path, value: ConfigValue.format(x), allowed: bounds.description) }
        return Int(x)
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        if range.lowerBound == range.upperBound { return "exactly \(range.lowerBound)" }
        if range.upperBound == Int.max { return "at least \(range.lowerBound)" }
        return "\(range.lowerBound) to \(range.upperBound)"
    }
}
