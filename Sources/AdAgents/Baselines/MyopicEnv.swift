import AdEnv

/// An env that knows its myopic action: the action with the highest expected *immediate* value,
/// ignoring what it does to later steps (budgets, fatigue, churn). ``GreedyAgent`` plays it.
///
/// What it is for each scenario (the conformances below):
/// - `bernoulli-bandit`: the arm with the highest mean (the oracle: a stateless bandit's myopic and
///   optimal actions coincide).
/// - `contextual-bandit`: the best banner of the arriving user's segment (the oracle, likewise).
/// - `slate-ranking`: the K most attractive ads in descending order (the oracle, likewise).
/// - `budgeted-bandit`: the affordable arm with the highest mean, ignoring the budget's pace (the
///   first on ties).
/// - `fatigue-mdp`: always show (showing pays `0.7^f > 0`, resting pays 0).
/// - `budget-pacing`: the multiplier 1, bidding each auction's value `w_i`, which maximises its
///   expected utility `(w b − b²/2)/M`, ignoring the budget.
/// - `auto-bidding`: the multiplier 1, bidding per click `pCVR · cpa_target` (the click's value at
///   the target CPA), ignoring the budget (clamped to the action space).
/// - `ad-market`: the scenario's oracle, which is itself myopic (privileged true rates).
public protocol MyopicEnv: Env {
    /// The myopic action in the current state. Never changes the env.
    func myopicAction(using rng: inout Xoshiro256) -> Action
}

/// The kinds of the scenarios whose envs are ``MyopicEnv``s.
let myopicKinds: Set<String> = [
    BernoulliBandit.kind, ContextualBandit.kind, SlateRanking.kind, BudgetedBandit.kind, FatigueMDP.kind,
    BudgetPacing.kind, AutoBidding.kind, AdMarket.kind,
]

extension BernoulliBandit: MyopicEnv {
    public func myopicAction(using rng: inout Xoshiro256) -> Int { bestArm }
}

extension ContextualBandit: MyopicEnv {
    public func myopicAction(using rng: inout Xoshiro256) -> Int { bestBanner(segment: segment) }
}

extension SlateRanking: MyopicEnv {
    public func myopicAction(using rng: inout Xoshiro256) -> Slate { bestSlate }
}

extension BudgetedBandit: MyopicEnv {
    public func myopicAction(using rng: inout Xoshiro256) -> Int {
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: means.count) { mask in
            writeActionMask(into: mask)
            var best = 0, bestMean = -1.0
            for k in means.indices where mask[k] && means[k] > bestMean {
                best = k
                bestMean = means[k]
            }
            return best
        }
    }
}

extension FatigueMDP: MyopicEnv {
    public func myopicAction(using rng: inout Xoshiro256) -> Int { FatigueMDP.show }
}

extension BudgetPacing: MyopicEnv {
    public func myopicAction(using rng: inout Xoshiro256) -> Float { min(1, maxMultiplier) }
}

extension AutoBidding: MyopicEnv {
    public func myopicAction(using rng: inout Xoshiro256) -> Float { min(1, alphaMaxF) }
}

extension AdMarket: MyopicEnv {
    public func myopicAction(using rng: inout Xoshiro256) -> Int { oracleAction(using: &rng) }
}
