// A first AdEnv program: make an env, run the Gymnasium loop, look at the info and the oracle.
// Run it with `swift run QuickStart`.
import AdEnv

var env = try Registry.standard.make("StrategyBandit-v0", as: BernoulliBandit.self)
var rng = Xoshiro256(seed: 1)                       // every random draw is seeded
var (observation, info) = { let r = env.reset(seed: 42); return (r.observation, r.info) }()
var total = 0.0, regret = 0.0
while true {
    let action = env.randomAction(using: &rng)      // or your agent's choice
    let step = try env.step(action)                 // throws ActionError on an invalid action
    total += step.reward
    regret += step.info.values.regret               // typed info: expected vs optimal reward
    (observation, info) = (step.observation, step.info)
    if step.terminated || step.truncated { break }  // truncated: the 10,000-step time limit
}
print("random policy: return \(total), pseudo-regret \(Int(regret)), last observation \(observation)")
print("oracle (\(env.spec.oracle.kind)): expected return \(env.spec.oracle.expectedReturn ?? .nan)")
_ = info
