import Testing
import AdAgents
import AdEnv

@Suite struct DQNTests {
    static func hyperparameters(_ values: [(String, ConfigValue)]) throws -> DQN.Hyperparameters {
        try DQN.Hyperparameters.read(ConfigObject(values)).hyperparameters
    }

    /// Settings that solve the fatigue MDP within 20,000 steps.
    static func fatigueSettings(double: Bool) throws -> DQN.Hyperparameters {
        try hyperparameters([
            ("learning_rate", 1e-3), ("buffer_size", 20_000), ("batch_size", 64), ("learning_starts", 1_000),
            ("train_frequency", 4), ("target_network_frequency", 250), ("exploration_steps", 8_000),
            ("end_epsilon", 0.05), ("hidden_sizes", [64, 64]), ("double_dqn", .bool(double)),
        ])
    }

    static func fatigue(_ overrides: [Override] = []) throws -> FatigueMDP {
        try Registry.standard.make("FatigueMDP-v0", as: FatigueMDP.self, overrides: overrides)
    }

    /// The exact discounted value from fatigue 0 of the agent's greedy policy.
    static func greedyValue(_ agent: DQN, _ mdp: FatigueMDP) -> Double {
        let policy = (0...mdp.maxLevel).map { f -> Int in
            var observation = [Float](repeating: 0, count: mdp.maxLevel + 2)
            observation[f] = 1
            observation[mdp.maxLevel + 1] = Float(f) / Float(mdp.maxLevel)
            let q = agent.qValues(for: observation)
            return q[FatigueMDP.show] > q[FatigueMDP.rest] ? FatigueMDP.show : FatigueMDP.rest
        }
        return mdp.policyValues(policy, discount: mdp.spec.oracle.discount)[0]
    }

    static func train(seed: UInt64, double: Bool, steps: Int) throws -> (DQN, FatigueMDP) {
        let mdp = try fatigue()
        let env = VectorEnv(mdp, count: 1)
        var rng = Xoshiro256(seed: seed)
        let agent = try DQN(spec: env.spec, count: 1, hyperparameters: fatigueSettings(double: double), using: &rng)
        var loop = try TrainingLoop(agent: agent, env: env, seed: seed)
        try loop.run(steps: steps)
        return (loop.agent, mdp)
    }

    @Test(.enabled(if: isReleaseBuild), arguments: [false, true])
    func greedyPolicyReaches95PercentOfTheOptimalValueOnTheFatigueMDP(double: Bool) throws {
        let optimal = try #require(try Self.fatigue().spec.oracle.expectedReturn)
        for seed: UInt64 in 1...5 {
            let (agent, mdp) = try Self.train(seed: seed, double: double, steps: 20_000)
            let value = Self.greedyValue(agent, mdp)
            print("DQN double=\(double) seed \(seed): greedy V(0) = \(value), V*(0) = \(optimal), ratio \(value / optimal), updates \(agent.updates)")
            #expect(value >= 0.95 * optimal, "seed \(seed)")
        }
    }

    // MARK: Checkpoints

    /// Small settings that train (and sync the target, and wrap the replay ring) within a few
    /// hundred steps, so the test is fast in a debug build.
    static func smallSettings() throws -> DQN.Hyperparameters {
        try hyperparameters([
            ("learning_rate", 1e-3), ("buffer_size", 100), ("batch_size", 16), ("learning_starts", 50),
            ("train_frequency", 2), ("target_network_frequency", 40), ("exploration_steps", 200),
            ("hidden_sizes", [16, 16]), ("max_grad_norm", 10),
        ])
    }

    static func smallLoop(seed: UInt64) throws -> TrainingLoop<DQN, VectorEnv<FatigueMDP>> {
        let env = VectorEnv(try fatigue([Override("churn_base", 0.05)]), count: 2)
        var rng = Xoshiro256(seed: seed)
        let agent = try DQN(spec: env.spec, count: 2, hyperparameters: smallSettings(), using: &rng)
        return try TrainingLoop(agent: agent, env: env, seed: seed)
    }

    @Test func trainingResumedFromACheckpointIsBitIdenticalToTrainingStraight() throws {
        var straight = try Self.smallLoop(seed: 21)
        try straight.run(steps: 400)

        var first = try Self.smallLoop(seed: 21)
        try first.run(steps: 200)
        let updatesBefore = first.agent.updates
        let saved = try Checkpoint(decoding: first.checkpoint().encoded())
        let fresh = try Self.smallLoop(seed: 777)  // another agent and env; everything comes from the checkpoint
        #expect(fresh.agent.q != first.agent.q)
        var resumed = try TrainingLoop.resume(from: saved, agent: fresh.agent, env: fresh.env)
        try resumed.run(steps: 200)

        // Both halves trained, synced the target and wrapped the replay ring.
        #expect(updatesBefore > 0 && resumed.agent.updates > updatesBefore)
        #expect(resumed.agent.replay.count == resumed.agent.replay.capacity)
        #expect(resumed.agent.target != resumed.agent.q || resumed.agent.steps % 40 == 0)
        #expect(resumed.agent.q == straight.agent.q)
        #expect(resumed.checkpoint().encoded() == straight.checkpoint().encoded())
    }

    @Test func loadingACheckpointOfAnotherShapeFailsAndChangesNothing() throws {
        var loop = try Self.smallLoop(seed: 22)
        try loop.run(steps: 100)
        var c = Checkpoint(agent: DQN.name)
        loop.agent.save(to: &c)
        let env = VectorEnv(try Self.fatigue(), count: 2)
        var rng = Xoshiro256(seed: 1)
        var other = try DQN(spec: env.spec, count: 2, hyperparameters: Self.hyperparameters([("hidden_sizes", [8])]), using: &rng)
        let before = other.q
        #expect(throws: CheckpointError.self) { try other.load(from: c) }
        #expect(other.q == before && other.steps == 0)
    }

    // MARK: Terminal masking

    @Test func targetsBootstrapOnTruncationButNotOnTermination() throws {
        let mdp = try Self.fatigue()
        var rng = Xoshiro256(seed: 23)
        var agent = try DQN(spec: mdp.spec, count: 1, hyperparameters: Self.smallSettings(), using: &rng)
        let state: [Float] = [1, 0, 0, 0, 0, 0]
        let next: [Float] = [0, 0, 1, 0, 0, 0.5]
        var replay = agent.replay
        state.withUnsafeBufferPointer { s in
            next.withUnsafeBufferPointer { n in
                replay.append(observation: s, action: 1, reward: 0.5, terminated: true, nextObservation: n, nextMask: UnsafeBufferPointer(start: nil, count: 0))
                replay.append(observation: s, action: 1, reward: 0.25, terminated: false, nextObservation: n, nextMask: UnsafeBufferPointer(start: nil, count: 0))
            }
        }
        agent = try Self.with(replay, agent)
        let targets = agent.temporalDifferenceTargets(forTransitions: [0, 1])
        // A fresh agent's target network equals its online network, so a* and its value come
        // from the same Q-values.
        let nextValue = agent.qValues(for: next).max()!
        #expect(targets[0] == 0.5)
        #expect(abs(targets[1] - (0.25 + 0.99 * nextValue)) <= 1e-6)
        #expect(nextValue != 0)
    }

    /// With a target network that differs from the online one, double DQN values the online
    /// network's choice with the target network, `Q_target(s', argmax Q_online(s'))`, and vanilla DQN
    /// takes `max Q_target(s')`; the case is chosen so the two differ.
    @Test(arguments: [true, false]) func doubleDQNChoosesOnlineAndValuesWithTheTarget(double: Bool) throws {
        let mdp = try Self.fatigue()
        let next: [Float] = [0, 0, 1, 0, 0, 0.5]
        var settings = try Self.smallSettings()
        settings.doubleDQN = double
        // Find networks whose greedy choices at `next` disagree (a deterministic search over seeds).
        var chosen: (online: DQN, other: DQN)?
        for seed in UInt64(1)...64 where chosen == nil {
            var rng = Xoshiro256(seed: seed)
            let online = try DQN(spec: mdp.spec, count: 1, hyperparameters: settings, using: &rng)
            let other = try DQN(spec: mdp.spec, count: 1, hyperparameters: settings, using: &rng)
            let a = online.qValues(for: next), b = other.qValues(for: next)
            if a.indices.max(by: { a[$0] < a[$1] }) != b.indices.max(by: { b[$0] < b[$1] }) { chosen = (online, other) }
        }
        let (online, other) = try #require(chosen)
        var c = Checkpoint(agent: DQN.name)
        online.save(to: &c)
        other.q.save(to: &c, as: "dqn.target")  // the target network becomes `other`'s network
        var agent = online
        try agent.load(from: c)
        var replay = agent.replay
        let state: [Float] = [1, 0, 0, 0, 0, 0]
        state.withUnsafeBufferPointer { s in
            next.withUnsafeBufferPointer { n in
                replay.append(observation: s, action: 1, reward: 0.25, terminated: false, nextObservation: n, nextMask: UnsafeBufferPointer(start: nil, count: 0))
            }
        }
        agent = try Self.with(replay, agent)
        let onlineValues = online.qValues(for: next), targetValues = other.qValues(for: next)
        let choice = onlineValues.indices.max { onlineValues[$0] < onlineValues[$1] }!
        let expected = 0.25 + 0.99 * (double ? targetValues[choice] : targetValues.max()!)
        #expect(targetValues[choice] != targetValues.max()!)
        #expect(abs(agent.temporalDifferenceTargets(forTransitions: [0])[0] - expected) <= 1e-6)
    }

    /// `agent` with its replay buffer replaced (through a checkpoint, the public way in).
    static func with(_ replay: ReplayBuffer, _ agent: DQN) throws -> DQN {
        var c = Checkpoint(agent: DQN.name)
        agent.save(to: &c)
        replay.save(to: &c, as: "dqn.replay")
        var copy = agent
        try copy.load(from: c)
        return copy
    }

    @Test func storesTerminationTheFinalObservationAndSkipsAutoresetSteps() throws {
        // Short episodes that end both ways: truncated after 3 steps, or terminated by churn.
        let mdp = try Self.fatigue([Override("max_episode_steps", 3), Override("churn_base", 0.3)])
        let env = VectorEnv(mdp, count: 2)
        var rng = Xoshiro256(seed: 24)
        var agent = try DQN(spec: env.spec, count: 2, hyperparameters: Self.hyperparameters([("learning_starts", 1_000)]), using: &rng)
        var actions = ActionBatch(spec: env.spec, count: 2)
        env.reset(seed: 24)
        var expected: [(terminated: Bool, next: [Float])] = []
        var sawTruncation = false, sawTermination = false, sawAutoreset = false
        for _ in 0..<60 {
            let resetting = env.needsReset
            agent.act(on: env, mode: .training, into: &actions, using: &rng)
            try actions.step(env)
            agent.learn(from: env, actions: actions, using: &rng)
            for i in 0..<2 {
                if resetting[i] { sawAutoreset = true; continue }
                expected.append((env.terminated[i], Array(env.observations[(i * 6)..<((i + 1) * 6)])))
                if env.truncated[i] { sawTruncation = true }
                if env.terminated[i] { sawTermination = true }
            }
        }
        #expect(sawTruncation && sawTermination && sawAutoreset)
        #expect(agent.replay.count == expected.count)
        for (k, transition) in expected.enumerated() {
            #expect(agent.replay.terminated[k] == transition.terminated)
            #expect(Array(agent.replay.nextObservations[(k * 6)..<((k + 1) * 6)]) == transition.next)
        }
    }

    // MARK: Masks, modes, spaces

    @Test(arguments: [ActingMode.training, .evaluation])
    func neverChoosesAMaskedActionOnTheMarketplace(mode: ActingMode) throws {
        let env = VectorEnv(try Registry.standard.make("AdMarket-v0", as: AdMarket.self), count: 2)
        var rng = Xoshiro256(seed: 25)
        var agent = try DQN(spec: env.spec, count: 2, hyperparameters: Self.hyperparameters([
            ("learning_starts", 64), ("batch_size", 16), ("train_frequency", 4), ("hidden_sizes", [32]), ("exploration_steps", 400),
        ]), using: &rng)
        var actions = ActionBatch(spec: env.spec, count: 2)
        env.reset(seed: 25)
        let width = env.maskWidth
        var maskedSomething = false
        for _ in 0..<300 {
            agent.act(on: env, mode: mode, into: &actions, using: &rng)
            for i in 0..<2 {
                let a = Int(actions.integers[i])
                #expect(env.actionMasks[i * width + a], "copy \(i) chose masked action \(a)")
                if env.actionMasks[(i * width)..<((i + 1) * width)].contains(false) { maskedSomething = true }
            }
            try actions.step(env)
            agent.learn(from: env, actions: actions, using: &rng)
        }
        #expect(maskedSomething)
        #expect(mode == .evaluation ? agent.steps == 0 && agent.replay.count == 0 : agent.updates > 0)
    }

    @Test func evaluationActsGreedilyWithoutRandomness() throws {
        let env = VectorEnv(try Self.fatigue(), count: 3)
        var rng = Xoshiro256(seed: 26)
        var agent = try DQN(spec: env.spec, count: 3, hyperparameters: Self.smallSettings(), using: &rng)
        env.reset(seed: 26)
        var actions = ActionBatch(spec: env.spec, count: 3)
        let before = rng
        agent.act(on: env, mode: .evaluation, into: &actions, using: &rng)
        #expect(rng.state == before.state)
        for i in 0..<3 {
            let q = agent.qValues(for: Array(env.observations[(i * 6)..<((i + 1) * 6)]))
            #expect(Int(actions.integers[i]) == (q[1] > q[0] ? 1 : 0))
            #expect(actions.probabilities[i] == 1)
        }
        // Training at ε = 1 (the schedule's start) explores: each action has probability ½.
        agent.act(on: env, mode: .training, into: &actions, using: &rng)
        #expect(actions.probabilities.allSatisfy { $0 == 0.5 })
    }

    @Test func refusesContinuousActionSpaces() throws {
        let pacing = try Registry.standard.make("BudgetPacing-v0")
        var rng = Xoshiro256(seed: 1)
        #expect(throws: AgentError.self) {
            _ = try DQN(spec: pacing.spec, count: 1, hyperparameters: .defaults, using: &rng)
        }
    }

    @Test func epsilonFallsLinearlyThenStays() throws {
        let h = try Self.hyperparameters([("start_epsilon", 1), ("end_epsilon", 0.1), ("exploration_steps", 100)])
        #expect(h.epsilon(atStep: 0) == 1)
        #expect(abs(h.epsilon(atStep: 50) - 0.55) <= 1e-12)
        #expect(h.epsilon(atStep: 100) == 0.1 && h.epsilon(atStep: 10_000) == 0.1)
        #expect(throws: ScenarioError.self) { _ = try Self.hyperparameters([("loss", "l1")]) }
        #expect(throws: ScenarioError.self) { _ = try Self.hyperparameters([("batch_sizes", 3)]) }
    }
}
