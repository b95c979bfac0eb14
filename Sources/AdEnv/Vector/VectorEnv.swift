/// N copies of an env stepped together, with contiguous result buffers, Gymnasium `VectorEnv`
/// semantics and NEXT_STEP autoreset.
///
/// - Buffers: ``observations`` is `[N × observationCount]` row-major, ``rewards``, ``terminated``
///   and ``truncated`` are `[N]`, ``actionMasks`` is `[N × actions]` for masked envs.
/// - Reset first: as in Gymnasium, a vector must be reset before it is stepped. `step(_:)` and
///   `step(flat:)` throw `VectorStepError(index: -1, error: .needsReset)` before the first reset;
///   ``step(policy:)``, which cannot throw, first does `reset()` (copy `i` seeded with `i`).
/// - Seeding: `reset(seed: s)` seeds copy `i` with `s + i`; `reset(seed: nil)` continues each
///   copy's stream. The first reset of a vector never leaves copies identical: a `nil` seed for
///   copy `i` (from `reset(seed: nil)` or `reset(seeds:)`) then means seed `i`.
/// - Autoreset (NEXT_STEP): the step after copy `i`'s episode ends resets it, returns its first
///   observation, reward 0 and both flags false, and ignores its action.
/// - Threads: copies are split into `threads` contiguous chunks stepped in parallel by a
///   ``WorkerTeam`` owned by the vector (the caller's thread steps the first chunk). Results do not
///   depend on the thread count.
/// - Errors: a batch with any invalid action, or of the wrong size, throws ``VectorStepError``
///   before stepping any copy, so a refused batch changes nothing.
/// - Not `Sendable`: a vector is used by one thread at a time (its own worker threads aside).
///   Its ``WorkerTeam`` also traps if a reset or step is entered while another is running.
public final class VectorEnv<E: Env> {
    public let count: Int
    public let threads: Int
    public let spec: EnvSpec
    public let observationCount: Int
    public let actionCount: Int
    /// The width of each row of ``actionMasks``: the number of Discrete actions, or 0.
    public let maskWidth: Int

    public private(set) var envs: [E]
    public private(set) var observations: [Float]
    public private(set) var rewards: [Double]
    public private(set) var terminated: [Bool]
    public private(set) var truncated: [Bool]
    public private(set) var infos: [StepInfo]
    public private(set) var actionMasks: [Bool]
    /// Copies whose episode ended on the last step, and that the next step will reset.
    public private(set) var needsReset: [Bool]
    private let team: WorkerTeam
    /// Whether the vector has been reset at least once (every copy then has had its own seed).
    private var hasReset = false
    private var pendingActions: [E.Action]
    /// Per-copy random streams of ``step(policy:)``, reseeded by every seeded reset.
    private var policyRNGs: [Xoshiro256]

    /// Makes `count` copies of `env`, stepped on up to `threads` threads.
    public init(_ env: E, count: Int, threads: Int = 1) {
        precondition(count > 0, "a vector env needs at least one copy")
        let spec = env.spec
        self.count = count
        self.threads = max(1, min(threads, count))
        self.team = WorkerTeam(size: self.threads)
        self.spec = spec
        self.observationCount = spec.observationCount
        self.actionCount = spec.actionCount
        self.maskWidth = spec.hasActionMask ? spec.discreteActionCount : 0
        envs = Array(repeating: env, count: count)
        observations = Array(repeating: 0, count: count * spec.observationCount)
        rewards = Array(repeating: 0, count: count)
        terminated = Array(repeating: false, count: count)
        truncated = Array(repeating: false, count: count)
        infos = Array(repeating: StepInfo(), count: count)
        actionMasks = Array(repeating: true, count: count * maskWidth)
        needsReset = Array(repeating: true, count: count)
        pendingActions = []
        pendingActions.reserveCapacity(count)
        policyRNGs = (0..<count).map { Xoshiro256(seed: ScenarioPolicy.policySeed(forEnvSeed: UInt64($0))) }
    }

    /// Resets every copy: copy `i` gets seed `seed + i`, or continues its stream when `seed` is nil
    /// (on the first reset, `nil` seeds copy `i` with `i`, as `reset(seed: 0)`).
    public func reset(seed: UInt64? = nil) {
        reset(seeds: (0..<count).map { i in seed.map { $0 &+ UInt64(i) } })
    }

    /// Resets every copy with its own seed (`nil` continues that copy's stream; on the first reset
    /// of the vector, `nil` seeds copy `i` with `i`, so that no two copies are left identical).
    public func reset(seeds: [UInt64?]) {
        precondition(seeds.count == count, "reset(seeds:) needs one seed per copy")
        let seeds = hasReset ? seeds : seeds.enumerated().map { i, seed in seed ?? UInt64(i) }
        hasReset = true
        for (i, seed) in seeds.enumerated() {
            if let seed { policyRNGs[i] = Xoshiro256(seed: ScenarioPolicy.policySeed(forEnvSeed: seed)) }
        }
        seeds.withUnsafeBufferPointer { seeds in
            parallelChunks { range, b in
                for i in range { b.reset(i, seed: seeds[i]) }
            }
        }
    }

    /// Steps every copy with its action. Actions of copies that are autoresetting are ignored.
    ///
    /// Throws `VectorStepError(index: -1, ...)` with `.needsReset` before the first reset and
    /// `.wrongCount` unless there is one action per copy.
    public func step(_ actions: [E.Action]) throws(VectorStepError) {
        guard hasReset else { throw VectorStepError(index: -1, error: .needsReset) }
        guard actions.count == count else {
            throw VectorStepError(index: -1, error: .wrongCount(expected: count, got: actions.count))
        }
        try envs.withUnsafeMutableBufferPointer { envs throws(VectorStepError) in
            for i in 0..<count where !needsReset[i] {
                do throws(ActionError) { try checkAction(&envs[i], actions[i]) } catch { throw VectorStepError(index: i, error: error) }
            }
        }
        actions.withUnsafeBufferPointer { stepValidated($0) }
    }

    /// Steps every copy with actions in flat form: `count × actionCount` int64 values for
    /// Discrete/MultiDiscrete action spaces.
    public func step(flat actions: UnsafeBufferPointer<Int64>) throws(VectorStepError) {
        let width = actionCount
        try decode(count: actions.count) { i in .integers(UnsafeBufferPointer(rebasing: actions[(i * width)..<((i + 1) * width)])) }
    }

    /// Steps every copy with actions in flat form: `count × actionCount` float32 values for Box
    /// action spaces.
    public func step(flat actions: UnsafeBufferPointer<Float>) throws(VectorStepError) {
        let width = actionCount
        try decode(count: actions.count) { i in .reals(UnsafeBufferPointer(rebasing: actions[(i * width)..<((i + 1) * width)])) }
    }

    /// Steps every copy with a scenario policy chosen on the worker threads, each copy drawing from
    /// its own stream (seeded by `reset(seed:)` from the copy's seed), so results do not depend on
    /// the thread count. The actions taken are in ``lastActions``.
    ///
    /// On a vector never reset, it first does `reset()` (copy `i` seeded with `i`), then steps:
    /// the same as `reset(); step(policy:)`.
    public func step(policy: ScenarioPolicy) {
        if !hasReset { reset() }
        if lastActions.count != count {
            var scratch = Xoshiro256(seed: 0)  // placeholders only; never shifts the copies' streams
            lastActions = envs.map { $0.randomAction(using: &scratch) }
        }
        lastActions.withUnsafeMutableBufferPointer { actions in
            policyRNGs.withUnsafeMutableBufferPointer { rngs in
                nonisolated(unsafe) let actions = actions, rngs = rngs
                parallelChunks { range, b in
                    for i in range {
                        if !b.needsReset[i] { actions[i] = policyAction(&b.envs[i], policy, &rngs[i]) }
                        b.step(i, actions[i])
                    }
                }
            }
        }
    }

    /// The actions of the last ``step(policy:)``; entries of autoresetting copies are stale.
    public private(set) var lastActions: [E.Action] = []

    private func decode(count total: Int, row: (Int) -> ActionRow) throws(VectorStepError) {
        guard hasReset else { throw VectorStepError(index: -1, error: .needsReset) }
        guard total == count * actionCount else {
            throw VectorStepError(index: -1, error: .wrongCount(expected: count * actionCount, got: total))
        }
        pendingActions.removeAll(keepingCapacity: true)
        let actionCount = self.actionCount
        try envs.withUnsafeMutableBufferPointer { envs throws(VectorStepError) in
            for i in 0..<count {
                do throws(ActionError) {
                    let action = try E.Action(row: row(i), count: actionCount)
                    if !needsReset[i] { try checkAction(&envs[i], action) }
                    pendingActions.append(action)
                } catch {
                    // The action of an autoresetting copy is ignored, but must still be well-formed.
                    throw VectorStepError(index: i, error: error)
                }
            }
        }
        pendingActions.withUnsafeBufferPointer { stepValidated($0) }
    }

    private func stepValidated(_ actions: UnsafeBufferPointer<E.Action>) {
        parallelChunks { range, b in
            for i in range { b.step(i, actions[i]) }
        }
    }

    /// Runs `body` over contiguous chunks of copies, one chunk per thread, with raw views of every
    /// buffer (array accesses through `self` would race on the class's exclusivity checks).
    private func parallelChunks(_ body: (Range<Int>, Buffers) -> Void) {
        let count = self.count, threads = self.threads
        let observationCount = self.observationCount, maskWidth = self.maskWidth
        envs.withUnsafeMutableBufferPointer { envs in
        observations.withUnsafeMutableBufferPointer { observations in
        actionMasks.withUnsafeMutableBufferPointer { actionMasks in
        rewards.withUnsafeMutableBufferPointer { rewards in
        terminated.withUnsafeMutableBufferPointer { terminated in
        truncated.withUnsafeMutableBufferPointer { truncated in
        infos.withUnsafeMutableBufferPointer { infos in
        needsReset.withUnsafeMutableBufferPointer { needsReset in
            let buffers = Buffers(
                envs: envs, observations: observations, actionMasks: actionMasks, rewards: rewards, terminated: terminated,
                truncated: truncated, infos: infos, needsReset: needsReset, observationCount: observationCount, maskWidth: maskWidth)
            let chunk = (count + threads - 1) / threads
            team.run { t in
                let range = (t * chunk)..<min(count, (t + 1) * chunk)
                if !range.isEmpty { body(range, buffers) }
            }
        }}}}}}}}
    }

    /// Raw views of the vector's buffers, valid inside ``parallelChunks(_:)``.
    private struct Buffers {
        let envs: UnsafeMutableBufferPointer<E>
        let observations: UnsafeMutableBufferPointer<Float>
        let actionMasks: UnsafeMutableBufferPointer<Bool>
        let rewards: UnsafeMutableBufferPointer<Double>
        let terminated: UnsafeMutableBufferPointer<Bool>
        let truncated: UnsafeMutableBufferPointer<Bool>
        let infos: UnsafeMutableBufferPointer<StepInfo>
        let needsReset: UnsafeMutableBufferPointer<Bool>
        let observationCount: Int
        let maskWidth: Int

        func reset(_ i: Int, seed: UInt64?) {
            infos[i] = envs[i].reset(seed: seed, observation: observations.slice(i, observationCount))
            rewards[i] = 0
            terminated[i] = false
            truncated[i] = false
            needsReset[i] = false
            if maskWidth > 0 { writeMask(&envs[i], actionMasks.slice(i, maskWidth)) }
        }

        /// Steps copy `i` with a checked `action`, or resets it if its episode ended (NEXT_STEP).
        func step(_ i: Int, _ action: E.Action) {
            if needsReset[i] {
                reset(i, seed: nil)
                return
            }
            // Checked by the caller; a failure here would be a bug in the env's `check`.
            let t = try! envs[i].step(action, observation: observations.slice(i, observationCount))
            rewards[i] = t.reward
            terminated[i] = t.terminated
            truncated[i] = t.truncated
            infos[i] = t.info
            needsReset[i] = t.terminated || t.truncated
            if maskWidth > 0 { writeMask(&envs[i], actionMasks.slice(i, maskWidth)) }
        }
    }
}

/// A batch step was refused because copy `index` had an invalid action (`index` is -1 when the
/// batch itself was refused: `.wrongCount` for the wrong size, `.needsReset` before the first
/// reset). Nothing was stepped.
public struct VectorStepError: Error, Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var error: ActionError

    public init(index: Int, error: ActionError) {
        self.index = index
        self.error = error
    }

    public var description: String {
        index < 0 ? "batch refused: \(error)" : "env \(index): \(error)"
    }
}

extension UnsafeMutableBufferPointer {
    /// Row `i` of width `width`.
    @inlinable
    func slice(_ i: Int, _ width: Int) -> UnsafeMutableBufferPointer<Element> {
        UnsafeMutableBufferPointer(rebasing: self[(i * width)..<((i + 1) * width)])
    }
}

// Non-mutating env calls made through `inout`. Calling a method on `buffer[i]` of an unsafe buffer
// makes the compiler copy the env first (the memory could change during the call), and a copy
// retains every array the env holds; from several threads at once those reference counts contend
// for one cache line. Through `inout`, exclusivity is known and nothing is copied.

@inline(__always)
private func policyAction<E: Env>(_ env: inout E, _ policy: ScenarioPolicy, _ rng: inout Xoshiro256) -> E.Action {
    policy.action(for: env, using: &rng)
}

@inline(__always)
private func writeMask<E: Env>(_ env: inout E, _ mask: UnsafeMutableBufferPointer<Bool>) {
    env.writeActionMask(into: mask)
}

@inline(__always)
private func checkAction<E: Env>(_ env: inout E, _ action: E.Action) throws(ActionError) {
    try env.check(action)
}
