import AdEnv

/// A batch env that can compute its scenario's reference policies (``ScenarioPolicy``: random and
/// oracle) for every copy. Oracles need the concrete env (true rates, look-ahead on a copy), which
/// the flat ``BatchEnv`` interface does not expose, so ``OracleAgent`` acts through this protocol.
///
/// ``VectorEnv`` conforms for every scenario. A remote env can conform by asking its server (an
/// ORACLE message). Agents reach it from generic code with `env as? any ScenarioPolicyProviding`.
public protocol ScenarioPolicyProviding: BatchEnv {
    /// Writes `policy`'s action for every copy into `actions` (flat form). Copies that will
    /// autoreset keep whatever `actions` held: the env ignores their action.
    func scenarioActions(_ policy: ScenarioPolicy, into actions: inout ActionBatch, using rng: inout Xoshiro256)
}

/// A batch env that can compute the myopic action of every copy: the action with the highest
/// expected immediate value (see ``MyopicEnv``). ``GreedyAgent`` acts through it.
public protocol MyopicProviding: BatchEnv {
    /// Writes every copy's myopic action into `actions` (flat form). Copies that will autoreset keep
    /// whatever `actions` held.
    func myopicActions(into actions: inout ActionBatch, using rng: inout Xoshiro256)
}

extension VectorEnv: ScenarioPolicyProviding {
    public func scenarioActions(_ policy: ScenarioPolicy, into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        for i in 0..<count where !needsReset[i] {
            actions.write(policy.action(for: envs[i], using: &rng), copy: i)
        }
    }
}

extension VectorEnv: MyopicProviding where E: MyopicEnv {
    public func myopicActions(into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        for i in 0..<count where !needsReset[i] {
            actions.write(envs[i].myopicAction(using: &rng), copy: i)
        }
    }
}

extension ActionBatch {
    /// Writes `action`'s flat form as copy `copy`'s action.
    mutating func write<Action: EnvAction>(_ action: Action, copy: Int) {
        let range = (copy * width)..<((copy + 1) * width)
        switch dtype {
        case .int64: integers.withUnsafeMutableBufferPointer { action.write(to: UnsafeMutableBufferPointer(rebasing: $0[range])) }
        case .float32: reals.withUnsafeMutableBufferPointer { action.write(to: UnsafeMutableBufferPointer(rebasing: $0[range])) }
        }
    }
}
