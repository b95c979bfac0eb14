/// Every simulator kind a scenario file can name. Add a new kind here.
let registeredKinds: [any ScenarioEnv.Type] = [
    BernoulliBandit.self,
    BudgetedBandit.self,
    BudgetPacing.self,
    ContextualBandit.self,
    FatigueMDP.self,
    SlateRanking.self,
]
