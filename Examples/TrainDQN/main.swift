// Train DQN on the ad marketplace in a few lines, then evaluate its greedy policy.
// Run it with `swift run -c release TrainDQN [steps]` (default 100,000 env-steps, about a minute).
import AdAgents
import AdEnv

let steps = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 100_000
let env = VectorEnv(try Registry.standard.make("AdMarket-v0", as: AdMarket.self), count: 1)
let preset = try Preset.named("dqn")                // Agents/dqn.json: CleanRL's settings
let settings = try DQN.Hyperparameters.read(preset.hyperparameters).hyperparameters
var rng = Xoshiro256(seed: 1)
let agent = try DQN(spec: env.spec, count: 1, hyperparameters: settings, using: &rng)
var training = try TrainingLoop(agent: agent, env: env, seed: 1)
try training.run(steps: steps)
print("trained \(training.steps) steps, \(training.agent.updates) gradient steps, \(training.episodes.count) days")

// Evaluate the greedy policy on 5 fresh days (seeds the training never saw).
let evalEnv = VectorEnv(try Registry.standard.make("AdMarket-v0", as: AdMarket.self), count: 1)
var evaluation = try TrainingLoop(agent: training.agent, env: evalEnv, seed: 1_000, mode: .evaluation, keepsLog: false)
while evaluation.episodes.count < 5 { try evaluation.step() }
let summary = Summary(evaluation.episodes.map(\.reward))
print("greedy return per day: \(summary.mean) ± \(summary.halfWidth95) (95% CI over \(summary.count) days)")
