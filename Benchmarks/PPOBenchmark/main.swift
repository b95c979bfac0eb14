// PPO training throughput with CleanRL's settings (4 envs × 128 steps, 4 epochs, 4 minibatches,
// 64-64 tanh), env included: env-steps per second of `TrainingLoop.run`, one thread.
// Usage: swift run -c release PPOBenchmark [steps-per-scenario] [scenario ...]
import AdAgents
import AdEnv

func measure<E: ScenarioEnv>(_ scenario: E, steps: Int) throws -> (steps: Int, seconds: Double, updates: Int) {
    let env = VectorEnv(scenario, count: 4)
    var rng = Xoshiro256(seed: 1)
    let agent = try PPO(spec: env.spec, count: 4, hyperparameters: .defaults, using: &rng)
    var loop = try TrainingLoop(agent: agent, env: env, seed: 1, keepsLog: false)
    try loop.run(steps: 4 * 128)  // warm-up: one rollout and update
    let clock = ContinuousClock()
    let start = clock.now
    let before = loop.steps
    try loop.run(steps: steps)
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return (loop.steps - before, seconds, loop.agent.updates)
}

func run<E: ScenarioEnv>(_ id: String, as type: E.Type, steps: Int) throws {
    let scenario = try Registry.standard.make(id, as: type)
    let r = try measure(scenario, steps: steps)
    let rate = Double(r.steps) / r.seconds
    print("\(id): \(r.steps) steps in \((r.seconds * 1000).rounded() / 1000) s = \(Int(rate.rounded())) steps/s (PPO, 4 envs × 128 steps, 4 epochs × 4 minibatches, 64-64 tanh)")
}

let arguments = CommandLine.arguments.dropFirst()
let steps = arguments.first.flatMap(Int.init) ?? 1_000_000
let ids = arguments.dropFirst().isEmpty ? ["FatigueMDP-v0", "AdMarket-v0"] : Array(arguments.dropFirst())
for id in ids {
    switch id {
    case "FatigueMDP-v0": try run(id, as: FatigueMDP.self, steps: steps)
    case "AdMarket-v0": try run(id, as: AdMarket.self, steps: steps)
    case "BudgetPacing-v0": try run(id, as: BudgetPacing.self, steps: steps)
    default: print("PPOBenchmark: unknown scenario \(id) (FatigueMDP-v0, AdMarket-v0, BudgetPacing-v0)")
    }
}
