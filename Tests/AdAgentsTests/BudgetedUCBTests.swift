import Testing
import AdAgents
import AdEnv

/// The budget-aware bandit on BudgetedBandit-v0 (the LP mixes arms 0 and 4 half and half for
/// 5,250; the best single arm earns 3,150).
@Suite struct BudgetedUCBTests {
    @Test func itsFirstEpisodeEarnsAtLeast97PercentOfTheLPValue() throws {
        var total = 0.0
        let seeds: Range<UInt64> = 0..<20
        var lpValue = 0.0
        for seed in seeds {
            let bandit = try Registry.standard.make("BudgetedBandit-v0", as: BudgetedBandit.self)
            lpValue = bandit.lpOptimum().value
            let vector = VectorEnv(bandit, count: 1)
            var rng = Xoshiro256(seed: seed)
            let agent = try BudgetedUCB(spec: vector.spec, count: 1, hyperparameters: .defaults, using: &rng)
            var loop = try TrainingLoop(agent: agent, env: vector, seed: seed, keepsLog: false)
            while loop.episodes.isEmpty { try loop.step() }
            total += loop.episodes[0].reward
        }
        let mean = total / Double(seeds.count)
        print("BudgetedUCBTests: first-episode mean return \(mean) of LP value \(lpValue)")
        #expect(mean >= 0.97 * lpValue)
    }

    @Test func theLoggedProbabilityIsTheLPMixAndTheMaskIsRespected() throws {
        let vector = VectorEnv(try Registry.standard.make("BudgetedBandit-v0", as: BudgetedBandit.self, overrides: [Override("max_episode_steps", 400), Override("budget", 180)]), count: 3)
        var rng = Xoshiro256(seed: 1)
        var agent = try BudgetedUCB(spec: vector.spec, count: 3, hyperparameters: .defaults, using: &rng)
        var actions = ActionBatch(spec: vector.spec, count: 3)
        vector.reset(seed: 5)
        var mixed = 0, terminations = 0
        for _ in 0..<1_000 {
            agent.act(on: vector, mode: .training, into: &actions, using: &rng)
            #expect(actions.probabilities.allSatisfy { $0 > 0 && $0 <= 1 })
            mixed += actions.probabilities.filter { $0 < 1 }.count
            for i in 0..<3 where !vector.needsReset[i] {
                #expect(vector.actionMasks[i * 5 + Int(actions.integers[i])], "a masked arm was chosen")
            }
            try actions.step(vector)
            agent.learn(from: vector, actions: actions, using: &rng)
            terminations += vector.terminated.filter { $0 }.count
        }
        #expect(mixed > 0)
        #expect(terminations > 0)  // budgets ran out: the masks were in force
    }

    @Test func itRefusesEnvsWithoutABudget() throws {
        let env = VectorEnv(try Registry.standard.make("StrategyBandit-v0", as: BernoulliBandit.self), count: 1)
        var rng = Xoshiro256(seed: 1)
        #expect(throws: AgentError.self) { try BudgetedUCB(spec: env.spec, count: 1, hyperparameters: .defaults, using: &rng) }
    }
}
