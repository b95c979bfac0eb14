/// Everything about an env that does not change while it runs: its ID, spaces, limits, parameters
/// and known answers. It is what `adenv describe` prints and what a server sends as `SPEC`.
///
/// It is an immutable class, so that reading `env.spec` (for example in a default `randomAction`)
/// costs one reference count, not a copy of every array and string in it.
public final class EnvSpec: Sendable {
    /// The versioned ID, `Name-vN`.
    public let id: String
    /// The simulator kind that implements it, for example `bernoulli-bandit`.
    public let kind: String
    /// One line saying what the scenario tests.
    public let summary: String
    /// Observations are always flat `float32` vectors; ``observationLabels`` names each element.
    public let observationSpace: Box
    public let observationLabels: [String]
    public let actionSpace: Space
    /// Episodes are truncated (never terminated) after this many steps.
    public let maxEpisodeSteps: Int
    /// Bounds on a single step's reward; infinite when unbounded.
    public let rewardRange: ClosedRange<Double>
    /// How a vector env restarts finished episodes. Only ``AutoresetMode/nextStep`` is implemented.
    public let autoresetMode: AutoresetMode
    /// The info fields this env fills; the others are always zero.
    public let infoFields: [InfoField]
    /// Whether some actions can be invalid in some states. Then ``Env/writeActionMask(into:)``
    /// says which, and stepping a masked action throws ``ActionError/masked(action:reason:)``.
    public let hasActionMask: Bool
    /// Every parameter with its resolved value (from the file, an override or the default).
    public let parameters: ConfigObject
    /// What the scenario's oracle policy is, and its value where one is known.
    public let oracle: OracleSpec
    /// Where the scenario came from: a file path, or `built-in`.
    public let source: String

    public init(
        id: String, kind: String, summary: String, observationSpace: Box, observationLabels: [String], actionSpace: Space,
        maxEpisodeSteps: Int, rewardRange: ClosedRange<Double> = -Double.infinity...Double.infinity,
        autoresetMode: AutoresetMode = .nextStep, infoFields: [InfoField], hasActionMask: Bool = false,
        parameters: ConfigObject, oracle: OracleSpec, source: String
    ) {
        precondition(observationLabels.count == observationSpace.count, "one label per observation element")
        self.id = id
        self.kind = kind
        self.summary = summary
        self.observationSpace = observationSpace
        self.observationLabels = observationLabels
        self.actionSpace = actionSpace
        self.maxEpisodeSteps = maxEpisodeSteps
        self.rewardRange = rewardRange
        self.autoresetMode = autoresetMode
        self.infoFields = infoFields
        self.hasActionMask = hasActionMask
        self.parameters = parameters
        self.oracle = oracle
        self.source = source
    }

    /// The number of scalars in an observation.
    public var observationCount: Int { observationSpace.count }
    /// The number of scalars in an action's flat form.
    public var actionCount: Int { actionSpace.flatCount }
    /// The number of actions of a Discrete action space (the width of its mask); 0 otherwise.
    public var discreteActionCount: Int {
        if case .discrete(let d) = actionSpace { d.n } else { 0 }
    }
}

/// How a vector env restarts an episode that ended (Gymnasium's `AutoresetMode`).
public enum AutoresetMode: String, Sendable {
    /// The step after an episode ends returns the reset observation, reward 0, both flags false, and
    /// ignores its action. Gymnasium 1.x's default.
    case nextStep = "NextStep"
}

/// The oracle a scenario ships, used as the upper anchor of normalized scores.
public struct OracleSpec: Sendable {
    public enum Kind: String, Sendable {
        /// Optimal in expectation (value iteration, an LP, a sort): nothing can beat it on average.
        case optimal
        /// A privileged myopic policy that knows the true click and conversion rates. Learning
        /// agents that plan ahead can beat it.
        case myopic
        /// A privileged policy tuned in hindsight on the episode's own random draws.
        case hindsight
    }

    public var kind: Kind
    /// The expected episode return of the oracle, where a closed form, an LP or value iteration
    /// gives it; `nil` otherwise.
    public var expectedReturn: Double?
    /// How the oracle acts and how its value is computed, in one or two sentences.
    public var note: String
    /// The discount under which ``expectedReturn`` is computed: 1 for an undiscounted return.
    /// `adenv rollout` discounts by it by default, so its figures compare with the known answer.
    public var discount: Double

    public init(kind: Kind, expectedReturn: Double?, note: String, discount: Double = 1) {
        precondition(discount > 0 && discount <= 1, "an oracle's discount lies in (0, 1]")
        self.kind = kind
        self.expectedReturn = expectedReturn
        self.note = note
        self.discount = discount
    }
}
