// Throughput of the neural-network core and of DQN, in a release build:
//
//     swift run -c release NNBenchmark
//
// Prints GFLOP/s of the matrix kernels at DQN's layer sizes, MLP training steps per second, and
// DQN training env-steps per second with CleanRL's classic-control settings (network 120-84,
// batch 128, one gradient step every 10 env-steps, target sync every 500), environment included.
import AdAgents
import AdEnv
#if canImport(Glibc)
import Glibc
#endif

/// CPU seconds used by this thread: unlike wall time, not inflated when other processes share
/// the cores.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func seconds(_ duration: Duration) -> Double {
    let (s, attoseconds) = duration.components
    return Double(s) + Double(attoseconds) * 1e-18
}

/// Runs `body` repeatedly for about `budget` seconds; returns calls per second.
func rate(budget: Double = 1, _ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    var calls = 0
    let start = clock.now
    var elapsed = 0.0
    while elapsed < budget {
        for _ in 0..<8 { body() }
        calls += 8
        elapsed = seconds(clock.now - start)
    }
    return Double(calls) / elapsed
}

func format(_ x: Double, decimals: Int = 1) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (x * scale).rounded() / scale
    return "\(rounded)"
}

func randomMatrix(_ rows: Int, _ columns: Int, _ rng: inout Xoshiro256) -> Matrix<Float> {
    Matrix(rows: rows, columns: columns, storage: (0..<(rows * columns)).map { _ in Float(rng.uniform(-1, 1)) })
}

var rng = Xoshiro256(seed: 1)
print("== Matrix kernels (Float, SIMD8 a*b+c), GFLOP/s")
for (m, k, n) in [(128, 120, 84), (128, 84, 120), (128, 6, 120), (128, 84, 2), (120, 128, 84), (128, 64, 64)] {
    let a = randomMatrix(m, k, &rng), b = randomMatrix(k, n, &rng)
    let at = a.transposed, bt = b.transposed
    var c = Matrix<Float>(rows: m, columns: n)
    let flops = 2.0 * Double(m * k * n)
    let ab = rate { Matrix.multiply(a, b, into: &c) } * flops / 1e9
    let atb = rate { Matrix.multiply(transposing: at, b, into: &c) } * flops / 1e9
    let abt = rate { Matrix.multiply(a, transposing: bt, into: &c) } * flops / 1e9
    print("  \(m)x\(k)x\(n): A·B \(format(ab)), Aᵀ·B \(format(atb)), A·Bᵀ \(format(abt))")
}

print("== MLP training step (forward, backward, Adam), batch 128")
for sizes in [[6, 120, 84, 2], [49, 120, 84, 7], [49, 64, 64, 7]] {
    var net = MLP<Float>(sizes: sizes, activation: .relu, using: &rng)
    var adam = Adam<Float>(parameterCount: net.parameterCount, learningRate: 1e-4)
    var w = net.makeWorkspace(batchSize: 128)
    w.input = randomMatrix(128, sizes[0], &rng)
    let gradient = randomMatrix(128, sizes.last!, &rng)
    var macs = 0
    for l in 0..<(sizes.count - 1) { macs += sizes[l] * sizes[l + 1] }
    let steps = rate {
        net.forward(in: &w)
        w.outputGradient = gradient
        net.backward(in: &w)
        adam.update(&net.parameters, gradients: net.gradients)
    }
    // forward 1 product, backward 2 (weights, inputs; the first layer's input gradient is skipped).
    let flops = 2.0 * 128 * Double(3 * macs - sizes[0] * sizes[1])
    print("  \(sizes): \(format(steps, decimals: 0)) steps/s, \(format(steps * flops / 1e9)) GFLOP/s")
}

/// DQN with CleanRL's classic-control settings on `env`: 10,000 steps to fill the buffer (no
/// training), then `measured` steps of training, timed.
func dqnThroughput<E: BatchEnv>(_ env: E, measured: Int, double: Bool) throws -> (warmup: Double, training: Double, trainingCPU: Double, updates: Int) {
    var object = ConfigObject()
    object["double_dqn"] = .bool(double)
    let settings = try DQN.Hyperparameters.read(object).hyperparameters
    var rng = Xoshiro256(seed: 7)
    let agent = try DQN(spec: env.spec, count: env.count, hyperparameters: settings, using: &rng)
    var loop = try TrainingLoop(agent: agent, env: env, seed: 7, keepsLog: false)
    let clock = ContinuousClock()
    var start = clock.now
    try loop.run(steps: settings.learningStarts)
    let warmup = Double(settings.learningStarts) / seconds(clock.now - start)
    start = clock.now
    let cpu = threadCPUSeconds()
    try loop.run(steps: measured)
    let wall = seconds(clock.now - start)
    return (warmup, Double(measured) / wall, Double(measured) / (threadCPUSeconds() - cpu), loop.agent.updates)
}

print("== DQN training, CleanRL classic-control settings (120-84, batch 128, train every 10, target every 500), 1 env")
for double in [false, true] {
    let label = double ? "double DQN" : "DQN"
    let fatigue = VectorEnv(try Registry.standard.make("FatigueMDP-v0", as: FatigueMDP.self), count: 1)
    let f = try dqnThroughput(fatigue, measured: 100_000, double: double)
    print("  FatigueMDP-v0, \(label): \(format(f.training, decimals: 0)) env-steps/s while training (\(format(f.trainingCPU, decimals: 0)) per CPU-second; \(f.updates) updates); \(format(f.warmup, decimals: 0)) steps/s before learning starts")
    let market = VectorEnv(try Registry.standard.make("AdMarket-v0", as: AdMarket.self), count: 1)
    let m = try dqnThroughput(market, measured: 100_000, double: double)
    print("  AdMarket-v0, \(label): \(format(m.training, decimals: 0)) env-steps/s while training (\(format(m.trainingCPU, decimals: 0)) per CPU-second; \(m.updates) updates); \(format(m.warmup, decimals: 0)) steps/s before learning starts")
}
