import AdEnv

/// The built-in agents by name, for the command line, the benchmarks and anything else that picks an
/// agent at run time.
///
/// Code that works on an agent is written once as a generic function over `A: Agent` (an
/// ``AgentVisitor``); ``visit(_:with:)`` looks the name up and calls it with the agent's concrete
/// type, so the loop it runs is `TrainingLoop<ThompsonSampling, …>`, not one over an existential.
///
/// Adding an agent is one line in ``all``.
public enum AgentCatalog {
    /// Every built-in agent type, in the order `adenv` lists them.
    public static var all: [any Agent.Type] {
        [
            RandomAgent.self,
            GreedyAgent.self,
            OracleAgent.self,
            EpsilonGreedy.self,
            UCB1.self,
            KLUCB.self,
            ThompsonSampling.self,
            LinUCB.self,
            LinTS.self,
            BudgetedUCB.self,
            PIDPacer.self,
            DQN.self,
            REINFORCE.self,
            PPO.self,
        ]
    }

    /// The names of every built-in agent (``Agent/name``).
    public static var names: [String] { all.map { $0.name } }

    /// The agent type called `name`.
    ///
    /// - Throws: ``AgentCatalogError/unknownAgent(_:known:)``.
    public static func type(named name: String) throws(AgentCatalogError) -> any Agent.Type {
        guard let type = all.first(where: { $0.name == name }) else { throw .unknownAgent(name, known: names) }
        return type
    }

    /// Calls `visitor` with the agent type called `name`.
    ///
    /// - Throws: ``AgentCatalogError/unknownAgent(_:known:)``, or what the visitor throws.
    public static func visit<V: AgentVisitor>(_ name: String, with visitor: V) throws -> V.Result {
        try open(type(named: name), visitor)
    }

    private static func open<A: Agent, V: AgentVisitor>(_ type: A.Type, _ visitor: V) throws -> V.Result {
        try visitor.visit(type)
    }
}

/// A generic operation on an agent type, run by ``AgentCatalog/visit(_:with:)`` with the agent chosen
/// by name.
public protocol AgentVisitor {
    associatedtype Result
    func visit<A: Agent>(_ type: A.Type) throws -> Result
}

/// An agent name the catalog does not know.
public enum AgentCatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownAgent(String, known: [String])

    public var description: String {
        switch self {
        case let .unknownAgent(name, known): "unknown agent '\(name)' (known: \(known.joined(separator: ", ")))"
        }
    }
}

extension Agent {
    /// Reads this agent's hyper-parameters from `preset`, with the resolved object (every value,
    /// given or default) to record beside a run.
    ///
    /// - Throws: ``AgentError/invalidHyperparameters(_:)`` naming the field; a preset written for
    ///   another agent is refused the same way.
    public static func hyperparameters(from preset: Preset) throws(AgentError) -> (hyperparameters: Hyperparameters, resolved: ConfigObject) {
        guard preset.agent == name else {
            throw .invalidHyperparameters(.invalidValue(path: "\(preset.source): agent", reason: "is '\(preset.agent)', not '\(name)'"))
        }
        do { return try Hyperparameters.read(preset.hyperparameters) } catch { throw .invalidHyperparameters(error) }
    }

    /// Checks that this agent can act on `env` beyond what its spec says (see ``EnvChecking``).
    public static func check<Env: BatchEnv>(canActOn env: Env) throws(AgentError) {
        if let checking = self as? any EnvChecking.Type { try checking.check(env) }
    }
}
