// Bandit decision rates, agent only: Thompson sampling select+update on 5 arms, and LinUCB/LinTS
// decisions (select+update) with d = 16 and K = 16, on a stub batch env that returns fixed
// contexts and alternating rewards (no simulator cost). Then the full loop (agent + env +
// TrainingLoop bookkeeping) on StrategyBandit-v0 and ContextualBanner-v0 for context.
// Run in release: `swift run -c release BanditThroughput [seconds]`.
import AdAgents
import AdEnv

/// A one-copy batch env with a fixed observation and rewards 1, 0, 1, 0, ...: what an agent
/// reads, at no simulation cost.
final class StubEnv: BatchEnv {
    let spec: EnvSpec
    let count = 1
    let maskWidth = 0
    let observations: [Float]
    var rewards: [Double] = [0]
    let terminated = [false], truncated = [false], needsReset = [false]
    let infos = [StepInfo()]
    let actionMasks: [Bool] = []

    init(arms: Int, dimension: Int) {
        spec = EnvSpec(
            id: "Stub-v0", kind: "stub", summary: "", observationSpace: Box(low: -1, high: 1, shape: [dimension]),
            observationLabels: (0..<dimension).map { "x\($0)" }, actionSpace: .discrete(Discrete(arms)), maxEpisodeSteps: 1 << 40,
            rewardRange: 0...1, infoFields: [], parameters: ConfigObject(), oracle: OracleSpec(kind: .optimal, expectedReturn: nil, note: ""),
            source: "built-in")
        var rng = Xoshiro256(seed: 5)
        observations = (0..<dimension).map { _ in Float(rng.uniform(-1, 1)) }
    }

    func reset(seeds: [UInt64?]) {}
    func step(flat actions: UnsafeBufferPointer<Int64>) { rewards[0] = 1 - rewards[0] }
    func step(flat actions: UnsafeBufferPointer<Float>) {}
}

let seconds = CommandLine.arguments.count > 1 ? Double(CommandLine.arguments[1]) ?? 2 : 2
let clock = ContinuousClock()

func elapsed(_ start: ContinuousClock.Instant) -> Double {
    let (s, atto) = (clock.now - start).components
    return Double(s) + Double(atto) * 1e-18
}

/// Select+update pairs per second of `A` on a stub env.
func decisionsPerSecond<A: Agent>(_ type: A.Type, arms: Int, dimension: Int) throws -> Double {
    let env = StubEnv(arms: arms, dimension: dimension)
    var rng = Xoshiro256(seed: 1)
    var agent = try A(spec: env.spec, count: 1, hyperparameters: .defaults, using: &rng)
    var actions = ActionBatch(spec: env.spec, count: 1)
    var n = 0, checksum: Int64 = 0
    let start = clock.now
    repeat {
        for _ in 0..<4096 {
            agent.act(on: env, mode: .training, into: &actions, using: &rng)
            checksum &+= actions.integers[0]
            env.step(flat: UnsafeBufferPointer<Int64>(start: nil, count: 0))
            agent.learn(from: env, actions: actions, using: &rng)
        }
        n += 4096
    } while elapsed(start) < seconds
    if checksum == -1 { print("") }
    return Double(n) / elapsed(start)
}

/// Env-steps per second of the whole training loop.
func loopStepsPerSecond<A: Agent, E: ScenarioEnv>(_ type: A.Type, _ env: E) throws -> Double {
    let vector = VectorEnv(env, count: 1)
    var rng = Xoshiro256(seed: 1)
    let agent = try A(spec: vector.spec, count: 1, hyperparameters: .defaults, using: &rng)
    var loop = try TrainingLoop(agent: agent, env: vector, seed: 1, keepsLog: false)
    let start = clock.now
    repeat { try loop.run(steps: 16_384) } while elapsed(start) < seconds
    return Double(loop.steps) / elapsed(start)
}

func show(_ label: String, _ rate: Double) {
    print(label + String(repeating: " ", count: max(1, 62 - label.count)) + String(Int(rate.rounded())) + " /s")
}

show("thompson select+update, 5 arms (agent only)", try decisionsPerSecond(ThompsonSampling.self, arms: 5, dimension: 1))
show("ucb1 select+update, 5 arms (agent only)", try decisionsPerSecond(UCB1.self, arms: 5, dimension: 1))
show("kl-ucb select+update, 5 arms (agent only)", try decisionsPerSecond(KLUCB.self, arms: 5, dimension: 1))
show("epsilon-greedy select+update, 5 arms (agent only)", try decisionsPerSecond(EpsilonGreedy.self, arms: 5, dimension: 1))
show("linucb decisions, d=16, K=16 (agent only)", try decisionsPerSecond(LinUCB.self, arms: 16, dimension: 16))
show("lints decisions, d=16, K=16 (agent only)", try decisionsPerSecond(LinTS.self, arms: 16, dimension: 16))
let strategy = try Registry.standard.make("StrategyBandit-v0", as: BernoulliBandit.self)
let banner = try Registry.standard.make("ContextualBanner-v0", as: ContextualBandit.self)
show("thompson on StrategyBandit-v0, TrainingLoop steps", try loopStepsPerSecond(ThompsonSampling.self, strategy))
show("linucb on ContextualBanner-v0 (d=9, K=5), TrainingLoop steps", try loopStepsPerSecond(LinUCB.self, banner))
