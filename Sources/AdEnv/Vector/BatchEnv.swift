/// N copies of an env behind flat buffers: the interface batch learners, the benchmark runner and
/// the server program against, whether the copies step in this process (``VectorEnv``) or behind a
/// socket (the ZeroMQ client).
///
/// Semantics are those of ``VectorEnv``, which every conformer must match:
/// - Buffers are row-major: ``observations`` is `[count × spec.observationCount]`; ``rewards``,
///   ``terminated``, ``truncated``, ``infos`` and ``needsReset`` are `[count]`; ``actionMasks`` is
///   `[count × maskWidth]`, and empty when the env has no mask.
/// - Reset first: stepping before the first reset throws.
/// - Seeding: `reset(seed: s)` seeds copy `i` with `s + i`; a `nil` seed continues a copy's stream.
/// - Autoreset (NEXT_STEP): the step after copy `i`'s episode ends (``needsReset`` is true) resets
///   it, returns its first observation, reward 0 and both flags false, and ignores its action.
/// - Actions travel flat: `count × spec.actionCount` int64 values for Discrete and MultiDiscrete
///   spaces, float32 values for Box spaces. A batch with any invalid action is refused whole and
///   changes nothing.
///
/// Learners are generic over `some BatchEnv`, so in-process training runs specialized code.
public protocol BatchEnv: AnyObject {
    /// The spec shared by every copy.
    var spec: EnvSpec { get }
    /// The number of copies, N.
    var count: Int { get }
    /// The width of each row of ``actionMasks``: the number of Discrete actions when the env has
    /// an action mask, else 0.
    var maskWidth: Int { get }

    var observations: [Float] { get }
    var rewards: [Double] { get }
    var terminated: [Bool] { get }
    var truncated: [Bool] { get }
    var infos: [StepInfo] { get }
    var actionMasks: [Bool] { get }
    /// Copies whose episode ended on the last step, and that the next step will reset.
    var needsReset: [Bool] { get }

    /// Resets every copy with its own seed (`nil` continues that copy's stream).
    func reset(seeds: [UInt64?]) throws
    /// Steps every copy with `count × spec.actionCount` int64 actions (Discrete, MultiDiscrete).
    func step(flat actions: UnsafeBufferPointer<Int64>) throws
    /// Steps every copy with `count × spec.actionCount` float32 actions (Box).
    func step(flat actions: UnsafeBufferPointer<Float>) throws
}

extension BatchEnv {
    /// Resets every copy: copy `i` gets seed `seed + i`, or continues its stream when `seed` is nil.
    public func reset(seed: UInt64?) throws {
        try reset(seeds: (0..<count).map { i in seed.map { $0 &+ UInt64(i) } })
    }
}
