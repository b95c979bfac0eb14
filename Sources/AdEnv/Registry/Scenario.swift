/// A scenario file: a registered env ID, the simulator kind that runs it, and its parameters.
///
/// ```json
/// {
///   "id": "StrategyBandit-v0",
///   "kind": "bernoulli-bandit",
///   "description": "Five strategies with known conversion rates",
///   "max_episode_steps": 10000,
///   "parameters": { "means": [0.3, 0.2, 0.1, 0.05, 0.02] }
/// }
/// ```
/// `parameters` is read by the kind, which rejects unknown keys and fills defaults; `adenv describe`
/// prints the resolved values.
public struct Scenario: Sendable {
    public var id: String
    public var kind: String
    public var summary: String
    /// `nil` takes the kind's default.
    public var maxEpisodeSteps: Int?
    public var parameters: ConfigObject
    /// The file path, or a name such as `built-in`.
    public var source: String

    public init(id: String, kind: String, summary: String = "", maxEpisodeSteps: Int? = nil, parameters: ConfigObject = ConfigObject(), source: String = "built-in") {
        self.id = id
        self.kind = kind
        self.summary = summary
        self.maxEpisodeSteps = maxEpisodeSteps
        self.parameters = parameters
        self.source = source
    }

    /// Parses a scenario from JSON text. Errors name the file and the field.
    public init(json text: String, source: String) throws(ScenarioError) {
        let root = try ConfigValue.parse(json: text, source: source)
        try self.init(root, source: source)
    }

    init(_ root: ConfigValue, source: String) throws(ScenarioError) {
        guard case .object(let object) = root else {
            throw .wrongType(path: "\(source): (root)", expected: "object", found: root.typeName)
        }
        var reader = ConfigReader(object, path: "")
        id = try reader.string("id", default: "")
        guard Scenario.isValidID(id) else {
            throw .invalidValue(path: "id", reason: "'\(id)' is not a versioned ID of the form Name-vN (letters, digits, '_'; N a number)")
        }
        kind = try reader.string("kind", default: "")
        if kind.isEmpty { throw .missingKey(path: "kind") }
        summary = try reader.string("description", default: "")
        let steps = try reader.int("max_episode_steps", default: 0, in: .closed(0, 100_000_000))
        maxEpisodeSteps = steps == 0 ? nil : steps
        guard case .object(let parameters)? = try reader.raw("parameters") ?? .object(ConfigObject()) else {
            throw .wrongType(path: "parameters", expected: "object", found: object["parameters"]?.typeName ?? "nothing")
        }
        self.parameters = parameters
        try reader.finish()
        self.source = source
    }

    /// Whether `id` has the form `Name-vN`: an ASCII letter, then ASCII letters, digits or `_`, then
    /// `-v` and ASCII digits.
    public static func isValidID(_ id: String) -> Bool {
        guard let dash = id.lastIndex(of: "-") else { return false }
        let name = id[..<dash], version = id[id.index(after: dash)...]
        func isLetter(_ c: Character) -> Bool { c.isASCII && c.isLetter }
        func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        guard let first = name.first, isLetter(first), name.allSatisfy({ isLetter($0) || isDigit($0) || $0 == "_" }) else { return false }
        guard version.first == "v", version.count > 1, version.dropFirst().allSatisfy(isDigit) else { return false }
        return true
    }

    /// The scenario as a JSON value, with the given parameters (resolved ones for describe).
    public func json(parameters: ConfigObject? = nil) -> ConfigValue {
        var object = ConfigObject()
        object["id"] = .string(id)
        object["kind"] = .string(kind)
        object["description"] = .string(summary)
        if let maxEpisodeSteps { object["max_episode_steps"] = .number(Double(maxEpisodeSteps)) }
        object["parameters"] = .object(parameters ?? self.parameters)
        return .object(object)
    }

    /// Applies overrides in order. Paths are relative to `parameters`, except `max_episode_steps`.
    /// Unknown keys are caught when the kind reads the parameters.
    public mutating func apply(_ overrides: [Override]) throws(ScenarioError) {
        for override in overrides {
            if override.path == [.key("max_episode_steps")] {
                guard case .number(let x) = override.value, x == x.rounded(), x >= 1, x <= 100_000_000 else {
                    throw .invalidOverride(text: override.text, reason: "max_episode_steps must be an integer in [1, 100000000]")
                }
                maxEpisodeSteps = Int(x)
                continue
            }
            var path = override.path
            if path.first == .key("parameters") { path.removeFirst() }
            if let first = path.first, case .key(let k) = first, ["id", "kind", "description"].contains(k) {
                throw .invalidOverride(text: override.text, reason: "'\(k)' cannot be overridden")
            }
            var root = ConfigValue.object(parameters)
            try Override.set(&root, path: path[...], value: override.value, text: override.text)
            guard case .object(let updated) = root else {
                throw .invalidOverride(text: override.text, reason: "parameters must be an object")
            }
            parameters = updated
        }
    }
}
