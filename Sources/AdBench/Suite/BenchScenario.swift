import AdEnv

/// One scenario row of a suite: the env (an ID or a scenario file, with overrides), how long each
/// run trains, how it is scored, its seeds and its agents.
public struct BenchScenario: Sendable, Equatable {
    /// A registered env ID or the path of a scenario JSON file.
    public var id: String
    /// Scenario overrides, `key=JSON` (as `adenv train --env-set`).
    public var overrides: [String]
    /// Env-steps each run trains, over all its copies.
    public var steps: Int
    /// Evaluation episodes per run under ``BenchProtocol/trainEval`` (1…1,000: episode k of seed s's
    /// run is seeded `1_000_000 + s·1_000 + k`).
    public var evaluationEpisodes: Int
    /// The protocol; `nil` takes ``BenchProtocol/default(forKind:)``.
    public var measurement: BenchProtocol?
    /// The seeds; `nil` takes the suite's.
    public var seeds: SeedRange?
    public var agents: [BenchAgent]

    public init(id: String, overrides: [String] = [], steps: Int, evaluationEpisodes: Int = 20, measurement: BenchProtocol? = nil,
                seeds: SeedRange? = nil, agents: [BenchAgent]) {
        self.id = id
        self.overrides = overrides
        self.steps = steps
        self.evaluationEpisodes = evaluationEpisodes
        self.measurement = measurement
        self.seeds = seeds
        self.agents = agents
    }

    init(reading reader: inout ConfigReader) throws(ScenarioError) {
        let id = try reader.string("id", default: "")
        guard !id.isEmpty else { throw .missingKey(path: reader.path(of: "id")) }
        let steps = try reader.int("steps", default: 0, in: .closed(0, 1e10))
        guard steps > 0 else { throw .invalidValue(path: reader.path(of: "steps"), reason: "must be given, at least 1 (env-steps per run)") }
        let evaluationEpisodes = try reader.int("eval_episodes", default: 20, in: .closed(1, 1000))
        let overrides = try Self.strings(try reader.raw("overrides"), path: reader.path(of: "overrides"))
        var measurement: BenchProtocol?
        if case .string(let text)? = try reader.raw("protocol") {
            guard let parsed = BenchProtocol(rawValue: text) else {
                throw .invalidValue(path: reader.path(of: "protocol"), reason: "'\(text)' is not one of online, train-eval")
            }
            measurement = parsed
        }
        var seeds: SeedRange?
        if try reader.raw("seeds") != nil {
            seeds = try reader.object("seeds") { (r: inout ConfigReader) throws(ScenarioError) in try SeedRange(reading: &r) }
        }
        let agentsPath = reader.path(of: "agents")
        guard case .array(let items)? = try reader.raw("agents"), !items.isEmpty else {
            throw .invalidValue(path: agentsPath, reason: "must be a non-empty array of preset names or agent objects")
        }
        var agents: [BenchAgent] = []
        for (i, item) in items.enumerated() {
            let agent = try BenchAgent(reading: item, path: "\(agentsPath)[\(i)]")
            guard !agents.contains(where: { $0.label == agent.label }) else {
                throw .invalidValue(path: "\(agentsPath)[\(i)]", reason: "label '\(agent.label)' is used twice; give one a \"label\"")
            }
            agents.append(agent)
        }
        self.init(id: id, overrides: overrides, steps: steps, evaluationEpisodes: evaluationEpisodes, measurement: measurement,
                  seeds: seeds, agents: agents)
    }

    /// An optional array of strings.
    static func strings(_ value: ConfigValue?, path: String) throws(ScenarioError) -> [String] {
        guard let value else { return [] }
        guard case .array(let items) = value else { throw .wrongType(path: path, expected: "array of strings", found: value.typeName) }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else { throw .wrongType(path: "\(path)[\(i)]", expected: "string", found: item.typeName) }
            out.append(s)
        }
        return out
    }
}
