/// An env that is built from a ``Scenario``: every simulator kind conforms.
public protocol ScenarioEnv: Env {
    /// The `kind` string scenario files use to select this simulator.
    static var kind: String { get }
    /// Builds the env, reading and validating `scenario.parameters`.
    ///
    /// - Throws: ``ScenarioError`` naming the first invalid or unknown field.
    init(scenario: Scenario) throws(ScenarioError)
}
