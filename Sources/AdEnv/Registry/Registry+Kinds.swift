/// Every simulator kind a scenario file can name. Add a new kind here.
let registeredKinds: [any ScenarioEnv.Type] = [
    BernoulliBandit.self,
    AdMarket.self,
    AutoBidding.self,
]
