import Testing
import AdAgents
import AdEnv

/// Resuming any agent's run from a checkpoint continues it bit for bit, on a vector env.
private func expectResumeIsBitIdentical<A: Agent, E: ScenarioEnv>(_ type: A.Type, _ env: E, copies: Int = 3, steps: Int = 600) throws {
    func loop(seed: UInt64) throws -> TrainingLoop<A, VectorEnv<E>> {
        let vector = VectorEnv(env, count: copies)
        var rng = Xoshiro256(seed: 2)
        return try TrainingLoop(agent: try A(spec: vector.spec, count: copies, hyperparameters: .defaults, using: &rng), env: vector, seed: seed)
    }
    var straight = try loop(seed: 8)
    try straight.run(steps: 2 * steps)
    var first = try loop(seed: 8)
    try first.run(steps: steps)
    let saved = try Checkpoint(decoding: first.checkpoint().encoded())
    let fresh = try loop(seed: 123)
    var resumed = try TrainingLoop.resume(from: saved, agent: fresh.agent, env: fresh.env)
    try resumed.run(steps: steps)
    #expect(resumed.episodes == straight.episodes, "\(A.name)")
    #expect(resumed.checkpoint().encoded() == straight.checkpoint().encoded(), "\(A.name)")
}

@Suite struct BanditBehaviourTests {
    static func strategy(_ steps: Int = 100) throws -> BernoulliBandit {
        try Registry.standard.make("StrategyBandit-v0", as: BernoulliBandit.self, overrides: [Override("max_episode_steps", .number(Double(steps)))])
    }

    @Test func everyBanditResumesBitForBitOnAVectorEnv() throws {
        let strategy = try Self.strategy()
        try expectResumeIsBitIdentical(EpsilonGreedy.self, strategy)
        try expectResumeIsBitIdentical(UCB1.self, strategy)
        try expectResumeIsBitIdentical(KLUCB.self, strategy)
        try expectResumeIsBitIdentical(ThompsonSampling.self, strategy)
        let banner = try Registry.standard.make("ContextualBanner-v0", as: ContextualBandit.self, overrides: [Override("max_episode_steps", 100)])
        try expectResumeIsBitIdentical(LinUCB.self, banner)
        try expectResumeIsBitIdentical(LinTS.self, banner)
        let budgeted = try Registry.standard.make("BudgetedBandit-v0", as: BudgetedBandit.self, overrides: [Override("max_episode_steps", 100), Override("budget", 45)])
        try expectResumeIsBitIdentical(BudgetedUCB.self, budgeted)
        try expectResumeIsBitIdentical(PIDPacer.self, try Registry.standard.make("BudgetPacing-v0", as: BudgetPacing.self), steps: 90)
    }

    @Test func epsilonGreedyLogsItsPolicysProbability() throws {
        let vector = VectorEnv(try Self.strategy(), count: 4)
        var rng = Xoshiro256(seed: 3)
        var agent = try EpsilonGreedy(spec: vector.spec, count: 4, hyperparameters: .defaults, using: &rng)
        var actions = ActionBatch(spec: vector.spec, count: 4)
        vector.reset(seed: 1)
        for _ in 0..<300 {
            agent.act(on: vector, mode: .training, into: &actions, using: &rng)
            let best = agent.means.max()!
            let ties = agent.means.filter { $0 == best }.count
            for i in 0..<4 {
                let greedy = agent.means[Int(actions.integers[i])] == best
                #expect(actions.probabilities[i] == (greedy ? 0.9 / Double(ties) + 0.02 : 0.02))
            }
            try actions.step(vector)
            agent.learn(from: vector, actions: actions, using: &rng)
        }
    }

    @Test func thompsonsMonteCarloPropensityIsCloseToTheChosenArmsFrequency() throws {
        // Posterior after some data: estimate the propensity of each arm by the frequency of the
        // sampled choices, and compare with the logged Monte-Carlo estimates.
        let vector = VectorEnv(try Self.strategy(), count: 1)
        var rng = Xoshiro256(seed: 4)
        let hyperparameters = try ThompsonSampling.Hyperparameters.read(ConfigObject([(key: "propensity_draws", value: 400)])).hyperparameters
        var agent = try ThompsonSampling(spec: vector.spec, count: 1, hyperparameters: hyperparameters, using: &rng)
        var actions = ActionBatch(spec: vector.spec, count: 1)
        vector.reset(seed: 2)
        for _ in 0..<30 {
            agent.act(on: vector, mode: .training, into: &actions, using: &rng)
            try actions.step(vector)
            agent.learn(from: vector, actions: actions, using: &rng)
        }
        var frequency = [Double](repeating: 0, count: 5), logged = [Double](repeating: 0, count: 5)
        let n = 2_000
        for _ in 0..<n {
            agent.act(on: vector, mode: .training, into: &actions, using: &rng)
            frequency[Int(actions.integers[0])] += 1 / Double(n)
            logged[Int(actions.integers[0])] = actions.probabilities[0]
        }
        for k in 0..<5 where frequency[k] > 0.05 {
            #expect(abs(logged[k] - frequency[k]) < 0.1, "arm \(k): logged \(logged[k]), frequency \(frequency[k])")
        }
    }

    @Test func evaluationModePlaysThePosteriorMeanAndUCBsInitialSweepIsInOrder() throws {
        let vector = VectorEnv(try Self.strategy(), count: 1)
        var rng = Xoshiro256(seed: 5)
        var ucb = try UCB1(spec: vector.spec, count: 1, hyperparameters: .defaults, using: &rng)
        var actions = ActionBatch(spec: vector.spec, count: 1)
        vector.reset(seed: 3)
        var first: [Int64] = []
        for _ in 0..<5 {
            ucb.act(on: vector, mode: .training, into: &actions, using: &rng)
            first.append(actions.integers[0])
            try actions.step(vector)
            ucb.learn(from: vector, actions: actions, using: &rng)
        }
        #expect(first == [0, 1, 2, 3, 4])
        for _ in 0..<2_000 {
            ucb.act(on: vector, mode: .training, into: &actions, using: &rng)
            try actions.step(vector)
            ucb.learn(from: vector, actions: actions, using: &rng)
        }
        ucb.act(on: vector, mode: .evaluation, into: &actions, using: &rng)
        #expect(actions.integers[0] == Int64(ucb.means.indices.max { ucb.means[$0] < ucb.means[$1] }!))
    }

    @Test func klUCBsIndexSolvesItsDefiningEquation() {
        for (p, n, bound) in [(0.3, 10.0, 2.0), (0.0, 5.0, 1.0), (0.95, 100.0, 7.0), (0.5, 1.0, 0.1)] {
            let q = KLUCB.upperBound(mean: p, pulls: n, bound: bound)
            #expect(q >= p && q <= 1)
            #expect(abs(n * KLUCB.divergence(p, q) - bound) < 1e-6, "p \(p) n \(n): q \(q)")
        }
        #expect(KLUCB.upperBound(mean: 1, pulls: 3, bound: 2) == 1)
    }

    @Test func banditsRefuseBoxActionsAndUnitRewardModelsRefuseOtherRewards() throws {
        let pacing = try Registry.standard.make("BudgetPacing-v0", as: BudgetPacing.self)
        var rng = Xoshiro256(seed: 1)
        #expect(throws: AgentError.self) { try UCB1(spec: pacing.spec, count: 1, hyperparameters: .defaults, using: &rng) }
        #expect(throws: AgentError.self) { try LinUCB(spec: pacing.spec, count: 1, hyperparameters: .defaults, using: &rng) }
        let slate = try Registry.standard.make("SlateRanking-v0", as: SlateRanking.self)
        #expect(throws: AgentError.self) { try ThompsonSampling(spec: slate.spec, count: 1, hyperparameters: .defaults, using: &rng) }
        let fatigue = try Registry.standard.make("FatigueMDP-v0", as: FatigueMDP.self)
        _ = try ThompsonSampling(spec: fatigue.spec, count: 1, hyperparameters: .defaults, using: &rng)  // rewards in [0, 1]
    }
}

@Suite struct AgentCatalogTests {
    struct NameAndRoundTrip: AgentVisitor {
        let spec: EnvSpec
        func visit<A: Agent>(_ type: A.Type) throws -> String {
            var rng = Xoshiro256(seed: 1)
            let agent = try A(spec: spec, count: 2, hyperparameters: .defaults, using: &rng)
            var checkpoint = Checkpoint(agent: A.name)
            agent.save(to: &checkpoint)
            var copy = try A(spec: spec, count: 2, hyperparameters: .defaults, using: &rng)
            try copy.load(from: checkpoint)
            return A.name
        }
    }

    @Test func everyAgentIsFoundByItsNameAndNamesAreUnique() throws {
        #expect(Set(AgentCatalog.names).count == AgentCatalog.names.count)
        for name in ["random", "greedy", "oracle", "epsilon-greedy", "ucb1", "kl-ucb", "thompson", "linucb", "lints", "budgeted-ucb"] {
            let env = try Registry.standard.make("BudgetedBandit-v0", as: BudgetedBandit.self)
            #expect(try AgentCatalog.visit(name, with: NameAndRoundTrip(spec: env.spec)) == name)
        }
        let pacing = try Registry.standard.make("BudgetPacing-v0", as: BudgetPacing.self)
        #expect(try AgentCatalog.visit("pid", with: NameAndRoundTrip(spec: pacing.spec)) == "pid")
        #expect(throws: AgentCatalogError.self) { try AgentCatalog.visit("dqn-typo", with: NameAndRoundTrip(spec: pacing.spec)) }
    }

    @Test func everyAgentHasAPresetThatItsHyperparametersAccept() throws {
        struct ReadPreset: AgentVisitor {
            func visit<A: Agent>(_ type: A.Type) throws -> Bool {
                let preset = try Preset.named(A.name)
                #expect(preset.source != "built-in", "Agents/\(A.name).json is missing")
                _ = try A.hyperparameters(from: preset)
                return true
            }
        }
        for name in AgentCatalog.names { #expect(try AgentCatalog.visit(name, with: ReadPreset())) }
    }
}
