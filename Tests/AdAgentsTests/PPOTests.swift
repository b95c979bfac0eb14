import Testing
import AdAgents
import AdEnv

@Suite struct PPOTests {
    typealias Support = PolicyGradientSupport

    static func fatigueLoop(seed: UInt64, hyperparameters: PPO.Hyperparameters, copies: Int = 4) throws -> TrainingLoop<PPO, VectorEnv<FatigueMDP>> {
        let env = VectorEnv(try Support.fatigueMDP(), count: copies)
        var rng = Xoshiro256(seed: seed)
        let agent = try PPO(spec: env.spec, count: copies, hyperparameters: hyperparameters, using: &rng)
        return try TrainingLoop(agent: agent, env: env, seed: seed)
    }

    static func pacingLoop(seed: UInt64, hyperparameters: PPO.Hyperparameters, copies: Int) throws -> TrainingLoop<PPO, VectorEnv<BudgetPacing>> {
        let env = VectorEnv(try Registry.standard.make("BudgetPacing-v0", as: BudgetPacing.self), count: copies)
        var rng = Xoshiro256(seed: seed)
        let agent = try PPO(spec: env.spec, count: copies, hyperparameters: hyperparameters, using: &rng)
        return try TrainingLoop(agent: agent, env: env, seed: seed)
    }

    /// The preset's hyper-parameters (the file anyone can read), with `total_steps` set.
    static func preset(_ name: String, totalSteps: Int) throws -> PPO.Hyperparameters {
        var preset = try Preset.named(name)
        try preset.apply([Override("total_steps", .number(Double(totalSteps)))])
        return try PPO.Hyperparameters.read(preset.hyperparameters).hyperparameters
    }

    // MARK: GAE

    /// Two copies, four steps (time-major `[t * 2 + i]`), γ = λ = ½ so every value is exact in Float.
    /// Copy 0: a step, a truncation (bootstrapped with V(final observation) = 8, acted on at t = 2),
    /// an autoreset step, a step bootstrapped at the rollout's end (v = 2).
    /// Copy 1: two steps, a termination (not bootstrapped: its next value 6 must be ignored), an
    /// autoreset step.
    @Test func gaeMatchesAHandComputedRolloutWithATruncationAndATermination() {
        let rewards: [Float] = [1, 1, 2, 0, 0, 2, 4, 0]
        let values: [Float] = [2, 1, 4, 2, 8, 3, 1, 6, 2, 5]
        let terminated = [false, false, false, false, false, true, false, false]
        let truncated = [false, false, true, false, false, false, false, false]
        let valid = [true, true, true, true, false, true, true, false]
        var advantages = [Float](repeating: .nan, count: 8)
        GAE.advantages(rewards: rewards, values: values, terminated: terminated, truncated: truncated, valid: valid,
                       copies: 2, gamma: 0.5, lambda: 0.5, into: &advantages)
        // Copy 0: δ3 = 4 + ½·2 − 1 = 4; δ1 = 2 + ½·8 − 4 = 2 (chain stops); δ0 = 1 + ½·4 − 2 = 1,
        //         A0 = 1 + ¼·2 = 1.5.
        // Copy 1: δ2 = 2 − 3 = −1; δ1 = 0 + ½·3 − 2 = −½, A1 = −½ + ¼·(−1) = −¾;
        //         δ0 = 1 + ½·2 − 1 = 1, A0 = 1 + ¼·(−¾) = 0.8125.
        #expect(advantages == [1.5, 0.8125, 2, -0.75, 0, -1, 4, 0])
    }

    @Test func gaeWithLambdaOneGivesDiscountedReturnsMinusValues() {
        // One copy, three steps, no ends: A_t = Σ γ^k r_{t+k} + γ^{3−t} v_3 − v_t.
        var advantages = [Float](repeating: 0, count: 3)
        GAE.advantages(rewards: [1, 2, 4], values: [0.5, 0.25, 1, 8], terminated: [false, false, false], truncated: [false, false, false],
                       valid: [true, true, true], copies: 1, gamma: 0.5, lambda: 1, into: &advantages)
        let expected: [Float] = [3.5, 5.75, 7]  // 1 + ½·2 + ¼·4 + ⅛·8 − ½, 2 + ½·4 + ¼·8 − ¼, 4 + ½·8 − 1
        #expect(advantages == expected)
    }

    // MARK: Quality bars

    /// CleanRL's settings (`Agents/ppo.json`), 16 updates of 4 × 128 steps, 5 seeds. The greedy
    /// policy's exact value (policy evaluation on the MDP) must reach 95% of V*(0) on every seed,
    /// and the untrained one must not (so the test can fail).
    @Test(.enabled(if: PolicyGradientSupport.isReleaseBuild, "trains 5 × 8,192 steps; runs in `swift test -c release`"))
    func discretePPOReaches95PercentOfTheOptimalValueOnFatigueMDP() throws {
        let mdp = try Support.fatigueMDP()
        for seed: UInt64 in 1...5 {
            var loop = try Self.fatigueLoop(seed: seed, hyperparameters: try Self.preset("ppo", totalSteps: 8192))
            let untrained = try Support.greedyFatigueScore(actor: loop.agent.actor, mdp: mdp)
            #expect(untrained.fraction < 0.95, "seed \(seed): the untrained policy \(untrained.policy) already scores \(untrained.fraction)")
            try loop.run(steps: 8192)
            let trained = try Support.greedyFatigueScore(actor: loop.agent.actor, mdp: mdp)
            #expect(trained.fraction >= 0.95, "seed \(seed): greedy policy \(trained.policy) is worth \(trained.value), \(trained.fraction) of V*(0)")
        }
    }

    /// `Agents/ppo-continuous.json` on the budget-pacing day: the Gaussian mean's return over 64
    /// evaluation episodes must reach 90% of the closed-form optimum (the lower end of its 95% CI).
    @Test(.enabled(if: PolicyGradientSupport.isReleaseBuild, "trains 200,000 steps; runs in `swift test -c release`"))
    func continuousPPOReaches90PercentOfTheClosedFormOptimumOnBudgetPacing() throws {
        let steps = 200_000
        let hyperparameters = try Self.preset("ppo-continuous", totalSteps: steps)
        let copies = 8
        var loop = try Self.pacingLoop(seed: 1, hyperparameters: hyperparameters, copies: copies)
        let optimum = loop.env.spec.oracle.expectedReturn!
        let untrained = try Support.evaluate(loop.agent, on: VectorEnv(try Registry.standard.make("BudgetPacing-v0", as: BudgetPacing.self), count: copies), episodes: 64, seed: 10_000)
        try loop.run(steps: steps)
        let trained = try Support.evaluate(loop.agent, on: VectorEnv(try Registry.standard.make("BudgetPacing-v0", as: BudgetPacing.self), count: copies), episodes: 64, seed: 10_000)
        #expect(untrained.interval95.upperBound < 0.9 * optimum, "untrained \(untrained.mean) ± \(untrained.halfWidth95)")
        #expect(trained.interval95.lowerBound >= 0.9 * optimum, "trained \(trained.mean) ± \(trained.halfWidth95) against optimum \(optimum)")
    }

    // MARK: Checkpoints

    /// Trains 2N env-steps straight, and N, checkpoint (encoded and decoded), resume into a fresh
    /// agent and env, N more: the checkpoints must be byte-identical. N = 152 on 4 copies with
    /// 16-step rollouts stops 6 steps into the 3rd rollout, so the partial buffer is exercised.
    /// (Small networks keep the debug build fast.)
    @Test func resumingMidRolloutIsBitIdenticalForDiscreteActions() throws {
        var h = PPO.Hyperparameters.defaults
        h.rolloutSteps = 16
        h.hiddenSizes = [16, 16]
        h.totalSteps = 304
        var straight = try Self.fatigueLoop(seed: 7, hyperparameters: h)
        try straight.run(steps: 304)

        var first = try Self.fatigueLoop(seed: 7, hyperparameters: h)
        try first.run(steps: 152)
        #expect(first.agent.updates == 2)
        let saved = try Checkpoint(decoding: first.checkpoint().encoded())
        let fresh = try Self.fatigueLoop(seed: 99, hyperparameters: h)
        var resumed = try TrainingLoop.resume(from: saved, agent: fresh.agent, env: fresh.env)
        try resumed.run(steps: 152)

        #expect(resumed.agent.updates == straight.agent.updates)
        #expect(resumed.agent.actor == straight.agent.actor)
        #expect(resumed.episodes == straight.episodes)
        #expect(resumed.checkpoint().encoded() == straight.checkpoint().encoded())
        #expect(first.agent.actor != straight.agent.actor)
    }

    @Test func resumingMidRolloutIsBitIdenticalForContinuousActions() throws {
        var h = try Self.preset("ppo-continuous", totalSteps: 200)
        h.rolloutSteps = 20
        h.epochs = 2
        h.hiddenSizes = [16, 16]
        var straight = try Self.pacingLoop(seed: 3, hyperparameters: h, copies: 2)
        try straight.run(steps: 200)

        var first = try Self.pacingLoop(seed: 3, hyperparameters: h, copies: 2)
        try first.run(steps: 100)  // 50 batch steps: 2 updates and 10 steps into the 3rd rollout
        let saved = try Checkpoint(decoding: first.checkpoint().encoded())
        let fresh = try Self.pacingLoop(seed: 42, hyperparameters: h, copies: 2)
        var resumed = try TrainingLoop.resume(from: saved, agent: fresh.agent, env: fresh.env)
        try resumed.run(steps: 100)

        #expect(resumed.agent.logStd == straight.agent.logStd)
        #expect(resumed.checkpoint().encoded() == straight.checkpoint().encoded())
        #expect(straight.agent.logStd != first.agent.logStd)
    }

    @Test func aCheckpointOfAnotherShapeIsRefusedAndChangesNothing() throws {
        var loop = try Self.fatigueLoop(seed: 1, hyperparameters: .defaults)
        try loop.run(steps: 100)
        var small = PPO.Hyperparameters.defaults
        small.hiddenSizes = [8]
        var other = try Self.fatigueLoop(seed: 1, hyperparameters: small).agent
        let before = other.actor
        #expect(throws: CheckpointError.self) { try other.load(from: loop.checkpoint()) }
        #expect(other.actor == before)
    }

    // MARK: Acting

    @Test func evaluationActsGreedilyWithProbabilityOneAndLearnsNothing() throws {
        var h = PPO.Hyperparameters.defaults
        h.rolloutSteps = 32
        h.hiddenSizes = [16, 16]
        var loop = try Self.fatigueLoop(seed: 5, hyperparameters: h)
        try loop.run(steps: 256)
        var agent = loop.agent
        let before = agent.actor
        let env = loop.env
        var actions = ActionBatch(spec: env.spec, count: env.count)
        var rng = Xoshiro256(seed: 1)
        let policy = try Support.greedyFatigueScore(actor: agent.actor, mdp: try Support.fatigueMDP()).policy
        for _ in 0..<100 {
            let levels = env.envs.map(\.currentFatigue)
            agent.act(on: env, mode: .evaluation, into: &actions, using: &rng)
            #expect(actions.integers == levels.map { Int64(policy[$0]) })
            #expect(actions.probabilities.allSatisfy { $0 == 1 })
            try actions.step(env)
            agent.learn(from: env, actions: actions, using: &rng)
        }
        #expect(agent.actor == before)
        #expect(agent.updates == loop.agent.updates)
    }

    @Test func trainingSamplesAndReportsTheSampledActionsProbability() throws {
        let loop = try Self.fatigueLoop(seed: 2, hyperparameters: .defaults, copies: 64)
        var agent = loop.agent
        var actions = ActionBatch(spec: loop.env.spec, count: 64)
        var rng = Xoshiro256(seed: 3)
        agent.act(on: loop.env, mode: .training, into: &actions, using: &rng)
        // The untrained policy is nearly uniform (policy head gain 0.01): both actions appear, each
        // with probability near ½.
        #expect(Set(actions.integers) == [0, 1])
        #expect(actions.probabilities.allSatisfy { abs($0 - 0.5) < 0.05 })
    }

    /// AdMarket masks campaigns that are on the page or out of budget; a masked action would make
    /// the env refuse the whole batch, so a run that completes never chose one.
    @Test func maskedActionsAreNeverChosen() throws {
        let market = try Registry.standard.make("AdMarket-v0", as: AdMarket.self)
        let env = VectorEnv(market, count: 2)
        var rng = Xoshiro256(seed: 1)
        var h = PPO.Hyperparameters.defaults
        h.rolloutSteps = 32
        h.hiddenSizes = [16]
        let agent = try PPO(spec: env.spec, count: 2, hyperparameters: h, using: &rng)
        var loop = try TrainingLoop(agent: agent, env: env, seed: 4)
        var maskedSeen = false
        try loop.run(steps: 400) { loop in
            if loop.env.actionMasks.contains(false) { maskedSeen = true }
        }
        #expect(maskedSeen)
        #expect(loop.agent.updates > 0)
    }

    @Test func multiDiscreteActionsAreUnsupported() throws {
        let slate = try Registry.standard.make("SlateRanking-v0")
        var rng = Xoshiro256(seed: 1)
        #expect(throws: AgentError.self) { _ = try PPO(spec: slate.spec, count: 1, hyperparameters: .defaults, using: &rng) }
    }

    @Test func moreMinibatchesThanRolloutStepsIsAnInvalidHyperparameter() throws {
        var h = PPO.Hyperparameters.defaults
        h.rolloutSteps = 2
        h.minibatches = 16
        var rng = Xoshiro256(seed: 1)
        #expect(throws: AgentError.self) { _ = try PPO(spec: try Support.fatigueMDP().spec, count: 4, hyperparameters: h, using: &rng) }
    }

    @Test func theLearningRateAnnealsLinearlyToZeroOverTheTotalSteps() throws {
        var h = PPO.Hyperparameters.defaults
        h.rolloutSteps = 16
        h.hiddenSizes = [8]
        h.totalSteps = 4 * 16 * 4  // four updates
        var loop = try Self.fatigueLoop(seed: 1, hyperparameters: h)
        var rates: [Float] = []
        for _ in 0..<5 {
            rates.append(loop.agent.currentLearningRate)
            try loop.run(steps: 64)
        }
        #expect(rates == [1, 0.75, 0.5, 0.25, 0].map { Float($0 * h.learningRate) })
    }
}
