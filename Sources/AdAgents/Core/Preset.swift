import AdEnv

/// A hyper-parameter preset: one JSON file per agent in `Agents/`, like RL Zoo's `hyperparams/`.
///
/// ```json
/// {
///   "agent": "dqn",
///   "description": "CleanRL's classic-control DQN settings",
///   "hyperparameters": { "learning_rate": 0.00025, "batch_size": 128 }
/// }
/// ```
/// Keys left out of `hyperparameters` take the agent's documented defaults. The agent's
/// ``AgentHyperparameters`` reader rejects unknown keys, naming the field.
public struct Preset: Sendable {
    /// The agent this preset configures (``Agent/name``).
    public var agent: String
    public var summary: String
    public var hyperparameters: ConfigObject
    /// The file path, or `built-in`.
    public var source: String

    public init(agent: String, summary: String = "", hyperparameters: ConfigObject = ConfigObject(), source: String = "built-in") {
        self.agent = agent
        self.summary = summary
        self.hyperparameters = hyperparameters
        self.source = source
    }

    /// Parses a preset from JSON text.
    ///
    /// - Throws: ``ScenarioError`` naming the field, for malformed JSON, a missing `agent` or an
    ///   unknown top-level key.
    public init(json text: String, source: String) throws(ScenarioError) {
        let root = try ConfigValue.parse(json: text, source: source)
        guard case .object(let object) = root else {
            throw .wrongType(path: "\(source): (root)", expected: "object", found: root.typeName)
        }
        var reader = ConfigReader(object, path: "")
        agent = try reader.string("agent", default: "")
        if agent.isEmpty { throw .missingKey(path: "agent") }
        summary = try reader.string("description", default: "")
        guard case .object(let hyperparameters)? = try reader.raw("hyperparameters") ?? .object(ConfigObject()) else {
            throw .wrongType(path: "hyperparameters", expected: "object", found: object["hyperparameters"]?.typeName ?? "nothing")
        }
        self.hyperparameters = hyperparameters
        try reader.finish()
        self.source = source
    }

    /// Reads and parses a preset file.
    public static func load(path: String) throws(ScenarioError) -> Preset {
        let text: String
        do { text = try FileSystem.read(path) } catch { throw .unreadableFile(path: path, reason: error.reason) }
        do { return try Preset(json: text, source: path) } catch { throw error.located(in: path) }
    }

    /// The preset of agent `nameOrPath`: a path to a preset file, or `Agents/<name>.json` in the
    /// presets directory (found from `ADENV_AGENTS_DIR`, `./Agents`, or beside the executable or
    /// the source checkout). An agent without a preset file gets an empty preset (all defaults).
    public static func named(_ nameOrPath: String) throws(ScenarioError) -> Preset {
        if nameOrPath.hasSuffix(".json") || nameOrPath.contains("/") { return try load(path: nameOrPath) }
        if let directory = FileSystem.locateDirectory(named: "Agents", environmentVariable: "ADENV_AGENTS_DIR") {
            let path = directory + "/" + nameOrPath + ".json"
            if FileSystem.exists(path) { return try load(path: path) }
        }
        return Preset(agent: nameOrPath)
    }

    /// Applies `key=value` overrides (`adenv train --set`) to the hyper-parameters.
    public mutating func apply(_ overrides: [Override]) throws(ScenarioError) {
        try Override.apply(overrides, to: &hyperparameters)
    }

    /// The resolved preset as JSON, written beside a run's results.
    public func json(resolved: ConfigObject) -> ConfigValue {
        var object = ConfigObject()
        object["agent"] = .string(agent)
        object["description"] = .string(summary)
        object["hyperparameters"] = .object(resolved)
        return .object(object)
    }
}
