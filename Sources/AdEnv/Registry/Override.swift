/// One change to a scenario's parameters: `path=value`, for example `means=[0.1,0.2]`,
/// `auction.reserve_price=0.05` or `campaigns[1].bid=2`.
///
/// The value is parsed as JSON when it is valid JSON, otherwise taken as a string, so
/// `pricing=cpc` and `pricing="cpc"` mean the same.
public struct Override: Sendable, Equatable {
    public enum Component: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    public var path: [Component]
    public var value: ConfigValue
    /// The text it was parsed from, for error messages.
    public var text: String

    public init(path: [Component], value: ConfigValue, text: String) {
        self.path = path
        self.value = value
        self.text = text
    }

    /// Sets `key` (a dotted path) to `value`.
    public init(_ key: String, _ value: ConfigValue) throws(ScenarioError) {
        self.init(path: try Override.parsePath(key, text: key), value: value, text: key)
    }

    /// Parses `path=value`.
    public init(parsing text: String) throws(ScenarioError) {
        guard let eq = text.firstIndex(of: "=") else {
            throw .invalidOverride(text: text, reason: "expected key=value")
        }
        let key = String(text[..<eq])
        let rawValue = String(text[text.index(after: eq)...])
        let value: ConfigValue
        if Override.looksLikeJSON(rawValue) {
            do { value = try ConfigValue.parse(json: rawValue, source: "override") } catch {
                guard case let .malformedJSON(_, _, column, reason) = error else { throw error }
                throw .invalidOverride(text: text, reason: "the value is not valid JSON (column \(column): \(reason))")
            }
        } else {
            value = .string(rawValue)
        }
        self.init(path: try Override.parsePath(key, text: text), value: value, text: text)
    }

    /// Whether a value starts like a JSON number, array, object, string or literal.
    static func looksLikeJSON(_ text: String) -> Bool {
        guard let first = text.first else { return false }
        return "[{\"-0123456789".contains(first) || ["true", "false", "null"].contains(text)
    }

    static func parsePath(_ key: String, text: String) throws(ScenarioError) -> [Component] {
        var components: [Component] = []
        for part in key.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            guard let nameEnd = rest.firstIndex(of: "[") ?? Optional(rest.endIndex) else { continue }
            let name = rest[..<nameEnd]
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw .invalidOverride(text: text, reason: "'\(part)' is not a valid key")
            }
            components.append(.key(String(name)))
            rest = rest[nameEnd...]
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]") else {
                    throw .invalidOverride(text: text, reason: "bad index in '\(part)'")
                }
                let digits = rest[rest.index(after: rest.startIndex)..<close]
                guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let index = Int(digits) else {
                    throw .invalidOverride(text: text, reason: "bad index in '\(part)'")
                }
                components.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
        }
        if components.isEmpty { throw .invalidOverride(text: text, reason: "empty key") }
        return components
    }

    static func set(_ target: inout ConfigValue, path: ArraySlice<Component>, value: ConfigValue, text: String) throws(ScenarioError) {
        guard let head = path.first else {
            target = value
            return
        }
        switch head {
        case .key(let key):
            if case .null = target { target = .object(ConfigObject()) }
            guard case .object(var object) = target else {
                throw .invalidOverride(text: text, reason: "'\(key)' is inside a \(target.typeName), not an object")
            }
            var child = object[key] ?? .null
            try set(&child, path: path.dropFirst(), value: value, text: text)
            object[key] = child
            target = .object(object)
        case .index(let index):
            guard case .array(var items) = target else {
                throw .invalidOverride(text: text, reason: "index [\(index)] needs an array given in the scenario file, found \(target.typeName)")
            }
            guard index < items.count else {
                throw .invalidOverride(text: text, reason: "index [\(index)] is out of range (the array has \(items.count) elements)")
            }
            try set(&items[index], path: path.dropFirst(), value: value, text: text)
            target = .array(items)
        }
    }
}

extension Override {
    /// Applies `overrides` in order to `object` (paths are relative to it), creating missing keys.
    ///
    /// Unknown keys are not caught here: the ``ConfigReader`` that reads the object rejects them.
    public static func apply(_ overrides: [Override], to object: inout ConfigObject) throws(ScenarioError) {
        for override in overrides {
            var root = ConfigValue.object(object)
            try set(&root, path: override.path[...], value: override.value, text: override.text)
            guard case .object(let updated) = root else {
                throw .invalidOverride(text: override.text, reason: "the root must stay an object")
            }
            object = updated
        }
    }
}
