/// Every simulator kind a scenario file can name. Add a new kind here.
let registeredKinds: [any ScenarioEnv.Type] = [
    AdMarket.self,
    AutoBidding.self,
    BernoulliBandit.self,
    BudgetedBandit.self,
    BudgetPacing.self,
    ContextualBandit.self,
    FatigueMDP.self,
    SlateRanking.self,
]
