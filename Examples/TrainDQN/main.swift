// Train DQN on the ad marketplace in a few lines, then evaluate its greedy policy.
//
//     swift run -c release TrainDQN [steps] [key=value ...]
//
// `steps` defaults to 100,000 env-steps (a few seconds); `key=value` overrides a hyper-parameter
// of the preset, e.g. `learning_rate=0.0001 hidden_sizes=[64,64]`.
import AdAgents
import AdEnv

let arguments = CommandLine.arguments.dropFirst()
let steps = arguments.first.flatMap { Int($0) } ?? 100_000
var preset = try Preset.named("dqn")                // Agents/dqn.json: CleanRL's settings
try preset.apply(arguments.filter { $0.contains("=") }.map { try Override(parsing: $0) })
let settings = try DQN.Hyperparameters.read(preset.hyperparameters).hyperparameters

let env = VectorEnv(try Registry.standard.make("AdMarket-v0", as: AdMarket.self), count: 1)
var rng = Xoshiro256(seed: 1)
let agent = try DQN(spec: env.spec, count: 1, hyperparameters: settings, using: &rng)
var training = try TrainingLoop(agent: agent, env: env, seed: 1)
try training.run(steps: steps)
print("trained \(training.steps) steps, \(training.agent.updates) gradient steps, \(training.episodes.count) days")

// Evaluate the greedy policy on 5 fresh days (seeds the training never saw).
let days = 5
let evalEnv = VectorEnv(try Registry.standard.make("AdMarket-v0", as: AdMarket.self), count: 1)
var evaluation = try TrainingLoop(agent: training.agent, env: evalEnv, seed: 1_000, mode: .evaluation, keepsLog: false)
while evaluation.episodes.count < days { try evaluation.step() }
let summary = Summary(evaluation.episodes.map(\.reward))
print("greedy DQN return per day: \(summary.mean) ± \(summary.halfWidth95) (95% CI over \(days) days)")
let oracle = Summary(Rollout(evalEnv.envs[0], policy: .oracle, seed: 1_000, episodes: days).returns)
print("myopic oracle on the same seeds: \(oracle.mean) ± \(oracle.halfWidth95)")
