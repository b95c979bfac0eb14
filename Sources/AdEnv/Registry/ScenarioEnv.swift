/// An env that is built from a ``Scenario``: every simulator kind conforms.
///
/// Besides building, the protocol carries the entry points that tools call on an env whose type is
/// only known at run time (`any ScenarioEnv`, from the registry). Their default implementations are
/// generic, and the compiler specializes them for each conforming type, so a rollout or a
/// throughput measurement runs fully specialized code with no dynamic dispatch per step.
public protocol ScenarioEnv: Env {
    /// The `kind` string scenario files use to select this simulator.
    static var kind: String { get }
    /// Builds the env, reading and validating `scenario.parameters`.
    ///
    /// - Throws: ``ScenarioError`` naming the first invalid or unknown field.
    init(scenario: Scenario) throws(ScenarioError)

    /// Runs a rollout of a scenario policy. See ``Rollout/init(_:policy:seed:episodes:discount:)``.
    func rollout(policy: ScenarioPolicy, seed: UInt64, episodes: Int, discount: Double) -> Rollout

    /// Measures single-env steps/s. See ``Throughput/single(_:minimumSeconds:seed:)``.
    func singleThroughput(minimumSeconds: Double) -> Throughput

    /// Measures vector-env steps/s. See ``Throughput/vector(_:copies:threads:minimumSeconds:seed:)``.
    func vectorThroughput(copies: Int, threads: Int, minimumSeconds: Double) -> Throughput

    /// Makes a ``VectorEnv`` of `count` copies of this env, stepped on up to `threads` threads, as
    /// a ``BatchEnv`` whose buffers and steps run code specialized for this type.
    func makeBatch(count: Int, threads: Int) -> any BatchEnv
}

extension ScenarioEnv {
    public func rollout(policy: ScenarioPolicy, seed: UInt64, episodes: Int, discount: Double = 1) -> Rollout {
        Rollout(self, policy: policy, seed: seed, episodes: episodes, discount: discount)
    }

    public func singleThroughput(minimumSeconds: Double) -> Throughput {
        Throughput.single(self, minimumSeconds: minimumSeconds)
    }

    public func vectorThroughput(copies: Int, threads: Int, minimumSeconds: Double) -> Throughput {
        Throughput.vector(self, copies: copies, threads: threads, minimumSeconds: minimumSeconds)
    }

    public func makeBatch(count: Int, threads: Int = 1) -> any BatchEnv {
        VectorEnv(self, count: count, threads: threads)
    }
}
