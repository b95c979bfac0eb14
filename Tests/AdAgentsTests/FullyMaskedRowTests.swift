import Testing
import AdAgents
import AdEnv

/// An env may end an episode in a state where every action is masked (BudgetedBandit-v0 stops
/// when no arm is affordable). The autoreset step that follows ignores the action; the policy
/// gradient agents must act on it, and learn around it, without tripping on the empty mask.
@Suite struct FullyMaskedRowTests {
    /// A budget that runs out after a few dozen pulls: episodes terminate with an all-false mask.
    static func smallBudget() throws -> VectorEnv<BudgetedBandit> {
        let bandit = try Registry.standard.make(
            "BudgetedBandit-v0", as: BudgetedBandit.self, overrides: [Override("budget", 20), Override("max_episode_steps", 1_000)])
        return VectorEnv(bandit, count: 2)
    }

    static func expectEpisodesTerminateAndTraining<A: Agent>(_ agent: A) throws {
        let env = try smallBudget()
        var loop = try TrainingLoop(agent: agent, env: env, seed: 3)
        try loop.run(steps: 600)
        #expect(loop.episodes.contains { $0.terminated })
        #expect(loop.episodes.allSatisfy { $0.length < 1_000 })
    }

    @Test func logSoftmaxTakesAFullyMaskedRowAsUnmasked() {
        let logits = Matrix<Double>(rows: 2, columns: 3, storage: [1, 2, 3, 1, 2, 3])
        var masked = Matrix<Double>(rows: 2, columns: 3), unmasked = Matrix<Double>(rows: 2, columns: 3)
        Categorical.logSoftmax(logits, mask: [false, false, false, true, false, true], into: &masked)
        Categorical.logSoftmax(logits, into: &unmasked)
        #expect(Array(masked.storage[0..<3]) == Array(unmasked.storage[0..<3]))
        #expect(masked.storage[4] == -.infinity)
    }

    @Test func ppoActsAndLearnsThroughAllMaskedTerminalStates() throws {
        var preset = try Preset.named("ppo")
        try preset.apply([Override("num_steps", 32), Override("total_steps", 600)])
        var rng = Xoshiro256(seed: 1)
        let env = try Self.smallBudget()
        try Self.expectEpisodesTerminateAndTraining(
            try PPO(spec: env.spec, count: 2, hyperparameters: PPO.Hyperparameters.read(preset.hyperparameters).hyperparameters, using: &rng))
    }

    @Test func reinforceActsAndLearnsThroughAllMaskedTerminalStates() throws {
        var preset = try Preset.named("reinforce")
        try preset.apply([Override("episodes_per_update", 2)])
        var rng = Xoshiro256(seed: 1)
        let env = try Self.smallBudget()
        try Self.expectEpisodesTerminateAndTraining(
            try REINFORCE(spec: env.spec, count: 2, hyperparameters: REINFORCE.Hyperparameters.read(preset.hyperparameters).hyperparameters, using: &rng))
    }
}
