import AdAgents
import AdEnv

/// Helpers shared by the REINFORCE and PPO tests.
enum PolicyGradientSupport {
    /// Whether the tests were compiled with optimisation (`swift test -c release`): heavy training
    /// tests run only there (CI runs the suite in both modes, `scripts/test.sh`).
    static var isReleaseBuild: Bool {
        #if DEBUG
        false
        #else
        true
        #endif
    }

    static func fatigueMDP() throws -> FatigueMDP {
        try Registry.standard.make("FatigueMDP-v0", as: FatigueMDP.self)
    }

    /// The observation of fatigue level `f` (from the env itself, so the test does not restate the
    /// observation layout).
    static func observation(of mdp: FatigueMDP, fatigue f: Int) throws -> [Float] {
        var env = mdp
        var observation = [Float](repeating: 0, count: mdp.spec.observationCount)
        _ = try observation.withUnsafeMutableBufferPointer {
            try env.reset(seed: 0, options: ConfigObject([(key: "initial_fatigue", value: .number(Double(f)))]), observation: $0)
        }
        return observation
    }

    /// The greedy policy of a categorical actor on every fatigue level (the most probable action)
    /// and its exact discounted value from level 0 (policy evaluation on the MDP's own model), as a
    /// fraction of `V*(0)` (`spec.oracle.expectedReturn`, discount `spec.oracle.discount`).
    static func greedyFatigueScore(actor: MLP<Float>, mdp: FatigueMDP) throws -> (policy: [Int], value: Double, fraction: Double) {
        let levels = mdp.maxLevel + 1
        var workspace = actor.makeWorkspace(batchSize: levels)
        for f in 0..<levels {
            let o = try observation(of: mdp, fatigue: f)
            for (j, x) in o.enumerated() { workspace.input[f, j] = x }
        }
        actor.forward(in: &workspace)
        let policy = (0..<levels).map { f in workspace.output[f, 1] > workspace.output[f, 0] ? FatigueMDP.show : FatigueMDP.rest }
        let value = mdp.policyValues(policy, discount: mdp.spec.oracle.discount)[0]
        return (policy, value, value / mdp.spec.oracle.expectedReturn!)
    }

    /// The undiscounted returns of the first `episodes` episodes of `agent` acting in evaluation mode
    /// on `env` (reset with `seed`), as a mean with its 95% CI.
    static func evaluate<A: Agent, E: BatchEnv>(_ agent: A, on env: E, episodes: Int, seed: UInt64) throws -> Summary {
        var loop = try TrainingLoop(agent: agent, env: env, seed: seed, mode: .evaluation, keepsLog: false)
        while loop.episodes.count < episodes { try loop.step() }
        return Summary(loop.episodes.prefix(episodes).map(\.reward))
    }
}
