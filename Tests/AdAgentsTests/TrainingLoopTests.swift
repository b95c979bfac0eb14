import Testing
import AdAgents
import AdEnv

/// A small learning agent for testing the loop: greedy on empirical means with random
/// exploration, so its actions depend on its state, on the rewards and on the RNG.
struct EmpiricalGreedy: Agent {
    struct Hyperparameters: AgentHyperparameters {
        var epsilon: Double
        init(reading reader: inout ConfigReader) throws(ScenarioError) {
            epsilon = try reader.double("epsilon", default: 0.2, in: .probability)
        }
    }
    static let name = "empirical-greedy"
    let hyperparameters: Hyperparameters
    var pulls: [Double]
    var sums: [Double]

    init(spec: EnvSpec, count: Int, hyperparameters: Hyperparameters, using rng: inout Xoshiro256) throws(AgentError) {
        self.hyperparameters = hyperparameters
        pulls = Array(repeating: 0, count: spec.discreteActionCount)
        sums = pulls
    }

    mutating func act<Env: BatchEnv>(on env: Env, mode: ActingMode, into actions: inout ActionBatch, using rng: inout Xoshiro256) {
        for i in 0..<env.count {
            if rng.uniform() < hyperparameters.epsilon {
                actions.integers[i] = Int64(rng.below(pulls.count))
            } else {
                let means = (0..<pulls.count).map { pulls[$0] == 0 ? 1 : sums[$0] / pulls[$0] }
                actions.integers[i] = Int64(means.indices.max { means[$0] < means[$1] }!)
            }
        }
    }

    mutating func learn<Env: BatchEnv>(from env: Env, actions: ActionBatch, using rng: inout Xoshiro256) {
        for i in 0..<env.count {
            pulls[Int(actions.integers[i])] += 1
            sums[Int(actions.integers[i])] += env.rewards[i]
        }
    }

    func save(to checkpoint: inout Checkpoint) {
        checkpoint.set("pulls", .doubles(pulls))
        checkpoint.set("sums", .doubles(sums))
    }

    mutating func load(from checkpoint: Checkpoint) throws(CheckpointError) {
        pulls = try checkpoint.doubles("pulls", count: pulls.count)
        sums = try checkpoint.doubles("sums", count: sums.count)
    }
}

@Suite struct TrainingLoopTests {
    static func loop(seed: UInt64 = 3) throws -> TrainingLoop<EmpiricalGreedy, VectorEnv<BernoulliBandit>> {
        let bandit = try Registry.standard.make("StrategyBandit-v0", as: BernoulliBandit.self, overrides: [Override("max_episode_steps", 50)])
        let env = VectorEnv(bandit, count: 2)
        var rng = Xoshiro256(seed: 1)
        let agent = try EmpiricalGreedy(spec: env.spec, count: 2, hyperparameters: .defaults, using: &rng)
        return try TrainingLoop(agent: agent, env: env, seed: seed)
    }

    @Test func episodesEndAtTheTimeLimitWithTheirReturnsAndRegret() throws {
        var loop = try Self.loop()
        try loop.run(steps: 404)
        #expect(loop.steps == 404)
        // 202 batch steps of 2 copies: 50 steps per episode plus one autoreset step each.
        #expect(loop.episodes.count == 6)
        #expect(loop.episodes.allSatisfy { $0.length == 50 && !$0.terminated })
        #expect(loop.episodes.allSatisfy { $0.regret >= 0 })
        #expect(loop.episodes.contains { $0.reward > 0 })
    }

    @Test func resumingFromACheckpointIsBitIdenticalToRunningStraight() throws {
        var straight = try Self.loop()
        try straight.run(steps: 330)

        var first = try Self.loop()
        try first.run(steps: 166)
        let saved = try Checkpoint(decoding: first.checkpoint().encoded())
        let fresh = try Self.loop(seed: 999)  // a fresh env and agent; the seed comes from the checkpoint
        var resumed = try TrainingLoop.resume(from: saved, agent: fresh.agent, env: fresh.env)
        try resumed.run(steps: 164)

        #expect(resumed.steps == straight.steps)
        #expect(resumed.episodes == straight.episodes)
        #expect(resumed.cumulativeRegret == straight.cumulativeRegret)
        #expect(resumed.agent.sums == straight.agent.sums)
        #expect(resumed.checkpoint().encoded() == straight.checkpoint().encoded())
    }

    @Test func resumingOnAnotherScenarioIsRefused() throws {
        var first = try Self.loop()
        try first.run(steps: 10)
        let other = VectorEnv(try Registry.standard.make("BannerBandit-v0", as: BernoulliBandit.self), count: 2)
        #expect(throws: CheckpointError.self) {
            _ = try TrainingLoop.resume(from: first.checkpoint(), agent: first.agent, env: other)
        }
    }
}
