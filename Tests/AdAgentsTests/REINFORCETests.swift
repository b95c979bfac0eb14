import Testing
@testable import AdAgents
import AdEnv

@Suite struct REINFORCETests {
    typealias Support = PolicyGradientSupport

    static func fatigueLoop(
        seed: UInt64, hyperparameters: REINFORCE.Hyperparameters, copies: Int = 4, overrides: [Override] = []
    ) throws -> TrainingLoop<REINFORCE, VectorEnv<FatigueMDP>> {
        let env = VectorEnv(try Registry.standard.make("FatigueMDP-v0", as: FatigueMDP.self, overrides: overrides), count: copies)
        var rng = Xoshiro256(seed: seed)
        let agent = try REINFORCE(spec: env.spec, count: copies, hyperparameters: hyperparameters, using: &rng)
        return try TrainingLoop(agent: agent, env: env, seed: seed)
    }

    static func preset(_ name: String) throws -> REINFORCE.Hyperparameters {
        try REINFORCE.Hyperparameters.read(try Preset.named(name).hyperparameters).hyperparameters
    }

    /// `Agents/reinforce.json`, 5,000 env-steps on 4 copies, 5 seeds: the greedy policy's exact
    /// value must reach 90% of V*(0) on every seed, and the untrained one must not.
    @Test(.enabled(if: PolicyGradientSupport.isReleaseBuild, "trains 5 × 5,000 steps; runs in `swift test -c release`"))
    func reinforceReaches90PercentOfTheOptimalValueOnFatigueMDP() throws {
        let mdp = try Support.fatigueMDP()
        for seed: UInt64 in 1...5 {
            var loop = try Self.fatigueLoop(seed: seed, hyperparameters: try Self.preset("reinforce"))
            let untrained = try Support.greedyFatigueScore(actor: loop.agent.actor, mdp: mdp)
            #expect(untrained.fraction < 0.9, "seed \(seed): the untrained policy \(untrained.policy) already scores \(untrained.fraction)")
            try loop.run(steps: 5000)
            let trained = try Support.greedyFatigueScore(actor: loop.agent.actor, mdp: mdp)
            #expect(trained.fraction >= 0.9, "seed \(seed): greedy policy \(trained.policy) is worth \(trained.value), \(trained.fraction) of V*(0)")
        }
    }

    /// Episodes cut at 3 steps (truncated) or ended by churn (terminated, 30% per step): the last
    /// return of a truncated episode is `r + γ V(final observation)`, of a terminated one `r`.
    @Test func returnsBootstrapOnTruncationAndNotOnTermination() throws {
        var h = REINFORCE.Hyperparameters.defaults
        h.episodesPerUpdate = 1000
        h.hiddenSizes = [8]
        let overrides = [try Override("max_episode_steps", 3), try Override("parameters.churn_base", .number(0.3))]
        let loop = try Self.fatigueLoop(seed: 1, hyperparameters: h, copies: 1, overrides: overrides)
        var agent = loop.agent
        let env = loop.env
        var actions = ActionBatch(spec: env.spec, count: 1)
        var rng = Xoshiro256(seed: 2)
        var truncations = 0, terminations = 0
        for _ in 0..<60 {
            agent.act(on: env, mode: .training, into: &actions, using: &rng)
            try actions.step(env)
            agent.learn(from: env, actions: actions, using: &rng)
            guard env.terminated[0] || env.truncated[0] else { continue }
            let reward = env.rewards[0], last = agent.batchReturns.last!
            if env.terminated[0] {
                terminations += 1
                #expect(last == Float(reward))
            } else {
                truncations += 1
                var workspace = agent.critic.makeWorkspace(batchSize: 1)
                workspace.input.storage = env.observations
                agent.critic.forward(in: &workspace)
                #expect(last == Float(reward + 0.99 * Double(workspace.output.storage[0])))
            }
        }
        #expect(truncations > 0 && terminations > 0)
        #expect(agent.batchReturns.count == agent.batch.count)
    }

    @Test func resumingMidEpisodeAndMidBatchIsBitIdentical() throws {
        var h = REINFORCE.Hyperparameters.defaults
        h.hiddenSizes = [16, 16]
        h.episodesPerUpdate = 4
        var straight = try Self.fatigueLoop(seed: 11, hyperparameters: h)
        try straight.run(steps: 600)

        var first = try Self.fatigueLoop(seed: 11, hyperparameters: h)
        try first.run(steps: 300)
        #expect(first.agent.updates > 0)
        #expect(first.agent.batchEpisodes > 0 && first.agent.episodes.contains { $0.count > 0 })
        let saved = try Checkpoint(decoding: first.checkpoint().encoded())
        let fresh = try Self.fatigueLoop(seed: 12, hyperparameters: h)
        var resumed = try TrainingLoop.resume(from: saved, agent: fresh.agent, env: fresh.env)
        try resumed.run(steps: 300)

        #expect(resumed.agent.actor == straight.agent.actor)
        #expect(resumed.checkpoint().encoded() == straight.checkpoint().encoded())
        #expect(first.agent.actor != straight.agent.actor)
    }

    @Test func theDiscountIsTheScenariosUnlessGammaIsGiven() throws {
        var rng = Xoshiro256(seed: 1)
        let fatigue = try Support.fatigueMDP().spec
        let pacing = try Registry.standard.make("BudgetPacing-v0").spec
        #expect(try REINFORCE(spec: fatigue, count: 1, hyperparameters: .defaults, using: &rng).discount == fatigue.oracle.discount)
        #expect(try REINFORCE(spec: pacing, count: 1, hyperparameters: .defaults, using: &rng).discount == pacing.oracle.discount)
        let given = try REINFORCE.Hyperparameters.read(ConfigObject([(key: "gamma", value: .number(0.5))])).hyperparameters
        #expect(try REINFORCE(spec: fatigue, count: 1, hyperparameters: given, using: &rng).discount == 0.5)
        #expect(throws: ScenarioError.self) { try REINFORCE.Hyperparameters.read(ConfigObject([(key: "gamma", value: .string("0.9"))])) }
        #expect(throws: ScenarioError.self) { try REINFORCE.Hyperparameters.read(ConfigObject([(key: "gamma", value: .number(1.5))])) }
    }

    /// Box actions: the Gaussian head learns on BudgetPacing and stays within the box when acting.
    @Test func continuousActionsAreSampledAndClippedToTheBox() throws {
        let env = VectorEnv(try Registry.standard.make("BudgetPacing-v0", as: BudgetPacing.self), count: 2)
        var rng = Xoshiro256(seed: 1)
        var h = REINFORCE.Hyperparameters.defaults
        h.hiddenSizes = [8]
        h.episodesPerUpdate = 2
        h.rewardScale = 0.001
        let agent = try REINFORCE(spec: env.spec, count: 2, hyperparameters: h, using: &rng)
        var loop = try TrainingLoop(agent: agent, env: env, seed: 1)
        let before = loop.agent.logStd
        var clippedLow = false
        try loop.run(steps: 200) { loop in
            if loop.actions.reals.contains(0) { clippedLow = true }
        }
        #expect(loop.agent.updates >= 3)
        #expect(loop.agent.logStd != before)
        #expect(clippedLow)  // the untrained mean is near 0 with σ = 1: half the samples fall below the box
    }
}
